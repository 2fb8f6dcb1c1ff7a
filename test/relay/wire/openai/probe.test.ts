// The channel test's call in the OpenAI format (openai and azure channels): `max_tokens: 1`, except to
// OpenAI's reasoning models, which refuse max_tokens and need room to reason before they answer.
import { describe, expect, test } from "bun:test";
import { REASONING_ROOM } from "../../../../src/core/hold";
import { azure } from "../../../../src/relay/wire/azure/provider";
import { openai } from "../../../../src/relay/wire/openai/provider";
import { isOpenAiReasoningModel } from "../../../../src/relay/wire/openai/reasoning";

describe("OpenAI's reasoning models, by name", () => {
  test("o-series and gpt-5 with their variants and dated snapshots", () => {
    for (const m of ["o1", "o1-mini", "o1-preview-2024-09-12", "o3", "o3-pro-2025-06-10", "o4-mini", "O3-MINI"])
      expect(isOpenAiReasoningModel(m)).toBe(true);
    for (const m of ["gpt-5", "gpt-5-mini", "gpt-5-nano-2025-08-07", "gpt-5.1", "gpt-5.2-codex"])
      expect(isOpenAiReasoningModel(m)).toBe(true);
  });
  test("not other models, nor an aggregator's vendor-prefixed name", () => {
    for (const m of ["gpt-4o", "gpt-4.1-nano", "gpt-50", "omni-moderation-latest", "o", "gpt-oss-120b", "openai/o3"])
      expect(isOpenAiReasoningModel(m)).toBe(false);
  });
});

describe("the probe body", () => {
  test("a one-token chat call to other models", () => {
    expect(openai.probe!("gpt-4o-mini")).toEqual({
      endpoint: "chat",
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
    });
  });
  test("a reasoning model gets max_completion_tokens with room to reason, and no max_tokens", () => {
    for (const provider of [openai, azure]) {
      const { body } = provider.probe!("o4-mini");
      expect(body.max_tokens).toBeUndefined();
      expect(body.max_completion_tokens).toBe(REASONING_ROOM);
    }
  });
});
