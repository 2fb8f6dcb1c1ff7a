// A response body handed over chunk by chunk, without a ReadableStream: for the relay's streams (SSE),
// which read every chunk as it arrives anyway (relay/respond/stream.ts). A caller asks for it by
// putting DIRECT_BODY in fetchPinned's init; a 2xx answer of the HTTP/1.1 client then comes as a
// Response with the status only (no body, no headers: they are on the source), and
// `bodySource(response)` gives the chunks. It holds at most HIGH_WATER
// bytes the reader has not taken; beyond that the socket is paused (TCP flow control slows the
// upstream) until the reader takes them. An answer through Bun's fetch (what the client leaves to it)
// has no source: the caller reads `response.body` as before.
import type { Socket } from "bun";
import { fieldOf } from "./head";

/** In fetchPinned's init: a 2xx body is wanted as a ChunkSource. */
export const DIRECT_BODY: unique symbol = Symbol("apiyi.directBody");

const HIGH_WATER = 64 * 1024;

export type Next = { chunk: Uint8Array } | { done: true } | { error: unknown };
/** A body read chunk by chunk: `next` gives the next chunk, or how the body ended once none is left. */
export interface ChunkSource {
  next(): Promise<Next>;
  /** What next() would give, if it is already here; null while waiting for bytes. Lets a reader
   * write what came with the head in the same turn (one send for the head and the first event) */
  take(): Next | null;
  /** the reader gives up: the connection is closed, the body not read further */
  cancel(): void;
  /** told each time bytes arrive (the relay's idle watchdog) */
  onBytes: () => void;
  /** A source that can tell each chunk as it arrives (in the socket's own turn, no promise per chunk):
   * `fn` gets what is queued at once, then every chunk and the end as they come; null: chunks are
   * queued again, for next() or a later listen. */
  listen?(fn: ((n: Next) => void) | null): void;
}

const DONE = { done: true } as const;
const sources = new WeakMap<Response, PushSource>();

/** The chunks of a response the HTTP/1.1 client answered with DIRECT_BODY, or null (read its body). */
export const bodySource = (r: Response): PushSource | null => sources.get(r) ?? null;

/** A response's header field: from its chunk source when it has one (such a response carries none). */
export function headerOf(r: Response, name: string): string | null {
  const source = sources.get(r);
  return source ? fieldOf(source.fields, name) : r.headers.get(name);
}

/** All of a source's bytes (rejects as the source errors): for replies relayed whole. */
export async function readAll(source: ChunkSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const n = await source.next();
    if ("chunk" in n) parts.push(n.chunk);
    else if ("done" in n) return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
    else throw n.error;
  }
}

export class PushSource implements ChunkSource {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private ended: typeof DONE | { error: unknown } | null = null;
  private waiting: ((n: Next) => void) | null = null;
  private listener: ((n: Next) => void) | null = null;
  private paused = false;
  onBytes: () => void = () => {};

  /** `onCancel`: the reader gave up. The exchange pushes what came with the head, as all the rest. */
  constructor(
    private readonly socket: () => Socket<unknown> | null,
    private readonly onCancel: () => void,
  ) {}

  /** The upstream's header fields (the response carries only the status: building a Headers of them
   * cost every stream ~2 µs, and the relay copies none of a stream's headers). */
  fields: [string, string][] = [];

  /** The response that carries this source: the status, no body and no headers of its own. */
  answer(init: { status: number; statusText: string; headers: [string, string][] }): Response {
    this.fields = init.headers;
    const r = new Response(null, { status: init.status, statusText: init.statusText });
    sources.set(r, this);
    return r;
  }

  push = (bytes: Uint8Array): void => {
    if (this.ended || bytes.byteLength === 0) return;
    this.onBytes();
    const l = this.listener;
    if (l) {
      l({ chunk: bytes });
      return;
    }
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w({ chunk: bytes });
      return;
    }
    this.queue.push(bytes);
    this.queued += bytes.byteLength;
  };

  pauseIfFull(): void {
    if (!this.paused && !this.ended && this.queued >= HIGH_WATER) {
      this.paused = true;
      this.socket()?.pause();
    }
  }

  take(): Next | null {
    const chunk = this.queue.shift();
    if (chunk) {
      this.queued -= chunk.byteLength;
      if (this.paused && this.queued < HIGH_WATER) {
        this.paused = false;
        this.socket()?.resume();
      }
      return { chunk };
    }
    return this.ended;
  }

  listen(fn: ((n: Next) => void) | null): void {
    this.listener = fn;
    // what is queued first, in order; stops if the listener steps aside meanwhile, or at the end
    while (fn && this.listener === fn) {
      const n = this.take();
      if (!n) return;
      fn(n);
      if (!("chunk" in n)) return;
    }
  }

  next(): Promise<Next> {
    const now = this.take();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** What is left of a body that has ended whole, at once (no promise, no wait); null while it is
   * still arriving or when it broke off (read it with next()). */
  rest(): Uint8Array | null {
    if (this.ended !== DONE) return null;
    const parts = this.queue;
    this.queue = [];
    this.queued = 0;
    return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  }

  private finish(how: typeof DONE | { error: unknown }): void {
    if (this.ended) return;
    this.ended = how;
    const w = this.waiting;
    this.waiting = null;
    w?.(how);
    const l = this.listener;
    this.listener = null;
    l?.(how);
  }

  close(): void {
    this.finish(DONE);
  }

  error(e: unknown): void {
    this.finish({ error: e });
  }

  cancel(): void {
    if (this.ended) return;
    this.queue = [];
    this.queued = 0;
    this.finish({ error: new Error("cancelled") });
    this.onCancel();
  }
}
