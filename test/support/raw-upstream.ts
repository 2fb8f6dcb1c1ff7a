// Test support: an upstream on a raw TCP listener (Bun.listen) that answers each HTTP/1.1 request with
// bytes the test writes itself (any framing, malformed ones too), and counts connections and requests,
// for the HTTP/1.1 client's tests (test/net/h1-*.test.ts).
import type { Socket } from "bun";
import type { Target } from "../../src/net/egress";

export type RawRequest = { head: string; body: Buffer; conn: number; index: number };
type State = { buf: Buffer; conn: number };

export type RawUpstream = {
  port: number;
  /** connections accepted so far */
  connections: number;
  /** connections open now */
  open: number;
  requests: RawRequest[];
  target(path?: string): Target;
  stop(): void;
};

/** Starts the upstream; `respond` writes the answer to each complete request (or closes, or waits). */
export function rawUpstream(respond: (req: RawRequest, s: Socket<State>) => void): RawUpstream {
  const up = { connections: 0, open: 0, requests: [] as RawRequest[] } as RawUpstream;
  const listener = Bun.listen<State>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { buf: Buffer.alloc(0), conn: up.connections++ };
        up.open++;
      },
      data(s, d) {
        s.data.buf = Buffer.concat([s.data.buf, d]);
        for (;;) {
          const buf = s.data.buf;
          const end = buf.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = buf.toString("latin1", 0, end);
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          const req = {
            head,
            body: buf.subarray(end + 4, end + 4 + length),
            conn: s.data.conn,
            index: up.requests.length,
          };
          s.data.buf = buf.subarray(end + 4 + length);
          up.requests.push(req);
          respond(req, s);
        }
      },
      close() {
        up.open--;
      },
    },
  });
  up.port = listener.port;
  up.target = (path = "/") => ({
    url: `http://127.0.0.1:${listener.port}${path}`,
    address: "127.0.0.1",
    port: listener.port,
    display: `127.0.0.1:${listener.port}`,
    hostHeader: null,
  });
  up.stop = () => listener.stop(true);
  return up;
}

/** A response with a Content-Length. */
export const lengthReply = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** Waits until `check()` holds (bounded), for counts a server sees a moment after the client; says
 * whether it came to hold. */
export async function until(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await Bun.sleep(5);
  return check();
}
