// Sizing a usage hold (core/hold.ts), without a server: the output a call asks for in any wire
// format (no longer capped at the hold cap), whether it asks the model to reason and with what
// budget, the least output it needs, the most output a balance pays for (exact against holdAmount),
// and the plan: hold the whole bound, lower it to what the balance covers, or refuse.
import { describe, expect, test } from "bun:test";
import { holdAmount, type PriceEntry } from "../../src/core/billing";
import {
  affordableOutput,
  available,
  leastOutput,
  outputAsk,
  planOutput,
  reasoningAsk,
  REASONING_ROOM,
} from "../../src/core/hold";
import type { TokenEntry, UserEntry } from "../../src/core/snapshot";

const M1 = 1_000_000;
const price = (p: Partial<PriceEntry> = {}): PriceEntry => ({
  model: "m",
  input: null,
  output: null,
  cachedInput: null,
  perCall: null,
  cacheWrite: null,
  holdCapTokens: 8192,
  ...p,
});
/** gpt-4o: $2.50 in, $10 out per 1M */
const GPT4O = price({ input: 2_500_000, output: 10_000_000, cachedInput: 1_250_000 });

describe("outputAsk: the call's own output limit, in any wire format's field", () => {
  test.each([
    [{ max_tokens: 100 }, 100],
    [{ max_completion_tokens: 200 }, 200],
    [{ max_output_tokens: 300 }, 300],
    [{ generationConfig: { maxOutputTokens: 400 } }, 400],
    // no longer capped: Claude Code's 64,000 and a 100,000 ask are held as asked
    [{ max_tokens: 64_000 }, 64_000],
    [{ max_completion_tokens: 100_000 }, 100_000],
    // several fields: the largest (an upstream may honour any of them)
    [{ max_tokens: 50, max_completion_tokens: 70 }, 70],
    // a fractional ask rounds up, never below what may come back
    [{ max_tokens: 10.2 }, 11],
  ])("%j → %d", (body, want) => expect(outputAsk(body)).toBe(want));

  test.each([
    [{}],
    [{ max_tokens: "100" }],
    [{ max_tokens: 0 }],
    [{ max_tokens: -5 }],
    [{ max_tokens: Number.NaN }],
    [{ max_tokens: null }],
    [{ generationConfig: null }],
  ])("%j asks nothing", (body) => expect(outputAsk(body)).toBeUndefined());
});

describe("reasoningAsk and leastOutput: a reasoning call needs room to think before it answers", () => {
  test.each([
    // Anthropic: a budget must stay below max_tokens; adaptive thinking names none
    [{ thinking: { type: "enabled", budget_tokens: 2048 } }, 2048],
    [{ thinking: { type: "adaptive" } }, "unsized"],
    [{ thinking: { type: "disabled" } }, null],
    // Gemini: thinkingBudget 0 is off, -1 dynamic
    [{ generationConfig: { thinkingConfig: { thinkingBudget: 512 } } }, 512],
    [{ generationConfig: { thinkingConfig: { thinkingBudget: -1 } } }, "unsized"],
    [{ generationConfig: { thinkingConfig: { includeThoughts: true } } }, "unsized"],
    [{ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }, null],
    // OpenAI chat and Responses: an effort; "none" is no reasoning
    [{ reasoning_effort: "low" }, "unsized"],
    [{ reasoning_effort: "none" }, null],
    [{ reasoning: { effort: "high" } }, "unsized"],
    [{ reasoning: { effort: null, summary: "auto" } }, null],
    [{ reasoning: { max_tokens: 3000 } }, 3000],
    [{ messages: [] }, null],
  ])("%j → %p", (body, want) => expect(reasoningAsk(body)).toBe(want as number | "unsized" | null));

  test("the least output: min_output_tokens, after the thinking budget or REASONING_ROOM; never more than asked", () => {
    expect(leastOutput({}, 16)).toEqual({ tokens: 16, thinking: 0 });
    expect(leastOutput({ thinking: { type: "enabled", budget_tokens: 2048 }, max_tokens: 8000 }, 16)).toEqual({
      tokens: 2064,
      thinking: 2048,
    });
    expect(leastOutput({ reasoning_effort: "medium" }, 16)).toEqual({
      tokens: REASONING_ROOM + 16,
      thinking: REASONING_ROOM,
    });
    // a call that asks for 5 tokens needs no more than 5
    expect(leastOutput({ max_tokens: 5 }, 16).tokens).toBe(5);
    // Anthropic's smallest valid ask with a budget (budget + 1) still fits its own least
    expect(leastOutput({ thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 1025 }, 16).tokens).toBe(1025);
  });
});

describe("affordableOutput: the most output a balance pays for next to a prompt", () => {
  test("$0.01 left (5,000 units), a 20-token prompt at gpt-4o prices: 995 output tokens, exactly", () => {
    // (20 × 2.5 + o × 10) / 1e6 USD ≤ $0.01  ⇔  o ≤ 995
    const o = affordableOutput(5_000, GPT4O, M1, 20, 1);
    expect(o).toBe(995);
    expect(holdAmount("usage", GPT4O, M1, 20, o, 1)).toBeLessThanOrEqual(5_000);
    expect(holdAmount("usage", GPT4O, M1, 20, o + 1, 1)).toBeGreaterThan(5_000);
  });

  test("n choices share the balance; the multiplier raises the price", () => {
    expect(affordableOutput(5_000, GPT4O, M1, 20, 5)).toBe(199);
    expect(affordableOutput(5_000, GPT4O, 2 * M1, 20, 1)).toBe(495);
  });

  test("not even the prompt fits: -1; output free or unlimited balance: Infinity", () => {
    expect(affordableOutput(10, GPT4O, M1, 1_000_000, 1)).toBe(-1);
    expect(affordableOutput(10, price({ input: 1_000_000 }), M1, 5, 1)).toBe(Infinity);
    expect(affordableOutput(Infinity, GPT4O, M1, 5, 1)).toBe(Infinity);
    expect(affordableOutput(10, GPT4O, 0, 5, 1)).toBe(Infinity);
  });

  test("property: the result is the largest output whose hold fits (random prices, prompts, multipliers)", () => {
    let seed = 424242;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 3000; i++) {
      const p = price({
        input: rnd(30_000_000),
        output: 1 + rnd(80_000_000),
        cachedInput: rnd(2) ? null : rnd(40_000_000),
        cacheWrite: rnd(2) ? null : rnd(40_000_000),
      });
      const m = 1 + rnd(3 * M1);
      const prompt = rnd(100_000);
      const n = 1 + rnd(4);
      const amount = rnd(2_000_000);
      const o = affordableOutput(amount, p, m, prompt, n);
      if (o === -1) {
        expect(holdAmount("usage", p, m, prompt, 0, n)).toBeGreaterThan(amount);
        continue;
      }
      if (holdAmount("usage", p, m, prompt, o, n) > amount || holdAmount("usage", p, m, prompt, o + 1, n) <= amount) {
        throw new Error(`not the largest fitting output: ${JSON.stringify({ p, m, prompt, n, amount, o })}`);
      }
    }
  });

  test("available: the smaller limited balance; Infinity when both are unlimited", () => {
    const token = (remainQuota: number, unlimitedQuota = false) => ({ remainQuota, unlimitedQuota }) as TokenEntry;
    const user = (quota: number, unlimited = false) => ({ quota, unlimited }) as UserEntry;
    expect(available(token(300), user(500))).toBe(300);
    expect(available(token(300, true), user(500))).toBe(500);
    expect(available(token(300), user(0, true))).toBe(300);
    expect(available(token(0, true), user(0, true))).toBe(Infinity);
  });
});

describe("planOutput: hold the whole bound, lower it to the balance, or refuse", () => {
  const base = {
    ask: undefined as number | undefined,
    holdCap: 8192,
    affordable: Infinity,
    least: 16,
    limitable: true,
    held: true,
  };
  test.each([
    // affordable: the ask stands; no ask → the hold cap is held and sent as the limit
    [{ ask: 100_000 }, { tokens: 100_000, limit: null, lowered: false }],
    [{}, { tokens: 8192, limit: 8192, lowered: false }],
    // an unlimited key of an unlimited owner holds nothing: sent as it came
    [{ held: false }, { tokens: 8192, limit: null, lowered: false }],
    // short: lowered to what the balance pays for
    [{ affordable: 995 }, { tokens: 995, limit: 995, lowered: true }],
    [
      { ask: 100_000, affordable: 40_000 },
      { tokens: 40_000, limit: 40_000, lowered: true },
    ],
    // exactly the least still goes; one below is refused
    [{ affordable: 16 }, { tokens: 16, limit: 16, lowered: true }],
    [{ affordable: 15 }, null],
    [{ affordable: -1 }, null],
    // a reasoning call's least (its budget + 16) is beyond the balance: refused, never broken
    [{ ask: 8000, least: 2064, affordable: 2000 }, null],
    [
      { ask: 8000, least: 2064, affordable: 2064 },
      { tokens: 2064, limit: 2064, lowered: true },
    ],
    // endpoints without an output limit to send (embeddings…): the whole bound or nothing
    [{ limitable: false, affordable: 995 }, null],
    [{ limitable: false }, { tokens: 8192, limit: null, lowered: false }],
    // a hold cap below the least: the cap is all the call can ask
    [{ holdCap: 10, affordable: 9 }, null],
  ])("%j → %j", (o, want) => expect(planOutput({ ...base, ...o })).toEqual(want));
});
