// A channel's output cap, as a pure rule: asks above it are lowered in every wire format's field,
// asks at or under it (or none) are left alone, and the client's body is never changed.
import { describe, expect, test } from "bun:test";
import { asksOverCap, capOutput } from "../../src/relay/plan/output-cap";

describe("capOutput", () => {
  test("chat, Anthropic and Responses fields above the cap are lowered", () => {
    expect(capOutput({ max_tokens: 64000 }, 8192)).toEqual({ max_tokens: 8192 });
    expect(capOutput({ max_completion_tokens: 9000 }, 8192)).toEqual({ max_completion_tokens: 8192 });
    expect(capOutput({ max_output_tokens: 9000 }, 8192)).toEqual({ max_output_tokens: 8192 });
  });

  test("Gemini's generationConfig.maxOutputTokens, other settings kept", () => {
    expect(capOutput({ generationConfig: { maxOutputTokens: 65536, temperature: 0.2 } }, 8192)).toEqual({ generationConfig: { maxOutputTokens: 8192, temperature: 0.2 } });
  });

  test("at or under the cap, no ask, or no cap (0): the same object back", () => {
    for (const [body, cap] of [[{ max_tokens: 8192 }, 8192], [{ messages: [] }, 8192], [{ max_tokens: 64000 }, 0]] as const) {
      expect(capOutput(body as Record<string, unknown>, cap)).toBe(body);
      expect(asksOverCap(body as Record<string, unknown>, cap)).toBe(false);
    }
  });

  test("the client's body is not changed", () => {
    const body = { max_tokens: 64000, generationConfig: { maxOutputTokens: 64000 } };
    capOutput(body, 100);
    expect(body).toEqual({ max_tokens: 64000, generationConfig: { maxOutputTokens: 64000 } });
  });
});
