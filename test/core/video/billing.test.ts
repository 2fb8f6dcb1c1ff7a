// A video job's money in whole quota units (500,000 = $1; 1 unit = 2 micro-USD): the hold (seconds
// asked or the model's default, at the size's price, × the multiplier, rounded up; refusals naming
// `seconds` or `size`), the charge (reported seconds within the hold's bound, rounded half up) and the
// release. Checked against a BigInt reference, including products beyond 2^53.
import { describe, expect, test } from "bun:test";
import { releaseAll, videoCharge, videoHold, type VideoHold } from "../../../src/core/video/billing";
import { parseVideoPrice } from "../../../src/core/video/price";
import { AppError } from "../../../src/errors";

const M1 = 1_000_000; // 1×, in millionths
const M15 = 1_500_000;
const soraPro = parseVideoPrice({
  per_second: "0.30",
  sizes: { "1792x1024": "0.50", "1024x1792": "0.50" },
  default_seconds: 8,
  max_seconds: 20,
});
const perVideo = parseVideoPrice({ per_video: "1.00" });

function hold(...args: Parameters<typeof videoHold>): VideoHold {
  const h = videoHold(...args);
  if (h instanceof AppError) throw h;
  return h;
}

function refused(r: ReturnType<typeof videoHold>, param: string, says: RegExp) {
  expect(r).toBeInstanceOf(AppError);
  const e = r as AppError;
  expect([e.status, e.type, e.param]).toEqual([400, "invalid_request_error", param]);
  expect(e.message).toMatch(says);
}

describe("videoHold", () => {
  test("sora-2-pro, 8 s at 1792x1024, multiplier 1.5: 8 × $0.50 × 1.5 = $6 = 3,000,000 units", () => {
    expect(hold(soraPro, { seconds: 8, size: "1792x1024" }, M15)).toEqual({
      seconds: 8,
      units: 3_000_000,
      perSecondMicros: 500_000,
    });
  });

  test("the other sizes at the model's per-second price; DashScope's 1792*1024 is 1792x1024", () => {
    expect(hold(soraPro, { seconds: 4, size: "1280x720" }, M1)).toEqual({
      seconds: 4,
      units: 600_000, // 4 × $0.30
      perSecondMicros: 300_000,
    });
    expect(hold(soraPro, { seconds: 4 }, M1).units).toBe(600_000);
    expect(hold(soraPro, { seconds: 4, size: "1792*1024" }, M1).perSecondMicros).toBe(500_000);
    expect(hold(soraPro, { seconds: 4, size: "1024X1792" }, M1).perSecondMicros).toBe(500_000);
  });

  test("no seconds on a model whose default is 8 holds 8 s (new-api #5498 billed 4)", () => {
    expect(hold(soraPro, { size: "1792x1024" }, M1)).toEqual({
      seconds: 8,
      units: 2_000_000,
      perSecondMicros: 500_000,
    });
  });

  test("seconds it cannot make are refused, naming seconds", () => {
    refused(videoHold(soraPro, { seconds: 21 }, M1), "seconds", /at most 20/);
    refused(videoHold(soraPro, { seconds: 0 }, M1), "seconds", /whole number of seconds above 0/);
    refused(videoHold(soraPro, { seconds: -4 }, M1), "seconds", /above 0/);
    refused(videoHold(soraPro, { seconds: 2.5 }, M1), "seconds", /whole number/);
    refused(videoHold(soraPro, { seconds: Number.NaN }, M1), "seconds", /whole number/);
    refused(videoHold(perVideo, { seconds: 21 }, M1), "seconds", /at most 20/);
    expect(hold(soraPro, { seconds: 20 }, M1).seconds).toBe(20);
  });

  test("a size that is not WIDTHxHEIGHT is refused where sizes are priced, ignored elsewhere", () => {
    refused(videoHold(soraPro, { seconds: 4, size: "1080p" }, M1), "size", /"1080p" is not WIDTHxHEIGHT/);
    const flat = parseVideoPrice({ per_second: "0.10" });
    expect(hold(flat, { seconds: 4, size: "1080p" }, M1).units).toBe(200_000);
    expect(hold(perVideo, { size: "1080p" }, M1).units).toBe(500_000);
  });

  test("per video: the price × the multiplier, whatever the seconds", () => {
    expect(hold(perVideo, {}, M15)).toEqual({ seconds: 8, units: 750_000, perSecondMicros: null });
    expect(hold(perVideo, { seconds: 20 }, M15).units).toBe(750_000);
  });

  test("rounded up: $0.000001 for 1 s is half a unit, held as 1; a free model or group holds 0", () => {
    const micro = parseVideoPrice({ per_second: "0.000001" });
    expect(hold(micro, { seconds: 1 }, M1).units).toBe(1);
    expect(hold(micro, { seconds: 1 }, 900_000).units).toBe(1);
    expect(hold(micro, { seconds: 3 }, M1).units).toBe(2); // 1.5
    expect(hold(soraPro, { seconds: 8 }, 0).units).toBe(0);
    expect(hold(parseVideoPrice({ per_second: "0" }), { seconds: 8 }, M1).units).toBe(0);
  });

  test("exact beyond 2^53: the BigInt reference, rounded up", () => {
    const cases: [string, number, number][] = [
      ["1000000", 20, 3_000_000], // 1e12 µUSD × 20 × 3e6 = 6e19
      ["123456.789012", 19, 1_234_567],
      ["99999.999999", 3600, 7_777_777],
    ];
    for (const [usd, seconds, m] of cases) {
      const p = parseVideoPrice({ per_second: usd, max_seconds: 3600 });
      const n = BigInt(p.perSecondMicros!) * BigInt(seconds) * BigInt(m);
      expect(n > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(BigInt(hold(p, { seconds }, m).units)).toBe((n + 1_999_999n) / 2_000_000n);
    }
  });

  test("a cost beyond counting in units throws (no silent rounding)", () => {
    const p = parseVideoPrice({ per_second: "9000000000", max_seconds: 3600 });
    expect(() => videoHold(p, { seconds: 3600 }, 1_000_000_000)).toThrow(RangeError);
  });
});

describe("videoCharge", () => {
  const held = hold(soraPro, { seconds: 8, size: "1792x1024" }, M15); // 3,000,000 units

  test("reported 6 s on an 8 s hold: 6 s are charged", () => {
    expect(videoCharge(soraPro, held, { seconds: 6 }, M15)).toEqual({ seconds: 6, units: 2_250_000, capped: false });
  });

  test("reported 10 s on an 8 s hold: capped at the hold", () => {
    expect(videoCharge(soraPro, held, { seconds: 10 }, M15)).toEqual({ seconds: 8, units: 3_000_000, capped: true });
  });

  test("no report (or 0, negative, NaN): the held seconds", () => {
    for (const seconds of [undefined, 0, -3, Number.NaN, Number.POSITIVE_INFINITY])
      expect(videoCharge(soraPro, held, { seconds }, M15)).toEqual({ seconds: 8, units: 3_000_000, capped: false });
  });

  test("fractional seconds to the millisecond; within a millisecond of the hold is not beyond it", () => {
    expect(videoCharge(soraPro, held, { seconds: 5.5 }, M15)).toEqual({
      seconds: 5.5,
      units: 2_062_500,
      capped: false,
    });
    expect(videoCharge(soraPro, held, { seconds: 8.0004 }, M15)).toEqual({
      seconds: 8,
      units: 3_000_000,
      capped: false,
    });
    expect(videoCharge(soraPro, held, { seconds: 8.001 }, M15).capped).toBe(true);
  });

  test("charged at the held per-second price (the size's), not the model's", () => {
    const h = hold(soraPro, { seconds: 4, size: "1024x1792" }, M1);
    expect(videoCharge(soraPro, h, { seconds: 4 }, M1).units).toBe(1_000_000);
  });

  test("rounded half up: half a unit is 1, 0.45 is 0", () => {
    const micro = parseVideoPrice({ per_second: "0.000001" });
    const h1 = hold(micro, { seconds: 1 }, M1);
    expect(videoCharge(micro, h1, {}, M1).units).toBe(1);
    expect(videoCharge(micro, hold(micro, { seconds: 1 }, 900_000), {}, 900_000).units).toBe(0);
    expect(videoCharge(micro, hold(micro, { seconds: 3 }, M1), { seconds: 2.999 }, M1).units).toBe(1); // 1.4995
  });

  test("never above the hold, even at a higher multiplier", () => {
    const h = hold(soraPro, { seconds: 8 }, M1);
    expect(videoCharge(soraPro, h, { seconds: 8 }, 2 * M1)).toEqual({ seconds: 8, units: h.units, capped: true });
  });

  test("per video: the per-video price, whatever the reported seconds", () => {
    const h = hold(perVideo, {}, M15);
    expect(videoCharge(perVideo, h, { seconds: 30 }, M15)).toEqual({ seconds: 30, units: 750_000, capped: false });
    expect(videoCharge(perVideo, h, {}, M15)).toEqual({ seconds: 8, units: 750_000, capped: false });
    expect(videoCharge(parseVideoPrice({ per_second: "9" }), h, {}, M15).units).toBe(750_000); // price changed since
  });

  test("a thousand random jobs: the charge never exceeds the hold", () => {
    for (let i = 0; i < 1000; i++) {
      const p = parseVideoPrice({ per_second: (Math.random() * 2).toFixed(6), sizes: { "1280x720": "0.7" } });
      const m = Math.floor(Math.random() * 5_000_000);
      const h = hold(p, { seconds: 1 + Math.floor(Math.random() * 20), size: "1280*720" }, m);
      const c = videoCharge(p, h, { seconds: Math.random() * 25 }, m);
      expect(c.units).toBeLessThanOrEqual(h.units);
      expect(c.seconds).toBeLessThanOrEqual(h.seconds);
    }
  });
});

test("releaseAll: a failed, expired or cancelled job is charged nothing", () => {
  expect(releaseAll(hold(soraPro, { seconds: 8 }, M15))).toEqual({ seconds: 0, units: 0, capped: false });
});
