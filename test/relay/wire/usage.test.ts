// Usage per wire format (OpenAI chat, Responses, Anthropic incl. its split stream usage, Gemini),
// and what a call costs with Anthropic cache writes and reads.
import { describe, expect, test } from "bun:test";
import { usageCost, type PriceEntry } from "../../../src/core/billing";
import { anthropicStreamUsage } from "../../../src/relay/wire/anthropic/usage";
import { usageOf } from "../../../src/relay/wire";
import type { Endpoint } from "../../../src/relay/wire/contract";

const WIRE_ENDPOINT = { openai: "chat", responses: "responses", anthropic: "messages", gemini: "gemini" } as const;
const usageFromText = (text: string, wire: keyof typeof WIRE_ENDPOINT = "openai") =>
  usageOf(WIRE_ENDPOINT[wire] as Endpoint).fromText(text);

const price: PriceEntry = {
  model: "m",
  input: 3_000_000,
  output: 15_000_000,
  cachedInput: 300_000,
  perCall: null,
  cacheWrite: 3_750_000,
  holdCapTokens: 8192,
};

describe("usage per wire format", () => {
  test("OpenAI chat: cached and reasoning details", () => {
    const text = JSON.stringify({
      usage: {
        prompt_tokens: 100,
        completion_tokens: 40,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
    expect(usageFromText(text)).toEqual({ prompt: 100, completion: 40, cached: 30, reasoning: 12 });
  });

  test("Responses: input/output tokens with their details (response.completed)", () => {
    const text = `event: response.completed\ndata: ${JSON.stringify({ type: "response.completed", response: { output: [{ content: [{ text: '"usage": {' }] }], usage: { input_tokens: 50, output_tokens: 20, input_tokens_details: { cached_tokens: 10 }, output_tokens_details: { reasoning_tokens: 5 } } } })}\n\n`;
    expect(usageFromText(text, "responses")).toEqual({ prompt: 50, completion: 20, cached: 10, reasoning: 5 });
  });

  test("Anthropic: input_tokens excludes cache reads and writes, which are added back", () => {
    const text = JSON.stringify({
      usage: { input_tokens: 7, output_tokens: 9, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
    });
    expect(usageFromText(text, "anthropic")).toEqual({ prompt: 127, completion: 9, cached: 100, cacheWrite: 20 });
  });

  test("Anthropic streams: message_start's input counts merged with message_delta's output", () => {
    const head = `event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":7,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":1}}}\n\n`;
    const tail = `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`;
    expect(anthropicStreamUsage(head, tail)).toEqual({ prompt: 127, completion: 42, cached: 100, cacheWrite: 20 });
    // a message_delta that repeats the input counts (or zeroes them) never lowers them
    const zeroed = tail.replace('"output_tokens":42', '"input_tokens":0,"output_tokens":42');
    expect(anthropicStreamUsage(head, zeroed)).toEqual({ prompt: 127, completion: 42, cached: 100, cacheWrite: 20 });
  });

  test("Gemini: usageMetadata; thoughts are billed as output", () => {
    const text = `data: ${JSON.stringify({ usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 8, thoughtsTokenCount: 4, cachedContentTokenCount: 10, totalTokenCount: 42 } })}\r\n\r\n`;
    expect(usageFromText(text, "gemini")).toEqual({ prompt: 30, completion: 12, cached: 10, reasoning: 4 });
  });

  test("no usage, or usage: null → null", () => {
    expect(usageFromText('{"usage":null}')).toBeNull();
    expect(usageFromText("{}", "gemini")).toBeNull();
  });
});

describe("cache writes and reads", () => {
  test("plain input, cache reads at cached_input, cache writes at cache_write, output", () => {
    // 7 × $3 + 100 × $0.30 + 20 × $3.75 + 42 × $15 per 1M = 21 + 30 + 75 + 630 = 756 µUSD → 378 units
    expect(usageCost({ prompt: 127, completion: 42, cached: 100, cacheWrite: 20 }, price, 1_000_000)).toBe(378);
  });

  test("without a cache_write price, writes cost the input price", () => {
    const p = { ...price, cacheWrite: null };
    // 7 × 3 + 100 × 0.3 + 20 × 3 + 42 × 15 = 21 + 30 + 60 + 630 = 741 µUSD → ceil(370.5) = 371
    expect(usageCost({ prompt: 127, completion: 42, cached: 100, cacheWrite: 20 }, p, 1_000_000)).toBe(371);
  });

  test("reads and writes never count for more than the prompt", () => {
    expect(usageCost({ prompt: 10, completion: 0, cached: 8, cacheWrite: 8 }, price, 1_000_000)).toBe(
      usageCost({ prompt: 10, completion: 0, cached: 8, cacheWrite: 2 }, price, 1_000_000),
    );
  });
});
