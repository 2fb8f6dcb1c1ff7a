// Passing an upstream SSE stream to the client event by event, as it arrives: no timers, no buffering
// beyond completing a split event and a bounded read-ahead. It hides the usage-only event from clients
// that did not ask for usage, translates events when the client speaks another format, ends a cut
// stream with an error event (in the client's shape) instead of its normal end, and aborts the
// upstream when the client goes away. The upstream's own error events are redacted before anything
// else sees them. The upstream is read as its bytes arrive (the HTTP/1.1 client's chunk source, or
// read-ahead.ts over a fetch body), not when the client asks for more.
import type { StreamMeter } from "./meter";
import type { ChunkSource, Next } from "../../net/h1/source";
import { redactStreamErrors } from "./redact-errors";
import { indexOfBytes } from "../../net/bytes";
import type { TextStream } from "../wire/translate";
import { unwatch, watchIdle } from "../attempt/watchdog";

/** done: the upstream finished; cut: it broke off or went idle; client_gone: the client left;
 * shutdown: the server's shutdown drain ran out of time and ended it */
export type StreamEnd = "done" | "cut" | "client_gone" | "shutdown";
export type StreamResult = { end: StreamEnd; firstChunkAt: number | null; bytes: number; idle?: boolean };
const END = Symbol("end");
type Step = typeof END | Promise<unknown> | undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The streams being relayed, each with the way to end it from outside. */
const open = new Set<(message: string, code: string) => void>();

/** Ends every open stream with an error event in its client's shape (`code`, `message`), its
 * upstream aborted and its log row coded `code`; returns how many there were. For the end of the
 * shutdown drain: the server is about to close their connections. */
export function cutOpenStreams(message: string, code: string): number {
  const n = open.size;
  for (const cut of [...open]) cut(message, code);
  return n;
}

/** Index just past the last complete event ("\n\n" or "\r\n\r\n"), or 0. */
export function lastEventEnd(b: Uint8Array): number {
  const n = b.length;
  if (n >= 2 && b[n - 1] === 10 && (b[n - 2] === 10 || (b[n - 2] === 13 && b[n - 3] === 10))) return n;
  for (let i = n - 1; i > 0; i--) {
    if (b[i] === 10 && (b[i - 1] === 10 || (b[i - 1] === 13 && b[i - 2] === 10))) return i + 1;
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const USAGE_ONLY = encoder.encode('"choices":[]');

/** The chunk without the usage-only event (`"choices":[]`), which a client that did not ask must not
 * see: the chunk itself when it has none, else the parts before and after it (written one after the
 * other: no copy into a new buffer). */
export function withoutUsageEvent(chunk: Uint8Array): Uint8Array | [Uint8Array, Uint8Array] {
  const at = indexOfBytes(chunk, USAGE_ONLY);
  if (at < 0) return chunk;
  let start = at;
  while (start > 0 && !(chunk[start - 1] === 10 && chunk[start - 2] === 10)) start--;
  let end = at;
  while (end < chunk.length && !(chunk[end] === 10 && chunk[end - 1] === 10)) end++;
  return [chunk.subarray(0, start), chunk.subarray(Math.min(end + 1, chunk.length))];
}

export type RelayStreamOptions = {
  meter: StreamMeter;
  stripUsage: boolean;
  /** the channel's idle limit between chunks */
  idleMs: number;
  abortUpstream: () => void;
  onEnd: (result: StreamResult) => void;
  /** the event that tells the client its stream was cut, in its own shape */
  errorEvent: (message: string, code: string) => string;
  /** the client speaks another format: complete events in, the client's events out */
  transform?: TextStream;
  /** the channel's upstream keys, scrubbed from the upstream's error events */
  secrets: string[];
  /** whether the client has gone (its request's signal): an upstream aborted because of that, or a
   * write that fails, ends the stream as the client's doing, not as a cut */
  clientGone?: () => boolean;
};

/** Complete events, translated when a transform is given. */
function render(chunk: Uint8Array, transform?: TextStream): Uint8Array {
  return transform ? encoder.encode(transform.push(decoder.decode(chunk))) : chunk;
}

export const relayStream = (body: ChunkSource, opts: RelayStreamOptions): ReadableStream<Uint8Array> =>
  new DirectStream(relaySource(body, opts));

/** The direct source behind relayStream: its pull writes each event as it arrives. */
export function relaySource(body: ChunkSource, opts: RelayStreamOptions): Bun.DirectUnderlyingSource<Uint8Array> {
  let carry: Uint8Array | null = null;
  let firstChunkAt: number | null = null;
  let bytes = 0;
  let ended = false;
  let idle = false;
  const watch = watchIdle(opts.idleMs, () => {
    idle = true;
    opts.abortUpstream();
  });
  body.onBytes = () => {
    watch.last = performance.now();
  };
  /** settles the pull of a pushed source (the stream may end from outside: shutdown, cancel) */
  let settle: (() => void) | null = null;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    unwatch(watch);
    open.delete(shut);
    opts.onEnd({ end: how, firstChunkAt, bytes, idle });
    settle?.();
  };
  let output: ReadableStreamDirectController | null = null;
  const shut = (message: string, code: string) => {
    if (ended) return;
    try {
      output?.write(encoder.encode(opts.errorEvent(message, code)));
      output?.close();
    } catch {} // the client may be gone already
    end("shutdown");
    opts.abortUpstream();
    body.cancel();
  };
  open.add(shut);
  const cut = (controller: ReadableStreamDirectController) => {
    const error = idle
      ? opts.errorEvent(
          `the upstream sent nothing for ${opts.idleMs} ms; the stream was stopped`,
          "upstream_idle_timeout",
        )
      : opts.errorEvent("the upstream stream was interrupted before it finished", "upstream_stream_interrupted");
    controller.write(encoder.encode(error));
    controller.close();
    end("cut");
  };

  /** The client left: the upstream is aborted, its source dropped, the stream ended as client_gone. */
  const gone = () => {
    opts.abortUpstream();
    end("client_gone"); // first: a pushed source tells its end at once, and this is not a cut
    body.cancel();
  };
  /** The stream cannot go on: the client's doing when it has left, else a cut (an error event). */
  const broken = (controller: ReadableStreamDirectController) => {
    if (ended) return;
    if (opts.clientGone?.()) return gone();
    try {
      cut(controller);
    } catch {
      gone(); // the error event cannot be written either: the client's socket is gone
    }
  };

  /** One step: END once the stream is over, a promise while the client's socket is full (nothing
   * more is written until it settles: backpressure), else nothing. */
  const step = (controller: ReadableStreamDirectController, next: Next): Step => {
    if (ended) return END; // ended from outside (shutdown) meanwhile
    if ("error" in next) return (broken(controller), END);
    if ("done" in next) {
      if (!opts.meter.complete()) return (cut(controller), END);
      const closing = opts.transform?.end();
      if (closing) controller.write(encoder.encode(closing));
      controller.close();
      end("done");
      return END;
    }
    const value = next.chunk;
    let chunk = carry ? concat(carry, value) : value;
    carry = null;
    const cutAt = lastEventEnd(chunk);
    if (cutAt < chunk.length) {
      carry = chunk.slice(cutAt);
      chunk = chunk.subarray(0, cutAt);
    }
    if (chunk.length === 0) return;
    chunk = redactStreamErrors(chunk, opts.secrets);
    opts.meter.observe(chunk);
    // stripped (chat clients that did not ask for usage) or translated, never both (respond.ts)
    const out = opts.stripUsage ? withoutUsageEvent(chunk) : render(chunk, opts.transform);
    const size = Array.isArray(out) ? out[0].length + out[1].length : out.length;
    if (size === 0) return;
    firstChunkAt ??= performance.now();
    bytes += size;
    if (Array.isArray(out)) {
      if (out[0].length) controller.write(out[0]);
      if (out[1].length) controller.write(out[1]);
    } else controller.write(out);
    const flushed = controller.flush();
    return typeof flushed === "number" ? undefined : flushed;
  };
  /** A step that cannot fail: a throw (a write to a client gone mid-stream) ends the stream as broken. */
  const safeStep = (controller: ReadableStreamDirectController, next: Next): Step => {
    try {
      return step(controller, next);
    } catch {
      broken(controller);
      return END;
    }
  };

  /** From a source that tells each chunk as it arrives (net/h1's): each is written in the socket's
   * own turn, no promise per event; while the client's socket is full the source holds them. */
  const pushed = (controller: ReadableStreamDirectController, source: Required<ChunkSource>) =>
    new Promise<void>((resolve) => {
      settle = resolve;
      const deliver = (next: Next) => {
        const r = safeStep(controller, next);
        if (r === undefined) return;
        source.listen(null);
        if (r === END) return resolve();
        r.then(
          () => (ended ? resolve() : source.listen(deliver)),
          () => (broken(controller), resolve()),
        );
      };
      source.listen(deliver);
    });

  /** From a source read by asking (read-ahead.ts over a fetch body). What is already here is
   * written in this turn: the first event that came with the upstream's head leaves in the same
   * send as the response's head. */
  const pulled = async (controller: ReadableStreamDirectController) => {
    for (;;) {
      const r = safeStep(controller, body.take() ?? (await body.next()));
      if (r === END) return;
      if (r) await r.catch(() => broken(controller));
    }
  };

  // a direct stream: written straight to the socket (no queue of chunks between two streams), each
  // event flushed as it is written, the socket's backpressure awaited
  return {
    type: "direct",
    pull(controller: ReadableStreamDirectController) {
      output = controller;
      return body.listen ? pushed(controller, body as Required<ChunkSource>) : pulled(controller);
    },
    cancel: gone,
  };
}

/** Bun's ReadableStream constructor as it takes a direct source (the DOM typings only know the others). */
const DirectStream = ReadableStream as unknown as new (
  source: Bun.DirectUnderlyingSource<Uint8Array>,
) => ReadableStream<Uint8Array>;
