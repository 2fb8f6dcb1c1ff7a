// The hold policy (src/core/hold-policy.ts) without a server: the multiplier a call is held at, the
// prompt's bound (bytes first, counted tokens only when the byte bound does not do), the output plan
// that follows, per-call holds, and the refusal that names the short balance and what the call needs.
import { describe, expect, test } from "bun:test";
import { holdAmount, type PriceEntry } from "../../src/core/billing";
import {
  FRAMING,
  FRAMING_PER_TURN,
  holdMultiplier,
  promptTurns,
  sizeHold,
  type HoldCase,
  type HoldSize,
} from "../../src/core/hold-policy";
import type { TokenEntry, UserEntry } from "../../src/core/snapshot";
import { AppError } from "../../src/errors";

const M = 1_000_000;
const price = (p: Partial<PriceEntry> = {}): PriceEntry => ({
  model: "m",
  input: 2_000_000,
  output: 8_000_000,
  cachedInput: null,
  perCall: null,
  cacheWrite: null,
  holdCapTokens: 4096,
  ...p,
});
const token = (remainQuota: number, unlimitedQuota = false) => ({ remainQuota, unlimitedQuota }) as TokenEntry;
const user = (quota: number, unlimited = false) => ({ quota, unlimited }) as UserEntry;
const usage = (c: Partial<HoldCase> = {}): HoldCase => ({
  kind: "usage",
  price: price(),
  multiplier: M,
  n: 1,
  ask: undefined,
  least: { tokens: 16, thinking: 0 },
  limitable: true,
  ...c,
});

/** A prompt of `bytes` bytes in `turns` turns whose counted size is `tokens`; counts how often it is counted. */
function prompt(bytes: number, tokens: number, turns = 1) {
  const p = { bytes, turns, counted: 0, tokens: async () => (p.counted++, tokens) };
  return p;
}
const balances = (t: TokenEntry, u: UserEntry) => () => ({ token: t, user: u });
const sized = (r: HoldSize | AppError): HoldSize => {
  if (r instanceof AppError) throw new Error(`refused: ${r.message}`);
  return r;
};

describe("holdMultiplier", () => {
  const routes = new Map([
    ["cheap", new Map([["m", [1]]])],
    ["dear", new Map([["m", [1]]])],
    ["empty", new Map([["m", []]])],
    ["other", new Map([["x", [1]]])],
  ]);
  const groups = new Map([
    ["cheap", { multiplierMicros: 500_000 }],
    ["dear", { multiplierMicros: 3_000_000 }],
    ["empty", { multiplierMicros: 9_000_000 }],
    ["other", { multiplierMicros: 7_000_000 }],
  ]);
  test("the highest multiplier among the key's groups that have a channel for the model", () => {
    expect(holdMultiplier(routes, groups, ["cheap", "dear"], "m")).toBe(3_000_000);
    expect(holdMultiplier(routes, groups, ["cheap"], "m")).toBe(500_000);
  });
  test("groups without a channel for the model (or with an empty list) do not count; none at all is 0", () => {
    expect(holdMultiplier(routes, groups, ["cheap", "empty", "other"], "m")).toBe(500_000);
    expect(holdMultiplier(routes, groups, ["empty", "other"], "m")).toBe(0);
    expect(holdMultiplier(routes, groups, [], "m")).toBe(0);
  });
  test("a serving group the snapshot has no entry for is held at ×1", () => {
    expect(holdMultiplier(new Map([["ghost", new Map([["m", [1]]])]]), new Map(), ["ghost"], "m")).toBe(M);
  });
});

describe("promptTurns", () => {
  test("messages, Gemini contents or Responses input, else one turn", () => {
    expect(promptTurns({ messages: [1, 2, 3] })).toBe(3);
    expect(promptTurns({ contents: [1, 2] })).toBe(2);
    expect(promptTurns({ input: [1, 2, 3, 4] })).toBe(4);
    expect(promptTurns({ input: "just text" })).toBe(1);
    expect(promptTurns({})).toBe(1);
  });
});

describe("sizeHold", () => {
  test("per-call: the price × n at the multiplier, nothing counted, no output plan; the framing still given", async () => {
    const p = prompt(10, 10, 2);
    const c = usage({ kind: "per_call", price: price({ perCall: 20_000 }), n: 3, multiplier: 2 * M });
    const s = sized(await sizeHold(c, p, balances(token(0, true), user(0, true))));
    expect(s.amount).toBe(holdAmount("per_call", c.price, 2 * M, 0, 0, 3));
    expect(s.covers).toBe("the per-call price × 3");
    expect(s.out).toBeNull();
    expect(s.framing).toBe(FRAMING + FRAMING_PER_TURN * 2);
    expect(p.counted).toBe(0);
  });

  test("an unlimited balance: the byte bound plus framing, the hold cap as output, sent upstream as no limit", async () => {
    const p = prompt(1_000, 200, 3);
    const s = sized(await sizeHold(usage(), p, balances(token(0, true), user(0, true))));
    const bound = 1_000 + FRAMING + FRAMING_PER_TURN * 3;
    expect(s.amount).toBe(holdAmount("usage", price(), M, bound, 4096, 1));
    expect(s.out).toEqual({ tokens: 4096, limit: null, lowered: false });
    expect(s.covers).toBe(`a prompt of at most ${bound} tokens and 4096 output tokens`);
    expect(s.promptBound).toBe(bound);
    expect(s.framing).toBe(FRAMING + FRAMING_PER_TURN * 3);
    expect(p.counted).toBe(0);
  });

  test("a balance the byte bound fits: bytes only, and the hold cap goes upstream as the call's limit", async () => {
    const p = prompt(1_000, 200);
    const s = sized(await sizeHold(usage(), p, balances(token(10_000_000), user(10_000_000))));
    expect(s.out).toEqual({ tokens: 4096, limit: 4096, lowered: false });
    expect(p.counted).toBe(0);
  });

  test("a balance the byte bound does not fit but the counted prompt does: counted once, not lowered", async () => {
    const p = prompt(40_000, 100);
    const c = usage({ ask: 1_000 });
    const counted = holdAmount("usage", c.price, M, 100 + FRAMING + FRAMING_PER_TURN, 1_000, 1);
    const bytes = holdAmount("usage", c.price, M, 40_000 + FRAMING + FRAMING_PER_TURN, 1_000, 1);
    const have = counted + 1;
    expect(have).toBeLessThan(bytes);
    const s = sized(await sizeHold(c, p, balances(token(have), user(10 ** 9))));
    expect(p.counted).toBe(1);
    expect(s.amount).toBe(counted);
    expect(s.counted).toBe(true);
    expect(s.promptBound).toBe(100 + s.framing);
    expect(s.framing).toBe(FRAMING + FRAMING_PER_TURN);
    expect(s.out).toEqual({ tokens: 1_000, limit: null, lowered: false });
  });

  test("a balance below the whole ask but above the least: the output is lowered to what it pays for", async () => {
    const p = prompt(100, 100);
    const c = usage({ ask: 4_000 });
    const bound = 100 + FRAMING + FRAMING_PER_TURN;
    const have = holdAmount("usage", c.price, M, bound, 500, 1);
    const s = sized(await sizeHold(c, p, balances(token(10 ** 9), user(have))));
    expect(s.out?.lowered).toBe(true);
    expect(s.out?.limit).toBe(s.out?.tokens ?? -1);
    expect(s.out!.tokens).toBeGreaterThanOrEqual(500);
    expect(s.amount).toBeLessThanOrEqual(have);
    expect(holdAmount("usage", c.price, M, bound, s.out!.tokens + 1, 1)).toBeGreaterThan(have);
  });

  test("below the least the call needs: refused, naming the short balance, what it has and what it needs", async () => {
    const p = prompt(100, 100, 2);
    const c = usage({ least: { tokens: 1_040, thinking: 1_024 } });
    const bound = 100 + FRAMING + FRAMING_PER_TURN * 2;
    const needs = holdAmount("usage", c.price, M, bound, 1_040, 1);
    const r = await sizeHold(c, p, balances(token(needs - 1), user(10 ** 9)));
    if (!(r instanceof AppError)) throw new Error("not refused");
    expect(r.status).toBe(429);
    expect(r.code).toBe("insufficient_quota");
    expect(r.message).toContain("this API key has $");
    expect(r.message).toContain(`a prompt of at most ${bound} tokens and 1040 output tokens, 1024 of them to think`);
    const byUser = await sizeHold(c, prompt(100, 100, 2), balances(token(10 ** 9), user(needs - 1)));
    expect(byUser instanceof AppError && byUser.message.startsWith("your balance is $")).toBe(true);
  });

  test("an endpoint without an output limit to send holds its whole bound or refuses (never lowered)", async () => {
    const c = usage({ limitable: false, ask: 2_000 });
    const bound = 10 + FRAMING + FRAMING_PER_TURN;
    const whole = holdAmount("usage", c.price, M, bound, 2_000, 1);
    expect(sized(await sizeHold(c, prompt(10, 10), balances(token(whole), user(whole)))).out).toEqual({
      tokens: 2_000,
      limit: null,
      lowered: false,
    });
    expect(await sizeHold(c, prompt(10, 10), balances(token(whole - 1), user(whole)))).toBeInstanceOf(AppError);
  });

  test("the balances are read again after counting (they may have changed meanwhile)", async () => {
    let have = 0;
    const p = { bytes: 50_000, turns: 1, tokens: async () => ((have = 10 ** 9), 10) };
    const s = sized(await sizeHold(usage({ ask: 100 }), p, () => ({ token: token(have), user: user(10 ** 9) })));
    expect(s.out?.tokens).toBe(100);
  });
});
