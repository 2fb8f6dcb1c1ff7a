// Exact decimal parsing for multipliers and USD amounts: no floating-point drift.
import { expect, test } from "bun:test";
import { formatMicros, microsToNumber, parseMicros, unitsToUsd, usdToUnits } from "../../src/core/money";

test("decimals become exact millionths", () => {
  expect(parseMicros("0.95")).toBe(950_000);
  expect(parseMicros(0.95)).toBe(950_000);
  expect(parseMicros("1")).toBe(1_000_000);
  expect(parseMicros(1.1)).toBe(1_100_000); // 1.1 is 1.100000000000000088… as a double
  expect(parseMicros("0.000001")).toBe(1);
  expect(parseMicros(1e-6)).toBe(1);
  expect(parseMicros(" 2.5 ")).toBe(2_500_000);
});

test("junk, signs and more than 6 decimals are refused", () => {
  for (const bad of ["-1", "1.2345678", "abc", "", "1e3", "0x10", "1.", ".5", "Infinity"]) {
    expect(() => parseMicros(bad)).toThrow();
  }
  expect(() => parseMicros(-0.5)).toThrow();
  expect(() => parseMicros(Number.NaN)).toThrow();
});

test("millionths print as the shortest decimal", () => {
  expect(formatMicros(950_000)).toBe("0.95");
  expect(formatMicros(1_000_000)).toBe("1");
  expect(formatMicros(1_400_001)).toBe("1.400001");
  expect(microsToNumber(140_000)).toBe(0.14);
});

test("negative amounts (an admin's deduction in a CSV) keep one sign in front", () => {
  expect(formatMicros(-1_500_000)).toBe("-1.5");
  expect(formatMicros(-6)).toBe("-0.000006");
  expect(formatMicros(-2_000_000)).toBe("-2");
  expect(unitsToUsd(-3)).toBe("-0.000006");
});

test("USD to quota units: 500,000 per dollar, rounded down", () => {
  expect(usdToUnits("1")).toBe(500_000);
  expect(usdToUnits("2.5")).toBe(1_250_000);
  expect(usdToUnits(0.015)).toBe(7_500);
  expect(usdToUnits("0.000001")).toBe(0); // half a unit rounds down
  expect(usdToUnits("0.000003")).toBe(1);
  expect(unitsToUsd(750_000)).toBe("1.5");
});
