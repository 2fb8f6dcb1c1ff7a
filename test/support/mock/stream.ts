// Mock upstream, shared streaming machinery for every wire format: a format builds a plan (framed events,
// its content deltas marked), and this module plays it with the pacing (intervalMs), the cut_after fault
// (connection reset after N deltas), client-gone detection and the `sent` count.
import { type Ctx, type MockSettings, sleep } from "./core";
import { leakFrames } from "./leak";

/** One framed event of a stream; `delta` marks a content delta (paced, counted by cut_after). */
export type Ev = { frame: string; delta?: boolean };

/** `data: {…}` events (OpenAI chat/completions); a string is sent as is (e.g. "[DONE]"). */
export const sse = (obj: unknown): Ev => ({
  frame: `data: ${typeof obj === "string" ? obj : JSON.stringify(obj)}\n\n`,
});
/** Event-named SSE (Anthropic, OpenAI Responses). */
export const sseNamed = (event: string, obj: unknown): Ev => ({
  frame: `event: ${event}\ndata: ${JSON.stringify(obj)}\n\n`,
});
/** Google's SSE: unnamed, CRLF-separated. */
export const sseCRLF = (obj: unknown): Ev => ({ frame: `data: ${JSON.stringify(obj)}\r\n\r\n` });
/** The same event, marked as a content delta. */
export const delta = (ev: Ev): Ev => ({ ...ev, delta: true });

const CUT = Symbol("cut");

/** The plan's frames with pacing; yields CUT where the connection must be destroyed: before delta number
 * `cutAfter`, or right after the last delta (before the closing events) when there are fewer. */
async function* play(ctx: Ctx, plan: Ev[]): AsyncGenerator<string | typeof CUT, void> {
  const { s } = ctx;
  const cutting = s.mode === "cut_after";
  let lastDelta = -1;
  plan.forEach((ev, i) => ev.delta && (lastDelta = i));
  let k = 0;
  for (let i = 0; i < plan.length; i++) {
    const ev = plan[i];
    if (ev.delta) {
      if (cutting && k >= s.cutAfter) return void (yield* cut(s));
      if (s.mode === "leak" && k >= s.cutAfter) return void (yield* leakFrames(ctx));
      if (k > 0 && s.intervalMs > 0) await sleep(s.intervalMs);
      if (ctx.life.gone()) return;
      k++;
    }
    yield ev.frame;
    if (cutting && i === lastDelta) return void (yield* cut(s));
  }
}

/** The cut comes when the next chunk would have, and at least 100 ms after the last one: a reset that
 * reaches a Bun fetch client in the same turn as the bytes before it makes the fetch body drop those
 * bytes (a plain TCP reader keeps them). With 10 ms, under CPU load, about 3% of fetch reads lost all
 * the deltas (and cut-streams tests saw 0 completion tokens); with 100 ms none did. The tests are
 * about what apiyi does with the bytes it got, not about that. */
async function* cut(s: MockSettings): AsyncGenerator<typeof CUT> {
  await sleep(Math.max(s.intervalMs, 100));
  yield CUT;
}

/** Streams the plan as it is played; a CUT errors the stream so Bun resets the connection. */
export function streamResponse(ctx: Ctx, plan: Ev[], headers: Record<string, string> = {}) {
  ctx.streaming = true;
  const events = play(ctx, plan);
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    // pull runs again only once Bun has taken the previous chunk; it awaits the pacing, nothing is buffered
    async pull(controller) {
      const { value, done } = await events.next();
      if (ctx.life.gone()) return void events.return(undefined);
      if (done) return (ctx.life.finish(), controller.close());
      if (value === CUT) {
        ctx.life.finish();
        void events.return(undefined);
        return controller.error(undefined); // an undefined reason: Bun resets the connection without logging
      }
      controller.enqueue(enc.encode(value));
      ctx.rec.sent++;
    },
    cancel() {
      ctx.life.abort();
      void events.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
  });
}
