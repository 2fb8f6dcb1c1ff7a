// The stream meter (src/relay/respond/meter.ts) over long streams: the held tail stays bounded while
// older events are reduced to text, the usage event and the end marker are still found in the tail,
// and a stream without usage is counted over everything it delivered, multi-byte text included, the
// same as counting the whole text at once.
import { describe, expect, test } from "bun:test";
import { countTokens } from "../../../src/core/tokenizer";
import { StreamMeter } from "../../../src/relay/respond/meter";
import { openaiUsage } from "../../../src/relay/wire/openai/usage";

const enc = new TextEncoder();
const event = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const USAGE = `data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3000,"total_tokens":3012}}\n\n`;

/** A meter fed `n` events in chunks of `per` events; the text they carry. */
function feed(n: number, per: number, tail = "") {
  const meter = new StreamMeter(openaiUsage);
  let text = "";
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const content = i % 7 === 0 ? `数${i},` : `w${i} `; // multi-byte text on the way
    text += content;
    chunk += event(content);
    if ((i + 1) % per === 0) meter.observe(enc.encode(chunk)), (chunk = "");
  }
  meter.observe(enc.encode(chunk + tail));
  return { meter, text };
}

describe("stream meter", () => {
  test("a long stream with usage: its usage and its end are found after many spills", () => {
    const { meter } = feed(3000, 5, `${USAGE}data: [DONE]\n\n`);
    expect(meter.complete()).toBe(true);
    expect(meter.reportedUsage()).toEqual({ prompt: 12, completion: 3000, cached: 0 });
  });

  test("a stream without usage is counted over all it delivered, as the whole text at once", async () => {
    for (const per of [1, 3, 50]) {
      const { meter, text } = feed(2500, per);
      expect(meter.complete()).toBe(false);
      expect(meter.reportedUsage()).toBeNull();
      expect(await meter.countedCompletion()).toBe(await countTokens(text));
    }
  });

  test("one chunk larger than the tail is held whole", () => {
    const { meter } = feed(1, 1, `${event("x".repeat(40_000))}${USAGE}data: [DONE]\n\n`);
    expect(meter.complete()).toBe(true);
    expect(meter.reportedUsage()?.completion).toBe(3000);
  });
});
