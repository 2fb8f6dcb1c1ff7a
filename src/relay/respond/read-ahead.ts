// An upstream body read as its bytes arrive, one read always in flight, into a queue the client's
// stream drains at its own pace, up to READ_AHEAD_BYTES (past it the upstream waits: backpressure).
// Why not read only when the client asks for more: when an upstream resets its connection, the fetch
// body drops what it holds unread, so bytes that had arrived while the client was still taking the
// previous event were lost: never sent to the client, never metered, never billed (the upstream bills
// them all the same). Reading at once, the next read is issued in the same turn a read completes.
// (An answer of the HTTP/1.1 client needs none of this: it hands its chunks over as they arrive,
// net/h1/source.ts; this is for what came through Bun's fetch.)
import type { ChunkSource, Next } from "../../net/h1/source";

/** Most raw bytes read ahead of the client per stream; past it the upstream waits (backpressure). */
export const READ_AHEAD_BYTES = 64 * 1024;

/** The upstream body read as it arrives, one read always in flight, into a queue the client drains:
 * `next` gives the next chunk, or how the body ended once the queue is empty. */
const DONE = { done: true } as const;

export function readAhead(upstream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = upstream.getReader();
  const queue: Uint8Array[] = [];
  let queued = 0;
  /** the read in flight: settles once its chunk is queued (or the end noted) */
  let reading: Promise<void> | null = null;
  let ended: typeof DONE | { error: unknown } | null = null;
  const source: ChunkSource = {
    onBytes: () => {},
    /** The next chunk, or how the body ended once every chunk was taken; null while waiting. */
    take(): Next | null {
      const chunk = queue.shift();
      if (!chunk) return ended;
      queued -= chunk.byteLength;
      pump(); // resumes a read-ahead that had reached its bound
      return { chunk };
    },
    async next(): Promise<Next> {
      for (;;) {
        const now = source.take();
        if (now) return now;
        await reading;
      }
    },
    cancel: () => void reader.cancel().catch(() => {}),
  };
  const took = (r: { done: true; value?: undefined } | { done: false; value: Uint8Array }) => {
    reading = null;
    source.onBytes();
    if (r.done) ended = DONE;
    else {
      queue.push(r.value);
      queued += r.value.byteLength;
      pump(); // the next read at once: nothing that arrives may wait unread in the body
    }
  };
  const failed = (error: unknown) => {
    reading = null;
    ended = { error };
  };
  const pump = () => {
    if (!reading && !ended && queued < READ_AHEAD_BYTES) reading = reader.read().then(took, failed);
  };
  pump();
  return source;
}
