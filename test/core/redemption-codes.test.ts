// core/redemption-codes.ts: codes are 32 lowercase hex from the CSPRNG, typed codes are normalised, the
// mask keeps only the last 4 characters, and the CSV of a batch.
import { expect, test } from "bun:test";
import { CODE_PATTERN, codesCsv, maskCode, newRedemptionCode, normalizeCode } from "../../src/core/redemption-codes";

test("codes are 32 lowercase hex characters and do not repeat", () => {
  const codes = Array.from({ length: 1000 }, newRedemptionCode);
  for (const c of codes) expect(c).toMatch(CODE_PATTERN);
  expect(new Set(codes).size).toBe(1000);
});

test("what people paste is normalised: spaces, upper case, a UUID's dashes", () => {
  expect(normalizeCode("  0123ABCD-0123-4567-89ab-0123456789AB \n")).toBe("0123abcd0123456789ab0123456789ab");
});

test("the mask is the last 4 characters", () => {
  expect(maskCode("0123456789abcdef0123456789abcdef")).toBe("…cdef");
});

test("the CSV: a header, then code, quota, USD and expiry per line", () => {
  expect(codesCsv(["a".repeat(32), "b".repeat(32)], 5_000_000, 0)).toBe(
    `code,quota,usd,expires\n${"a".repeat(32)},5000000,10,never\n${"b".repeat(32)},5000000,10,never\n`,
  );
  expect(codesCsv(["c".repeat(32)], 1, 1_800_000_000)).toBe(
    `code,quota,usd,expires\n${"c".repeat(32)},1,0.000002,2027-01-15T08:00:00.000Z\n`,
  );
});
