// One connection of the HTTP/1.1 client: a Bun.connect socket (TLS with the certificate checked unless
// the caller said rejectUnauthorized: false), writes that honour backpressure (what the socket did not
// take is kept and written on `drain`), and the socket's events handed to whoever uses it now (one
// request at a time; net/h1/exchange.ts). Ready once connected, or for TLS once the handshake passed.
import type { Socket } from "bun";
import { h1Error, type H1Error, socketError } from "./errors";
import type { TlsSettings } from "./request";

/** The request currently using a connection. */
export interface ConnUser {
  onData(buf: Buffer): void;
  /** the socket closed; `error` when it closed with one */
  onClose(error: H1Error | null): void;
}

export class Conn {
  socket: Socket<Conn> | null = null;
  user: ConnUser | null = null;
  closed = false;
  /** requests sent on it so far */
  uses = 0;
  idleSince = 0;
  /** it closed with request bytes not yet taken by the socket */
  lostWrite = false;
  /** bytes the socket has not taken yet */
  private pending: Uint8Array[] = [];
  private error: H1Error | null = null;
  private ready: ((e: H1Error | null) => void) | null = null;
  onGone: ((c: Conn) => void) | null = null;

  constructor(
    readonly key: string,
    private readonly tls: TlsSettings | null,
  ) {}

  /** Connects; resolves when the connection can carry a request, rejects with a coded error. */
  open(address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ready = (e) => (e ? reject(e) : resolve());
      const tls = this.tls ? { ...this.tls } : undefined;
      Bun.connect<Conn>({ hostname: address, port, tls, data: this, socket: handlers }).catch((e) =>
        this.gone(socketError(e)),
      );
    });
  }

  /** TLS: ready only once the handshake passed */
  get tlsPending(): boolean {
    return this.tls !== null;
  }

  get rejectsUnauthorized(): boolean {
    return this.tls?.rejectUnauthorized !== false;
  }

  /** all request bytes handed to the socket */
  get flushed(): boolean {
    return this.pending.length === 0;
  }

  write(bytes: Uint8Array): void {
    if (this.closed || !this.socket) return;
    if (this.pending.length > 0) {
      this.pending.push(bytes);
      return;
    }
    const n = this.socket.write(bytes);
    if (n < bytes.length) this.pending.push(n > 0 ? bytes.subarray(n) : bytes);
  }

  flush(): void {
    const s = this.socket;
    while (s && this.pending.length > 0) {
      const bytes = this.pending[0] as Uint8Array;
      const n = s.write(bytes);
      if (n >= bytes.length) this.pending.shift();
      else {
        if (n > 0) this.pending[0] = bytes.subarray(n);
        return;
      }
    }
  }

  destroy(): void {
    if (this.closed) return;
    this.socket?.terminate();
    this.gone(null);
  }

  settle(e: H1Error | null): void {
    const r = this.ready;
    this.ready = null;
    r?.(e);
  }

  gone(e: H1Error | null): void {
    if (e && !this.error) this.error = e;
    if (this.closed) return;
    this.closed = true;
    this.lostWrite = this.pending.length > 0;
    this.pending = [];
    this.settle(this.error ?? h1Error("ConnectionClosed", "the connection closed while connecting"));
    const user = this.user;
    this.user = null;
    user?.onClose(this.error);
    this.onGone?.(this);
  }

  noteError(e: unknown): void {
    if (!this.error) this.error = socketError(e);
  }
}

const handlers = {
  open(s: Socket<Conn>) {
    s.data.socket = s;
    if (!s.data.tlsPending) s.data.settle(null);
  },
  handshake(s: Socket<Conn>, ok: boolean, error: Error | null) {
    const c = s.data;
    if (!ok && c.rejectsUnauthorized) {
      c.noteError(error ?? h1Error("EPROTO", "the TLS handshake failed"));
      c.destroy();
    } else c.settle(null);
  },
  data(s: Socket<Conn>, buf: Buffer) {
    const c = s.data;
    if (c.user) c.user.onData(buf);
    else c.destroy(); // bytes nobody asked for: the connection cannot be trusted with a request
  },
  drain(s: Socket<Conn>) {
    s.data.flush();
  },
  error(s: Socket<Conn>, e: Error) {
    s.data.noteError(e);
  },
  connectError(s: Socket<Conn>, e: Error) {
    s.data.gone(socketError(e));
  },
  close(s: Socket<Conn>, e?: Error) {
    if (e) s.data.noteError(e);
    s.data.gone(null);
  },
};
