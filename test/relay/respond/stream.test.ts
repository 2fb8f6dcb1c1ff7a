// relayStream (src/relay/respond/stream.ts) with its read-ahead (read-ahead.ts), without a server: an
// upstream body that receives bytes and is then reset before the client asked for them (a fetch body
// drops what it holds unread when it errors, as the Streams standard says) still delivers them,
// metered, before the cut's error event; the read-ahead stops at its bound until the client takes
// more; a normal stream ends normally; a chunk that came with the upstream's head is written at once.
import { describe, expect, test } from "bun:test";
import { READ_AHEAD_BYTES, readAhead } from "../../../src/relay/respond/read-ahead";
import { StreamMeter } from "../../../src/relay/respond/meter";
import { relaySource, relayStream, type StreamResult } from "../../../src/relay/respond/stream";
import { PushSource } from "../../../src/net/h1/source";
import { openaiUsage } from "../../../src/relay/wire/openai/usage";

const enc = new TextEncoder();
const event = (content: string) => enc.encode(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
const ERROR = 'data: {"error":{"code":"CODE"}}\n\n';

/** The relay's options for these tests: OpenAI's usage rules, nothing stripped, ends collected. */
function options() {
  const meter = new StreamMeter(openaiUsage);
  const ended: StreamResult[] = [];
  const opts = {
    meter,
    stripUsage: false,
    idleMs: 60_000,
    abortUpstream: () => {},
    onEnd: (r: StreamResult) => void ended.push(r),
    errorEvent: (_message: string, code: string) => ERROR.replace("CODE", code),
    secrets: [],
  };
  return { opts, meter, ended };
}

function relay(upstream: ReadableStream<Uint8Array>) {
  const { opts, meter, ended } = options();
  return { out: relayStream(readAhead(upstream), opts), meter, ended };
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

describe("what came with the upstream's head", () => {
  // A chunk already here is written in the same turn pull starts (before any await): Bun then sends the
  // response's head and that first event in one write. Awaited instead, the head left alone first and
  // the client's first event came one send later (time to first chunk -87 to -172 µs, bench/ab.ts --mode ttfc).
  test("is written before pull first yields; later chunks as they come", async () => {
    const source = new PushSource(
      () => null,
      () => {},
    );
    source.push(event("Hi"));
    const writes: string[] = [];
    const dec = new TextDecoder();
    const controller = {
      write: (b: Uint8Array) => void writes.push(dec.decode(b)),
      flush: () => 0,
      close: () => void writes.push("<closed>"),
    } as unknown as ReadableStreamDirectController;
    const { opts, ended } = options();
    const pulling = relaySource(source, opts).pull!(controller);
    expect(writes).toEqual([dec.decode(event("Hi"))]); // synchronously, within pull's first turn
    source.push(event(" there"));
    source.push(enc.encode("data: [DONE]\n\n"));
    source.close();
    await pulling;
    expect(writes.slice(1)).toEqual([dec.decode(event(" there")), "data: [DONE]\n\n", "<closed>"]);
    expect(ended.map((e) => e.end)).toEqual(["done"]);
  });
});
