// Upstream balances, the pure part (core/upstream-balance.ts): which API a channel uses (auto by host),
// the URLs read, each provider's documented reply shape parsed, bad replies named, and the threshold rule.
import { describe, expect, test } from "bun:test";
import { balanceApi, balanceLow, balanceUrls, parseBalance, toMicros } from "../../src/core/upstream-balance";

describe("which API", () => {
  test("auto: by the host of an openai-type channel", () => {
    expect(balanceApi("auto", "openai", "https://api.deepseek.com/v1")).toBe("deepseek");
    expect(balanceApi("auto", "openai", "https://openrouter.ai/api/v1")).toBe("openrouter");
    expect(balanceApi("auto", "openai", "https://api.siliconflow.cn/v1")).toBe("siliconflow");
    expect(balanceApi("auto", "openai", "https://api.moonshot.ai/v1")).toBe("moonshot");
    expect(balanceApi("auto", "openai", "https://api.openai.com/v1")).toBeNull();
    expect(balanceApi("auto", "anthropic", "https://api.deepseek.com/anthropic")).toBeNull();
  });

  test("a chosen source wins over the host; none is none", () => {
    expect(balanceApi("oneapi", "openai", "https://api.deepseek.com/v1")).toBe("oneapi");
    expect(balanceApi("none", "openai", "https://api.deepseek.com/v1")).toBeNull();
    expect(balanceApi("bogus", "openai", "https://x.example/v1")).toBeNull();
  });
});

describe("the URLs", () => {
  const now = Date.UTC(2026, 2, 20, 12);
  test("oneapi: subscription, then usage over the last 100 days up to tomorrow", () => {
    expect(balanceUrls("oneapi", "https://reseller.example/v1", now)).toEqual([
      "https://reseller.example/v1/dashboard/billing/subscription",
      "https://reseller.example/v1/dashboard/billing/usage?start_date=2025-12-11&end_date=2026-03-21",
    ]);
  });

  test("deepseek at the origin (whatever the base path); the others under the base URL", () => {
    expect(balanceUrls("deepseek", "https://api.deepseek.com/v1", now)).toEqual([
      "https://api.deepseek.com/user/balance",
    ]);
    expect(balanceUrls("openrouter", "https://openrouter.ai/api/v1", now)).toEqual([
      "https://openrouter.ai/api/v1/credits",
    ]);
    expect(balanceUrls("siliconflow", "https://api.siliconflow.cn/v1", now)).toEqual([
      "https://api.siliconflow.cn/v1/user/info",
    ]);
    expect(balanceUrls("moonshot", "https://api.moonshot.cn/v1/", now)).toEqual([
      "https://api.moonshot.cn/v1/users/me/balance",
    ]);
  });
});

describe("parsing each provider's reply", () => {
  test("oneapi: hard_limit_usd minus total_usage (US cents)", () => {
    const r = parseBalance(
      "oneapi",
      [
        { object: "billing_subscription", hard_limit_usd: 100 },
        { object: "list", total_usage: 2500 },
      ],
      "https://x.example/v1",
    );
    expect(r).toEqual({ micros: 75_000_000, currency: "USD" });
  });

  test("openrouter: total_credits minus total_usage", () => {
    expect(
      parseBalance(
        "openrouter",
        [{ data: { total_credits: 100.5, total_usage: 25.75 } }],
        "https://openrouter.ai/api/v1",
      ),
    ).toEqual({ micros: 74_750_000, currency: "USD" });
  });

  test("deepseek: total_balance of the USD entry when there is one, else the first, with its currency", () => {
    const cny = { currency: "CNY", total_balance: "110.00", granted_balance: "10.00", topped_up_balance: "100.00" };
    const usd = { currency: "USD", total_balance: "3.50", granted_balance: "0", topped_up_balance: "3.50" };
    expect(
      parseBalance("deepseek", [{ is_available: true, balance_infos: [cny] }], "https://api.deepseek.com"),
    ).toEqual({ micros: 110_000_000, currency: "CNY" });
    expect(parseBalance("deepseek", [{ balance_infos: [cny, usd] }], "https://api.deepseek.com")).toEqual({
      micros: 3_500_000,
      currency: "USD",
    });
  });

  test("siliconflow: data.totalBalance (a string); CNY on .cn, USD on .com", () => {
    const body = {
      code: 20000,
      status: true,
      data: { balance: "0.88", chargeBalance: "88.00", totalBalance: "88.88" },
    };
    expect(parseBalance("siliconflow", [body], "https://api.siliconflow.cn/v1")).toEqual({
      micros: 88_880_000,
      currency: "CNY",
    });
    expect(parseBalance("siliconflow", [body], "https://api.siliconflow.com/v1")).toMatchObject({ currency: "USD" });
  });

  test("moonshot: data.available_balance; CNY on .cn, USD on .ai", () => {
    const body = { code: 0, data: { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 } };
    expect(parseBalance("moonshot", [body], "https://api.moonshot.cn/v1")).toEqual({
      micros: 49_588_940,
      currency: "CNY",
    });
    expect(parseBalance("moonshot", [body], "https://api.moonshot.ai/v1")).toMatchObject({ currency: "USD" });
  });

  test("a reply without the figure says which field is missing", () => {
    expect(parseBalance("moonshot", [{ code: 0 }], "https://api.moonshot.cn/v1")).toEqual({
      error: "the reply has no data.available_balance",
    });
    expect(parseBalance("oneapi", [{ hard_limit_usd: 5 }, { total_usage: "lots" }], "https://x/v1")).toEqual({
      error: "the reply has no total_usage",
    });
    expect(parseBalance("deepseek", [{ balance_infos: [] }], "https://api.deepseek.com")).toEqual({
      error: "the reply has no balance_infos",
    });
    expect(parseBalance("openrouter", ["not an object"], "https://openrouter.ai/api/v1")).toHaveProperty("error");
  });

  test("figures: numbers and decimal strings, negative too; junk is null", () => {
    expect(toMicros("-1.5")).toBe(-1_500_000);
    expect(toMicros(0.1)).toBe(100_000);
    expect(toMicros("1e3")).toBeNull();
    expect(toMicros(null)).toBeNull();
    expect(toMicros(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe("the threshold rule", () => {
  test("no threshold (0): never low", () => {
    expect(balanceLow(-5_000_000, 0)).toBe(false);
  });
  test("below the threshold: low; at or above: not", () => {
    expect(balanceLow(4_999_999, 5_000_000)).toBe(true);
    expect(balanceLow(5_000_000, 5_000_000)).toBe(false);
    expect(balanceLow(9_000_000, 5_000_000)).toBe(false);
  });
});
