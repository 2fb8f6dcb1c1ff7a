// Billing rules without a server: which billing mode bills a model (or refuses it, naming the model
// and the mode), what a call costs in integer quota units (500,000 = $1, rounded up once), the hold
// that bounds that cost before forwarding, and reserve → settle → release on plain balance entries.
import { describe, expect, test } from "bun:test";
import {
  apiyiMultipliers,
  decideBilling,
  holdAmount,
  perCallCost,
  usageCost,
  type PriceEntry,
} from "../../src/core/billing";
import { release, reserve, settle, type Hold } from "../../src/core/quota";
import type { TokenEntry } from "../../src/core/snapshot";
import { NO_RATE_LIMITS, userEntry } from "../support/entries";
import { BILLING_MODES, type BillingMode } from "../../src/core/token-rules";
import { AppError } from "../../src/errors";

const M1 = 1_000_000; // multiplier 1×, in millionths

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

// USD decimals written as micro-USD integers
const usageOnly = price({ model: "usage-model", input: 1_000_000, output: 2_000_000 });
const perCallOnly = price({ model: "call-model", perCall: 40_000 });
const both = price({ model: "both-model", input: 1_000_000, output: 2_000_000, perCall: 40_000 });
const none = price({ model: "free-model" });

/** The test's own reference: ceil(Σ tokens × µUSD-per-1M × 500,000 × m / 1e18), all in BigInt. */
function refUsageCost(prompt: number, cached: number, completion: number, p: PriceEntry, m: number): bigint {
  const input = BigInt(p.input ?? 0);
  const cachedPrice = BigInt(p.cachedInput ?? p.input ?? 0);
  const micro =
    BigInt(prompt - cached) * input + BigInt(cached) * cachedPrice + BigInt(completion) * BigInt(p.output ?? 0);
  const num = micro * 500_000n * BigInt(m);
  const den = 10n ** 18n;
  return (num + den - 1n) / den;
}

describe("decideBilling: 4 modes × {usage-only, per-call-only, both, none}", () => {
  const expected: Record<BillingMode, Record<"usage" | "percall" | "both", "usage" | "per_call" | "refused">> = {
    usage: { usage: "usage", percall: "refused", both: "usage" },
    per_call: { usage: "refused", percall: "per_call", both: "per_call" },
    usage_first: { usage: "usage", percall: "per_call", both: "usage" },
    per_call_first: { usage: "usage", percall: "per_call", both: "per_call" },
  };
  const models = { usage: usageOnly, percall: perCallOnly, both };

  for (const mode of BILLING_MODES) {
    for (const [kind, p] of Object.entries(models) as [keyof typeof models, PriceEntry][]) {
      const want = expected[mode][kind];
      test(`${mode} × ${p.model} → ${want}`, () => {
        const got = decideBilling(mode, p, p.model);
        if (want !== "refused") {
          expect(got).toBe(want);
          return;
        }
        expect(got).toBeInstanceOf(AppError);
        const e = got as AppError;
        expect(e.status).toBe(403);
        expect(e.code).toBe("billing_mode_unsupported");
        expect(e.message).toContain(`"${p.model}"`);
        expect(e.message).toContain(`"${mode}"`);
      });
    }

    test(`${mode} × a model with no price → 403 model_price_not_set naming the model`, () => {
      for (const p of [none, undefined]) {
        const got = decideBilling(mode, p, "free-model");
        expect(got).toBeInstanceOf(AppError);
        const e = got as AppError;
        expect(e.status).toBe(403);
        expect(e.code).toBe("model_price_not_set");
        expect(e.message).toContain('"free-model"');
      }
    });
  }

  test("only an output price still counts as token prices", () => {
    const outputOnly = price({ model: "out-only", output: 3_000_000 });
    expect(decideBilling("usage", outputOnly, "out-only")).toBe("usage");
    expect(decideBilling("per_call_first", outputOnly, "out-only")).toBe("usage");
    expect(decideBilling("per_call", outputOnly, "out-only")).toBeInstanceOf(AppError);
  });

  test("a zero price is a price: $0 per call is per-call billable", () => {
    expect(decideBilling("per_call", price({ perCall: 0 }), "m")).toBe("per_call");
    expect(decideBilling("usage", price({ input: 0, output: 0 }), "m")).toBe("usage");
  });
});

describe("usageCost: exact integers, rounded up once", () => {
  test("100 tokens at $1.10 / 1M cost exactly 55 units (not 56 by floating point)", () => {
    const p = price({ input: 1_100_000, output: 1_100_000 });
    expect(usageCost({ prompt: 100, cached: 0, completion: 0 }, p, M1)).toBe(55);
    expect(usageCost({ prompt: 0, cached: 0, completion: 100 }, p, M1)).toBe(55);
    expect(usageCost({ prompt: 50, cached: 0, completion: 50 }, p, M1)).toBe(55);
  });

  test("cached tokens at the cached price", () => {
    // $2.5 input, $1.25 cached, $10 output: 1,000 prompt of which 400 cached, 200 completion
    const p = price({ input: 2_500_000, cachedInput: 1_250_000, output: 10_000_000 });
    // µUSD·tok = 600×2.5M + 400×1.25M + 200×10M = 1.5e9 + 0.5e9 + 2e9 = 4e9 → 4e9 × 0.5 / 1e6 = 2,000 units
    expect(usageCost({ prompt: 1000, cached: 400, completion: 200 }, p, M1)).toBe(2000);
    expect(usageCost({ prompt: 1000, cached: 0, completion: 200 }, p, M1)).toBe(2250);
  });

  test("cached tokens at the input price when the cached price is null", () => {
    const p = price({ input: 2_500_000, cachedInput: null, output: 10_000_000 });
    const withCache = usageCost({ prompt: 1000, cached: 400, completion: 200 }, p, M1);
    const noCache = usageCost({ prompt: 1000, cached: 0, completion: 200 }, p, M1);
    expect(withCache).toBe(noCache);
    expect(withCache).toBe(2250);
  });

  test("a 1-token call at a tiny non-zero price costs at least 1 unit", () => {
    const tiny = price({ input: 1, output: 1 }); // $0.000001 per 1M tokens
    expect(usageCost({ prompt: 1, cached: 0, completion: 0 }, tiny, M1)).toBe(1);
    expect(usageCost({ prompt: 0, cached: 0, completion: 1 }, tiny, M1)).toBe(1);
    expect(usageCost({ prompt: 1, cached: 1, completion: 0 }, price({ input: 5, cachedInput: 1 }), M1)).toBe(1);
    // with a tiny multiplier too
    expect(usageCost({ prompt: 1, cached: 0, completion: 0 }, tiny, 1)).toBe(1);
    expect(perCallCost(price({ perCall: 1 }), 1, 1)).toBe(1);
  });

  test("zero prices, or zero tokens, cost 0", () => {
    const zero = price({ input: 0, output: 0, cachedInput: 0 });
    expect(usageCost({ prompt: 1_000_000, cached: 10, completion: 1_000_000 }, zero, M1)).toBe(0);
    expect(usageCost({ prompt: 0, cached: 0, completion: 0 }, usageOnly, M1)).toBe(0);
    expect(perCallCost(price({ perCall: 0 }), 4, M1)).toBe(0);
    expect(usageCost({ prompt: 100, cached: 0, completion: 100 }, usageOnly, 0)).toBe(0);
  });

  test("an output-only price bills the prompt at 0", () => {
    const p = price({ output: 2_000_000 });
    expect(usageCost({ prompt: 1_000, cached: 0, completion: 1_000 }, p, M1)).toBe(1_000);
  });

  test("big numbers: 10M tokens at $75 / 1M × 1.4, equal to a BigInt computation", () => {
    const p = price({ input: 15_000_000, output: 75_000_000, cachedInput: 1_500_000 });
    const m = 1_400_000;
    // 10M output tokens: $750 × 1.4 = $1,050 = 525,000,000 units
    expect(usageCost({ prompt: 0, cached: 0, completion: 10_000_000 }, p, m)).toBe(525_000_000);
    expect(BigInt(usageCost({ prompt: 0, cached: 0, completion: 10_000_000 }, p, m))).toBe(
      refUsageCost(0, 0, 10_000_000, p, m),
    );
    // odd counts near the limits of double precision in the intermediate product
    const cases: [number, number, number, number][] = [
      [10_000_000, 3_333_333, 10_000_000, 1_400_000],
      [9_999_999, 1, 9_999_997, 1_400_001],
      [123_456_789, 98_765_432, 87_654_321, 999_999_999],
      [1, 0, 1, 1_400_000],
      [7, 3, 11, 950_000],
    ];
    for (const [prompt, cached, completion, mult] of cases) {
      expect(BigInt(usageCost({ prompt, cached, completion }, p, mult))).toBe(
        refUsageCost(prompt, cached, completion, p, mult),
      );
    }
  });

  test("random usages agree with the BigInt reference", () => {
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 500; i++) {
      const p = price({
        input: rnd(80_000_000),
        output: rnd(160_000_000),
        cachedInput: rnd(2) ? rnd(8_000_000) : null,
      });
      const prompt = rnd(2_000_000);
      const cached = rnd(prompt + 1);
      const completion = rnd(200_000);
      const m = rnd(3_000_000);
      expect(BigInt(usageCost({ prompt, cached, completion }, p, m))).toBe(
        refUsageCost(prompt, cached, completion, p, m),
      );
    }
  });
});

describe("perCallCost", () => {
  const p = price({ perCall: 15_000 }); // $0.015

  test("$0.015 × 1 = 7,500 units", () => {
    expect(perCallCost(p, 1, M1)).toBe(7_500);
  });

  test("× n", () => {
    expect(perCallCost(p, 2, M1)).toBe(15_000);
    expect(perCallCost(p, 10, M1)).toBe(75_000);
    expect(perCallCost(price({ perCall: 40_000 }), 3, M1)).toBe(60_000);
  });

  test("× a 0.95 multiplier (exact, rounded up)", () => {
    expect(perCallCost(p, 1, 950_000)).toBe(7_125);
    expect(perCallCost(p, 3, 950_000)).toBe(21_375);
    // $0.000003 × 0.95 = 1.425 units → 2
    expect(perCallCost(price({ perCall: 3 }), 1, 950_000)).toBe(2);
    // $0.04 × 1.4 = 28,000 units, no float drift (0.04 × 1.4 = 0.05600000000000001 in doubles)
    expect(perCallCost(price({ perCall: 40_000 }), 1, 1_400_000)).toBe(28_000);
  });
});

describe("holdAmount bounds the real cost", () => {
  test("per call: the hold is the cost of n calls at the multiplier", () => {
    const p = price({ perCall: 15_000 });
    expect(holdAmount("per_call", p, 1_400_000, 999, 999, 3)).toBe(perCallCost(p, 3, 1_400_000));
  });

  test("usage: prompt bound × input + output bound × output, at the multiplier", () => {
    const p = price({ input: 2_000_000, output: 8_000_000 });
    // (1,000 × $2 + 500 × $8) / 1M = $0.006 = 3,000 units
    expect(holdAmount("usage", p, M1, 1_000, 500, 1)).toBe(3_000);
    expect(holdAmount("usage", p, 1_500_000, 1_000, 500, 1)).toBe(4_500);
  });

  test("usage with n choices: each may produce the whole output bound", () => {
    const p = price({ input: 2_000_000, output: 8_000_000 });
    // (1,000 × $2 + 3 × 500 × $8) / 1M = $0.014 = 7,000 units
    expect(holdAmount("usage", p, M1, 1_000, 500, 3)).toBe(7_000);
  });

  test("property: any usage within the bounds (and any multiplier ≤ the hold's) costs at most the hold", () => {
    let seed = 987654;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const input = rnd(3) === 0 ? null : rnd(20_000_000);
      const cachedInput = rnd(3) === 0 ? null : rnd(40_000_000); // sometimes dearer than input
      const output = rnd(4) === 0 ? null : rnd(80_000_000);
      const p = price({ input, output: output ?? (input === null ? 1 : null), cachedInput });
      const holdM = 1 + rnd(3_000_000);
      const promptBound = rnd(200_000);
      const outBound = rnd(70_000);
      const hold = holdAmount("usage", p, holdM, promptBound, outBound, 1);
      const prompt = rnd(promptBound + 1);
      const cached = rnd(prompt + 1);
      const completion = rnd(outBound + 1);
      const m = rnd(holdM + 1);
      const cost = usageCost({ prompt, cached, completion }, p, m);
      if (cost > hold)
        throw new Error(
          `cost ${cost} > hold ${hold}: ${JSON.stringify({ p, holdM, promptBound, outBound, prompt, cached, completion, m })}`,
        );
      // the bounds themselves, fully cached or not at all, reach at most the hold
      expect(usageCost({ prompt: promptBound, cached: 0, completion: outBound }, p, holdM)).toBeLessThanOrEqual(hold);
      expect(
        usageCost({ prompt: promptBound, cached: promptBound, completion: outBound }, p, holdM),
      ).toBeLessThanOrEqual(hold);
    }
  });
});

describe("apiyiMultipliers", () => {
  test("$5 / $25 per 1M → model_ratio 2.5, completion_ratio 5", () => {
    expect(apiyiMultipliers(price({ input: 5_000_000, output: 25_000_000 }))).toEqual({
      model_ratio: 2.5,
      completion_ratio: 5,
    });
  });

  test("other list prices", () => {
    expect(apiyiMultipliers(price({ input: 150_000, output: 600_000 }))).toEqual({
      model_ratio: 0.075,
      completion_ratio: 4,
    });
    expect(apiyiMultipliers(price({ input: 3_000_000, output: 15_000_000 }))).toEqual({
      model_ratio: 1.5,
      completion_ratio: 5,
    });
    expect(apiyiMultipliers(price({ input: 1_100_000, output: 4_400_000 }))).toEqual({
      model_ratio: 0.55,
      completion_ratio: 4,
    });
  });

  test("no input price: no ratios; no output price: no completion ratio", () => {
    expect(apiyiMultipliers(price({ perCall: 40_000 }))).toEqual({ model_ratio: null, completion_ratio: null });
    expect(apiyiMultipliers(price({ input: 20_000 }))).toEqual({ model_ratio: 0.01, completion_ratio: null });
  });
});

// ---- reserve → settle → release on plain entries ----

function token(remainQuota: number, unlimitedQuota = false): TokenEntry {
  return {
    id: 1,
    userId: 1,
    name: "t",
    keyHash: "h",
    keyMask: "sk-…",
    status: 1,
    remainQuota,
    unlimitedQuota,
    usedQuota: 0,
    expiredTime: -1,
    billingMode: "usage_first",
    group: "default",
    fallbackGroups: [],
    models: new Set(),
    allowIps: [],
    requestCount: 0,
    createdTime: 0,
    accessedTime: 0,
    ...NO_RATE_LIMITS,
    budgetPeriod: "",
    periodQuota: 0,
    periodStart: 0,
  };
}

const user = (quota: number, unlimited = false) => userEntry(quota, { unlimited });

const isHold = (h: Hold | AppError): h is Hold => !(h instanceof AppError);
/** Which balance a refused reserve names: the token's quota or the owner's balance. */
const shortOf = (h: Hold | AppError) => {
  if (isHold(h)) return "held";
  expect(h.code).toBe("insufficient_quota");
  expect(h.message).toContain("(the test)");
  return h.message.includes("API key") ? "token" : "user";
};

describe("reserve / settle / release", () => {
  const combos = [
    { name: "limited token, limited user", t: false, u: false },
    { name: "unlimited token, limited user", t: true, u: false },
    { name: "limited token, unlimited user", t: false, u: true },
    { name: "unlimited token, unlimited user", t: true, u: true },
  ];

  for (const c of combos) {
    test(`${c.name}: hold, refund of the rest, used quota grows by the charge`, () => {
      const tk = token(1_000, c.t);
      const us = user(2_000, c.u);
      const h = reserve(tk, us, 300, "the test");
      if (!isHold(h)) throw new Error(`refused: ${h}`);
      expect(h.amount).toBe(300);
      expect(tk.remainQuota).toBe(c.t ? 1_000 : 700);
      expect(us.quota).toBe(c.u ? 2_000 : 1_700);

      const s = settle(tk, us, h, 120);
      expect(s.charged).toBe(120);
      expect(s.shortfall).toBe(0);
      expect(tk.remainQuota).toBe(c.t ? 1_000 : 880);
      expect(us.quota).toBe(c.u ? 2_000 : 1_880);
      expect(tk.usedQuota).toBe(120);
      expect(us.usedQuota).toBe(120);
    });

    test(`${c.name}: release gives the whole hold back and costs 0`, () => {
      const tk = token(1_000, c.t);
      const us = user(2_000, c.u);
      const h = reserve(tk, us, 999, "the test");
      if (!isHold(h)) throw new Error(`refused: ${h}`);
      const s = release(tk, us, h);
      expect(s.charged).toBe(0);
      expect(s.shortfall).toBe(0);
      expect(tk.remainQuota).toBe(1_000);
      expect(us.quota).toBe(2_000);
      expect(tk.usedQuota).toBe(0);
      expect(us.usedQuota).toBe(0);
    });
  }

  test("a take that is not there is refused, and nothing is taken from either", () => {
    let tk = token(100);
    let us = user(1_000);
    expect(shortOf(reserve(tk, us, 101, "the test"))).toBe("token");
    expect([tk.remainQuota, us.quota]).toEqual([100, 1_000]);

    tk = token(1_000);
    us = user(100);
    expect(shortOf(reserve(tk, us, 101, "the test"))).toBe("user");
    expect([tk.remainQuota, us.quota]).toEqual([1_000, 100]);

    // unlimited token: only the user's balance counts
    tk = token(0, true);
    us = user(50);
    expect(shortOf(reserve(tk, us, 51, "the test"))).toBe("user");
    expect(us.quota).toBe(50);
    // unlimited user: only the token's limit counts
    tk = token(50);
    us = user(0, true);
    expect(shortOf(reserve(tk, us, 51, "the test"))).toBe("token");
    expect(tk.remainQuota).toBe(50);
    // exactly what is there can be taken, to 0
    tk = token(100);
    us = user(100);
    expect(isHold(reserve(tk, us, 100, "the test"))).toBe(true);
    expect([tk.remainQuota, us.quota]).toEqual([0, 0]);
  });

  test("both unlimited: anything can be held and charged; costs still counted", () => {
    const tk = token(0, true);
    const us = user(0, true);
    const h = reserve(tk, us, 10 ** 12, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    const s = settle(tk, us, h, 2 * 10 ** 12);
    expect(s.charged).toBe(2 * 10 ** 12);
    expect(s.shortfall).toBe(0);
    expect([tk.remainQuota, us.quota]).toEqual([0, 0]);
    expect([tk.usedQuota, us.usedQuota]).toEqual([2 * 10 ** 12, 2 * 10 ** 12]);
  });

  test("cost above the hold with room: the excess is taken from both", () => {
    const tk = token(1_000);
    const us = user(2_000);
    const h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    const s = settle(tk, us, h, 500);
    expect(s).toMatchObject({ charged: 500, shortfall: 0 });
    expect([tk.remainQuota, us.quota]).toEqual([500, 1_500]);
    expect([tk.usedQuota, us.usedQuota]).toEqual([500, 500]);
  });

  test("cost above the hold, balance short: charged only as far as it goes, the rest is the shortfall, never negative", () => {
    // the user is the short one
    let tk = token(10_000);
    let us = user(400);
    let h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    let s = settle(tk, us, h, 1_000);
    expect(s).toMatchObject({ charged: 400, shortfall: 600 });
    expect(us.quota).toBe(0);
    expect(tk.remainQuota).toBe(9_600);
    expect([tk.usedQuota, us.usedQuota]).toEqual([400, 400]);

    // the token is the short one
    tk = token(350);
    us = user(10_000);
    h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    s = settle(tk, us, h, 1_000);
    expect(s).toMatchObject({ charged: 350, shortfall: 650 });
    expect(tk.remainQuota).toBe(0);
    expect(us.quota).toBe(9_650);

    // unlimited token, short user
    tk = token(0, true);
    us = user(300);
    h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    s = settle(tk, us, h, 1_000);
    expect(s).toMatchObject({ charged: 300, shortfall: 700 });
    expect(us.quota).toBe(0);
    expect(tk.remainQuota).toBe(0);
    expect(tk.usedQuota).toBe(300);

    // unlimited user, short token
    tk = token(300);
    us = user(0, true);
    h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    s = settle(tk, us, h, 1_000);
    expect(s).toMatchObject({ charged: 300, shortfall: 700 });
    expect(tk.remainQuota).toBe(0);
    expect(us.usedQuota).toBe(300);
  });

  test("interleaved calls: balances never go negative and initial = remaining + Σ charged", () => {
    let seed = 4242;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (const [tUnl, uUnl] of [
      [false, false],
      [true, false],
      [false, true],
    ]) {
      const tk = token(50_000, tUnl);
      const us = user(80_000, uUnl);
      const open: Hold[] = [];
      let charged = 0;
      for (let i = 0; i < 400; i++) {
        if (rnd(2) === 0 || open.length === 0) {
          const h = reserve(tk, us, 1 + rnd(3_000), "the test");
          if (isHold(h)) open.push(h);
        } else {
          const h = open.splice(rnd(open.length), 1)[0];
          const s = rnd(5) === 0 ? release(tk, us, h) : settle(tk, us, h, rnd(2 * h.amount + 1));
          charged += s.charged;
        }
        expect(tk.remainQuota).toBeGreaterThanOrEqual(0);
        expect(us.quota).toBeGreaterThanOrEqual(0);
      }
      for (const h of open.splice(0)) charged += release(tk, us, h).charged;
      if (!tUnl) expect(tk.remainQuota + charged).toBe(50_000);
      if (!uUnl) expect(us.quota + charged).toBe(80_000);
      expect(tk.usedQuota).toBe(charged);
      expect(us.usedQuota).toBe(charged);
    }
  });

  test("an account made limited while its call was in flight never goes negative at settle", () => {
    // held while unlimited (nothing taken), settled after an admin made the balance a limited 100
    const tk = token(1_000);
    const us = user(100, true);
    const h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    us.unlimited = false;
    settle(tk, us, h, 250);
    expect(us.quota).toBeGreaterThanOrEqual(0);

    const tk2 = token(100, true);
    const us2 = user(10_000);
    const h2 = reserve(tk2, us2, 300, "the test");
    if (!isHold(h2)) throw new Error(`refused: ${h2}`);
    tk2.unlimitedQuota = false;
    settle(tk2, us2, h2, 250);
    expect(tk2.remainQuota).toBeGreaterThanOrEqual(0);
  });

  test("an account made unlimited while its call was in flight gets the unused hold back", () => {
    // 300 held from a limited 1,000; the call cost 100: at most 100 may be gone, never the whole hold
    const tk = token(5_000);
    const us = user(1_000);
    const h = reserve(tk, us, 300, "the test");
    if (!isHold(h)) throw new Error(`refused: ${h}`);
    us.unlimited = true;
    settle(tk, us, h, 100);
    expect(us.quota).toBeGreaterThanOrEqual(900);

    const tk2 = token(1_000);
    const us2 = user(5_000);
    const h2 = reserve(tk2, us2, 300, "the test");
    if (!isHold(h2)) throw new Error(`refused: ${h2}`);
    tk2.unlimitedQuota = true;
    settle(tk2, us2, h2, 100);
    expect(tk2.remainQuota).toBeGreaterThanOrEqual(900);
  });
});
