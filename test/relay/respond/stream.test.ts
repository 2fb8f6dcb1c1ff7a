// relayStream (src/relay/respond/stream.ts) with its read-ahead (read-ahead.ts), without a server: an
// upstream body that receives bytes and is then reset before the client asked for them (a fetch body
// drops what it holds unread when it errors, as the Streams standard says) still delivers them,
// metered, before the cut's error event; the read-ahead stops at its bound until the client takes
// more; a normal stream ends normally.
import { describe, expect, test } from "bun:test";
import { READ_AHEAD_BYTES, readAhead } from "../../../src/relay/respond/read-ahead";
import { StreamMeter } from "../../../src/relay/respond/meter";
import { relayStream, type StreamResult } from "../../../src/relay/respond/stream";
import { openaiUsage } from "../../../src/relay/wire/openai/usage";

const enc = new TextEncoder();
const event = (content: string) => enc.encode(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
const ERROR = 'data: {"error":{"code":"CODE"}}\n\n';

function relay(upstream: ReadableStream<Uint8Array>) {
  const meter = new StreamMeter(openaiUsage);
  const ended: StreamResult[] = [];
  const out = relayStream(readAhead(upstream), {
    meter,
    stripUsage: false,
    idleMs: 60_000,
    abortUpstream: () => {},
    onEnd: (r) => ended.push(r),
    errorEvent: (_message, code) => ERROR.replace("CODE", code),
    secrets: [],
  });
  return { out, meter, ended };
}

/** A body that bytes are pushed into as they arrive from the network, as fetch's is. */
function pushedBody() {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (ctrl) => void (c = ctrl) });
  return {
    body,
    push: (b: Uint8Array) => c.enqueue(b),
    close: () => c.close(),
    reset: () => c.error(new Error("connection reset")),
  };
}

/** Lets every pending callback and promise run (the relay takes what arrived). */
const turn = () => Bun.sleep(0);

describe("an upstream reset before the client asked for more", () => {
  test("what had arrived reaches the client and the meter, then the cut's error event", async () => {
    const up = pushedBody();
    const r = relay(up.body);
    // the client has not read anything yet: two events arrive, then the connection is reset
    up.push(event("Hello"));
    await turn();
    up.push(event(" world"));
    await turn();
    up.reset();
    await turn();
    const text = await new Response(r.out).text();
    expect(text).toContain('"content":"Hello"');
    expect(text).toContain('"content":" world"');
    expect(text.endsWith(ERROR.replace("CODE", "upstream_stream_interrupted"))).toBe(true);
    expect(r.ended.map((e) => e.end)).toEqual(["cut"]);
    expect(await r.meter.countedCompletion()).toBe(2); // "Hello", " world"
  });

  test("a normal end: every event, no error event, ended done", async () => {
    const up = pushedBody();
    const r = relay(up.body);
    up.push(event("Hi"));
    up.push(enc.encode('data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'));
    up.close();
    const text = await new Response(r.out).text();
    expect(text).toContain('"content":"Hi"');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(r.ended.map((e) => e.end)).toEqual(["done"]);
  });
});

test("the read-ahead stops at its bound until the client takes more; then everything comes through", async () => {
  const CHUNK = 16 * 1024;
  const TOTAL = 20;
  let produced = 0;
  // a body that makes a chunk only when read (so how far the relay read ahead shows)
  const body = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (produced === TOTAL) return c.close();
        produced++;
        c.enqueue(enc.encode(`data: ${"x".repeat(CHUNK - 9)}\n\n`));
      },
    },
    { highWaterMark: 0 },
  );
  const r = relay(body);
  for (let i = 0; i < 5; i++) await turn();
  expect(produced * CHUNK).toBeLessThanOrEqual(READ_AHEAD_BYTES + CHUNK);
  expect(produced).toBeLessThan(TOTAL);
  const text = await new Response(r.out).text();
  expect(produced).toBe(TOTAL);
  expect(text.length).toBeGreaterThanOrEqual(TOTAL * (CHUNK - 9));
});
