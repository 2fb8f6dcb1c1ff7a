// A channel's output cap, as a pure rule: asks above it are lowered in every wire format's field,
// asks at or under it (or none) are left alone, and the client's body is never changed.
import { describe, expect, test } from "bun:test";
import { asksOverCap, capOutput, limitOutput, limitText } from "../../../src/relay/plan/output-cap";

describe("capOutput", () => {
  test("chat, Anthropic and Responses fields above the cap are lowered", () => {
    expect(capOutput({ max_tokens: 64000 }, 8192)).toEqual({ max_tokens: 8192 });
    expect(capOutput({ max_completion_tokens: 9000 }, 8192)).toEqual({ max_completion_tokens: 8192 });
    expect(capOutput({ max_output_tokens: 9000 }, 8192)).toEqual({ max_output_tokens: 8192 });
  });

  test("Gemini's generationConfig.maxOutputTokens, other settings kept", () => {
    expect(capOutput({ generationConfig: { maxOutputTokens: 65536, temperature: 0.2 } }, 8192)).toEqual({
      generationConfig: { maxOutputTokens: 8192, temperature: 0.2 },
    });
  });

  test("at or under the cap, no ask, or no cap (0): the same object back", () => {
    for (const [body, cap] of [
      [{ max_tokens: 8192 }, 8192],
      [{ messages: [] }, 8192],
      [{ max_tokens: 64000 }, 0],
    ] as const) {
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

// The hold's output limit on an upstream body, without a server (item 11): asks above it lowered in
// every field, a body that asks nothing given the limit in its endpoint's own field (chat takes
// max_completion_tokens, Responses max_output_tokens, Anthropic and completions max_tokens, Gemini
// generationConfig.maxOutputTokens), other endpoints left alone; and the same on the client's JSON
// text by splicing, where no key would be duplicated.
describe("limitOutput", () => {
  test.each([
    ["chat", { model: "m" }, { model: "m", max_completion_tokens: 900 }],
    ["completions", { model: "m" }, { model: "m", max_tokens: 900 }],
    ["responses", { model: "m" }, { model: "m", max_output_tokens: 900 }],
    ["messages", { model: "m" }, { model: "m", max_tokens: 900 }],
    ["gemini", { contents: [] }, { contents: [], generationConfig: { maxOutputTokens: 900 } }],
    [
      "gemini",
      { generationConfig: { temperature: 0 } },
      { generationConfig: { temperature: 0, maxOutputTokens: 900 } },
    ],
    // asks above the limit are lowered where they are; asks under it stand
    ["chat", { max_tokens: 100_000 }, { max_tokens: 900 }],
    ["chat", { max_tokens: 100 }, { max_tokens: 100 }],
    ["gemini", { generationConfig: { maxOutputTokens: 64_000 } }, { generationConfig: { maxOutputTokens: 900 } }],
    // an endpoint without an output limit is left as it is
    ["embeddings", { input: "x" }, { input: "x" }],
  ] as const)("%s %j → %j", (endpoint, body, want) => {
    const before = structuredClone(body);
    expect(limitOutput({ ...body } as Record<string, unknown>, endpoint, 900)).toEqual(want);
    expect(body).toEqual(before); // the client's body is never changed
  });
});

describe("limitText", () => {
  test("the field spliced in before the closing brace, the rest byte for byte", () => {
    const text = '{"model":"m", "messages":[{"role":"user","content":"}"}]}\n';
    expect(limitText(text, JSON.parse(text), "chat", 900)).toBe(
      '{"model":"m", "messages":[{"role":"user","content":"}"}],"max_completion_tokens":900}\n',
    );
    const g = '{"contents":[]}';
    expect(JSON.parse(limitText(g, JSON.parse(g), "gemini", 900)!)).toEqual({
      contents: [],
      generationConfig: { maxOutputTokens: 900 },
    });
    expect(limitText("{ }", {}, "responses", 5)).toBe('{ "max_output_tokens":5}');
  });

  test("not when the key is there already (even null), an ask exists, or the endpoint has no limit", () => {
    expect(limitText('{"max_completion_tokens":null}', { max_completion_tokens: null }, "chat", 900)).toBeNull();
    expect(limitText('{"max_tokens":10}', { max_tokens: 10 }, "chat", 900)).toBeNull();
    expect(limitText('{"generationConfig":{}}', { generationConfig: {} }, "gemini", 900)).toBeNull();
    expect(limitText('{"input":"x"}', { input: "x" }, "embeddings", 900)).toBeNull();
  });
});
