// The merge rule: the model's own vendor wins wherever it lists a name; other providers only fill
// names no vendor lists (OpenRouter first, then the given order); derived names fill last.
import { describe, expect, test } from "bun:test";
import { mergeOffers, vendorsOf, type Offer } from "../../../src/core/catalog/merge";

const price = (input: number) => ({ input, output: input * 2, cached_input: null, cache_write: null, per_call: null });
const offer = (provider: string, id: string, input: number, extra: Partial<Offer> = {}): Offer => ({
  provider,
  id,
  direct: [id],
  derived: [],
  price: price(input),
  tiered: false,
  ...extra,
});
const ORDER = ["openrouter", "azure", "github-copilot", "openai", "together"];
const winner = (offers: Offer[], model: string) => mergeOffers(offers, ORDER).find((m) => m.model === model);

describe("vendorsOf", () => {
  test.each([
    ["gpt-4o", ["openai"]],
    ["o3-mini", ["openai"]],
    ["claude-sonnet-4-5", ["anthropic"]],
    ["gemini-2.5-pro", ["google"]],
    ["grok-4", ["x-ai"]],
    ["deepseek-chat", ["deepseek"]],
    ["glm-5.2", ["zai", "zhipuai"]],
    ["qwen-max", ["alibaba"]],
    ["meta-llama/llama-3.3-70b-instruct", []],
    ["openai/gpt-4o", []], // an aggregator's path is nobody's own name
  ])("%s → %p", (model, vendors) => expect(vendorsOf(model)).toEqual(vendors));
});

describe("mergeOffers", () => {
  test("the vendor wins even when an aggregator or reseller lists the name first", () => {
    const offers = [offer("openrouter", "gpt-4o", 9), offer("azure", "gpt-4o", 8), offer("openai", "gpt-4o", 2.5)];
    expect(winner(offers, "gpt-4o")).toMatchObject({ provider: "openai", price: price(2.5) });
  });

  test("a name no vendor lists is filled by an aggregator, OpenRouter before the rest", () => {
    const offers = [offer("together", "meta-llama/llama-3", 0.9), offer("openrouter", "meta-llama/llama-3", 0.8)];
    expect(winner(offers, "meta-llama/llama-3")).toMatchObject({ provider: "openrouter" });
    expect(winner([offer("together", "x/only-here", 1)], "x/only-here")).toMatchObject({ provider: "together" });
  });

  test("aliases count as listed names; derived names fill only what nobody lists", () => {
    const offers = [
      offer("openrouter", "openai/gpt-4o", 3, { derived: ["gpt-4o"] }),
      offer("openai", "gpt-4o-2024-08-06", 2.5, { direct: ["gpt-4o-2024-08-06", "gpt-4o"] }),
      offer("openrouter", "qwen/qwen3-32b", 0.1, { derived: ["qwen3-32b"] }),
    ];
    const merged = mergeOffers(offers, ORDER);
    expect(merged.map((m) => m.model)).toEqual([
      "gpt-4o",
      "gpt-4o-2024-08-06",
      "openai/gpt-4o",
      "qwen/qwen3-32b",
      "qwen3-32b",
    ]);
    expect(winner(offers, "gpt-4o")).toMatchObject({ provider: "openai", id: "gpt-4o-2024-08-06" });
    expect(winner(offers, "qwen3-32b")).toMatchObject({ provider: "openrouter", id: "qwen/qwen3-32b" });
  });

  test("two vendors of one name (GLM): the one earlier in the order", () => {
    const offers = [offer("zhipuai", "glm-5", 1), offer("zai", "glm-5", 1.4)];
    expect(mergeOffers(offers, ["zai", "zhipuai"])[0]).toMatchObject({ provider: "zai" });
  });
});
