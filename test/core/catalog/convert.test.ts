// The catalog's conversion rules: USD floats to exact micro-USD (half up at the 6th decimal, float
// noise never a whole micro-USD), quota units from there (500,000 = $1), the price in force on a date
// (date-bound: the latest started; time-of-day: the highest), the tier rule (base tier) and the
// price keys apiyi bills.
import { describe, expect, test } from "bun:test";
import { usageCost } from "../../../src/core/billing";
import { mapPrice, priceInForce, usdToMicros, type RawPrices } from "../../../src/core/catalog/convert";

describe("usdToMicros", () => {
  test.each([
    [3, 3_000_000],
    [0.15, 150_000],
    [0.0028, 2_800],
    [0.003625, 3_625],
    [0.1 + 0.2, 300_000], // 0.30000000000000004: noise past the 6th decimal is dropped
    [0.08333333333333334, 83_333],
    [0.0000005, 1], // half up
    [0.0000004, 0],
    [1e-7, 0],
    [2.5e-6, 3],
    [168, 168_000_000],
  ])("$%p → %p µUSD", (usd, micros) => expect(usdToMicros(usd)).toBe(micros));

  test("a negative or non-finite number is refused", () => {
    expect(() => usdToMicros(-1)).toThrow(RangeError);
    expect(() => usdToMicros(Number.NaN)).toThrow(RangeError);
  });

  test("into quota units: $3 / 1M input and $15 / 1M output, 1,000 + 1,000 tokens = $0.018 = 9,000 units", () => {
    const p = { model: "m", input: usdToMicros(3), output: usdToMicros(15), cachedInput: null, cacheWrite: null };
    const entry = { ...p, perCall: null, holdCapTokens: 8192 };
    expect(usageCost({ prompt: 1000, completion: 1000, cached: 0 }, entry, 1_000_000)).toBe(9_000);
    // $0.0028 / 1M, one token: 0.0014 units, rounded up once to 1
    expect(
      usageCost({ prompt: 1, completion: 0, cached: 0 }, { ...entry, input: usdToMicros(0.0028) }, 1_000_000),
    ).toBe(1);
  });
});

describe("priceInForce", () => {
  const dated: RawPrices = [
    { prices: { input_mtok: 10, output_mtok: 40 } },
    { constraint: { type: "start_date", start_date: "2025-06-10" }, prices: { input_mtok: 2, output_mtok: 8 } },
    { constraint: { type: "start_date", start_date: "2030-01-01" }, prices: { input_mtok: 1, output_mtok: 4 } },
  ];
  test("date-bound prices: the latest one started by the build date", () => {
    expect(priceInForce(dated, new Date("2025-01-01"))).toEqual({ input_mtok: 10, output_mtok: 40 });
    expect(priceInForce(dated, new Date("2026-12-07"))).toEqual({ input_mtok: 2, output_mtok: 8 });
    expect(priceInForce(dated, new Date("2030-06-01"))).toEqual({ input_mtok: 1, output_mtok: 4 });
  });

  test("time-of-day prices (an off-peak discount): the highest, whatever the hour of the build", () => {
    const daily: RawPrices = [
      { prices: { input_mtok: 0.135, output_mtok: 0.55 } },
      {
        constraint: { type: "time_of_date", start_time: "00:30:00Z", end_time: "16:30:00Z" },
        prices: { input_mtok: 0.27, output_mtok: 1.1 },
      },
    ];
    for (const at of ["2026-12-07T03:00:00Z", "2026-12-07T20:00:00Z"])
      expect(priceInForce(daily, new Date(at))).toEqual({ input_mtok: 0.27, output_mtok: 1.1 });
  });

  test("a plain price is itself", () => {
    expect(priceInForce({ input_mtok: 1 }, new Date())).toEqual({ input_mtok: 1 });
  });
});

describe("mapPrice", () => {
  test("the keys apiyi bills; others are listed as dropped", () => {
    expect(
      mapPrice({
        input_mtok: 3,
        output_mtok: 15,
        cache_read_mtok: 0.3,
        cache_write_mtok: 3.75,
        cache_write_1h_mtok: 6,
        web_searches_kcount: 10,
      }),
    ).toEqual({
      price: { input: 3_000_000, output: 15_000_000, cached_input: 300_000, cache_write: 3_750_000, per_call: null },
      tiered: false,
      dropped: ["cache_write_1h_mtok", "web_searches_kcount"],
    });
  });

  test("the tier rule: a tiered price is billed at its base tier, and flagged", () => {
    const m = mapPrice({
      input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
      output_mtok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] },
    });
    expect(m?.price).toMatchObject({ input: 3_000_000, output: 15_000_000 });
    expect(m?.tiered).toBe(true);
  });

  test("requests per thousand become a per-call price ($5 / 1k calls = $0.005 a call)", () => {
    expect(mapPrice({ requests_kcount: 5 })?.price.per_call).toBe(5_000);
  });

  test("nothing apiyi can bill (audio hours, pages, no price at all): null", () => {
    expect(mapPrice({ audio_hours: 0.36 })).toBeNull();
    expect(mapPrice({ input_document_kpages: 1 })).toBeNull();
    expect(mapPrice({})).toBeNull();
  });
});
