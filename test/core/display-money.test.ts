// Money in the reader's currency: exact in dollars, yuan at the operator's rate (rounded half up past
// the sixth decimal), and typed amounts back to whole units rounded down (never more than typed).
import { describe, expect, test } from "bun:test";
import { amountText, currency, formatMoney, parseAmount, unitsToUsdMicros, USD } from "../../src/core/display-money";

const CNY = currency("CNY", 7.3);
const ONE_TO_ONE = currency("CNY", "1");

describe("showing", () => {
  test("dollars are exact, at least two decimals, at most six", () => {
    expect(formatMoney(unitsToUsdMicros(1_250_000), USD)).toBe("$2.50");
    expect(formatMoney(unitsToUsdMicros(10), USD)).toBe("$0.00002");
    expect(formatMoney(unitsToUsdMicros(-250), USD)).toBe("-$0.0005");
    expect(formatMoney(unitsToUsdMicros(500_000), USD, { signed: true })).toBe("+$1.00");
    expect(formatMoney(0, USD, { signed: true })).toBe("$0.00");
  });

  test("yuan at 7.3: $10 is ¥73.00, one unit ¥0.000015 (half up past six decimals)", () => {
    expect(formatMoney(unitsToUsdMicros(5_000_000), CNY)).toBe("¥73.00");
    expect(formatMoney(unitsToUsdMicros(1), CNY)).toBe("¥0.000015"); // 0.0000146
    expect(formatMoney(unitsToUsdMicros(1_234_567), CNY)).toBe("¥18.024678"); // 18.0246782
  });

  test("¥1 = $1 of quota (API易-style) shows the dollar figure in yuan", () => {
    expect(formatMoney(unitsToUsdMicros(1_250_000), ONE_TO_ONE)).toBe("¥2.50");
  });

  test("the whole part is grouped by the caller's locale", () => {
    const group = (n: bigint) => new Intl.NumberFormat("en").format(n);
    expect(amountText(unitsToUsdMicros(617_283_500_000), USD, group)).toBe("1,234,567.00");
  });

  test("a rate of 0 or less is refused", () => {
    expect(() => currency("CNY", 0)).toThrow();
  });
});

describe("typing", () => {
  test("yuan become whole units, rounded down", () => {
    expect(parseAmount("73", CNY)).toBe(5_000_000);
    expect(parseAmount("1", CNY)).toBe(68_493); // 68,493.15… units: never more than typed
    expect(parseAmount("¥7.3", CNY)).toBe(500_000);
    expect(parseAmount("1,000", ONE_TO_ONE)).toBe(500_000_000);
  });

  test("dollars become units exactly", () => {
    expect(parseAmount("10", USD)).toBe(5_000_000);
    expect(parseAmount("$0.000002", USD)).toBe(1);
    expect(parseAmount("0.000001", USD)).toBe(0);
  });

  test("signs, junk and more than six decimals are refused", () => {
    for (const bad of ["-1", "abc", "1.0000001", "", "1e3"]) expect(() => parseAmount(bad, CNY)).toThrow(RangeError);
    expect(() => parseAmount("99999999999999", USD)).toThrow(/too large/);
  });
});
