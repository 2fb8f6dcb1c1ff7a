// Video prices from the admin's JSON: exact micro-USD from decimal strings or numbers, per second (with
// per-size prices, DashScope's "1280*720" the same size as "1280x720") or per video, the seconds
// defaults, every refusal naming its field, and the API's JSON reading back to the same price.
import { describe, expect, test } from "bun:test";
import {
  DEFAULT_SECONDS,
  MAX_SECONDS,
  normalizeSize,
  parseVideoPrice,
  videoPriceJson,
} from "../../../src/core/video/price";
import { AppError } from "../../../src/errors";

/** The refusal parseVideoPrice throws for `input`: a 422 AppError naming `field`. */
function refusal(input: unknown): AppError {
  try {
    parseVideoPrice(input);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

function refusedAt(input: unknown, field: string, says: string | RegExp) {
  const e = refusal(input);
  expect(e.status).toBe(422);
  expect(e.param).toBe(field);
  expect(e.message.startsWith(`${field}: `)).toBe(true);
  expect(e.message).toMatch(says);
}

describe("parseVideoPrice", () => {
  test("sora-2-pro: $0.30 a second, $0.50 at 1792x1024 and 1024x1792", () => {
    expect(
      parseVideoPrice({
        per_second: "0.30",
        sizes: { "1792x1024": "0.50", "1024x1792": "0.50" },
        default_seconds: 4,
        max_seconds: 20,
      }),
    ).toEqual({
      perSecondMicros: 300_000,
      perVideoMicros: null,
      sizeMicros: { "1792x1024": 500_000, "1024x1792": 500_000 },
      defaultSeconds: 4,
      maxSeconds: 20,
    });
  });

  test("per video, with the default seconds (8) and maximum (20)", () => {
    expect(parseVideoPrice({ per_video: "1.00" })).toEqual({
      perSecondMicros: null,
      perVideoMicros: 1_000_000,
      sizeMicros: {},
      defaultSeconds: DEFAULT_SECONDS,
      maxSeconds: MAX_SECONDS,
    });
    expect([DEFAULT_SECONDS, MAX_SECONDS]).toEqual([8, 20]);
  });

  test("numbers are read as the decimals they print as, exactly", () => {
    expect(parseVideoPrice({ per_second: 0.3 }).perSecondMicros).toBe(300_000);
    expect(parseVideoPrice({ per_second: 0.000001 }).perSecondMicros).toBe(1);
    expect(parseVideoPrice({ per_second: "0.123456" }).perSecondMicros).toBe(123_456);
    expect(parseVideoPrice({ per_video: 0 }).perVideoMicros).toBe(0);
  });

  test("a maximum below 8 is the default seconds when none is given", () => {
    expect(parseVideoPrice({ per_second: "0.1", max_seconds: 5 }).defaultSeconds).toBe(5);
  });

  test("DashScope sizes are stored as WIDTHxHEIGHT", () => {
    expect(parseVideoPrice({ per_second: "0.1", sizes: { "1280*720": "0.2" } }).sizeMicros).toEqual({
      "1280x720": 200_000,
    });
  });

  test("null is the same as absent", () => {
    expect(parseVideoPrice({ per_second: "0.1", per_video: null, sizes: null, default_seconds: null })).toEqual(
      parseVideoPrice({ per_second: "0.1" }),
    );
  });

  test("refusals name the field", () => {
    refusedAt({}, "per_second", /needs per_second .* or per_video/);
    refusedAt({ default_seconds: 4 }, "per_second", /needs per_second/);
    refusedAt({ per_second: "0.1", per_video: "1" }, "per_video", /not both/);
    refusedAt({ per_second: "-0.30" }, "per_second", /not a non-negative decimal/);
    refusedAt({ per_second: -0.3 }, "per_second", /not a non-negative decimal/);
    refusedAt({ per_video: "0.1234567" }, "per_video", /more than 6 decimals/);
    refusedAt({ per_video: "one dollar" }, "per_video", /not a non-negative decimal/);
    refusedAt({ per_video: true }, "per_video", /USD amount/);
    refusedAt({ per_second: "0.1", price: "1" }, "price", /not a video price field/);
    refusedAt({ per_second: "0.1", sizes: { big: "0.5" } }, "sizes.big", /WIDTHxHEIGHT/);
    refusedAt({ per_second: "0.1", sizes: { "1280x0": "0.5" } }, "sizes.1280x0", /WIDTHxHEIGHT/);
    refusedAt({ per_second: "0.1", sizes: { "1280x720": "-1" } }, "sizes.1280x720", /non-negative/);
    refusedAt({ per_second: "0.1", sizes: { "1280x720": "1", "1280*720": "2" } }, "sizes.1280*720", /again/);
    refusedAt({ per_second: "0.1", sizes: ["1280x720"] }, "sizes", /object/);
    refusedAt({ per_video: "1", sizes: { "1280x720": "0.5" } }, "sizes", /need per_second/);
    refusedAt({ per_second: "0.1", default_seconds: 2.5 }, "default_seconds", /whole number/);
    refusedAt({ per_second: "0.1", default_seconds: 0 }, "default_seconds", /from 1 to 3600/);
    refusedAt({ per_second: "0.1", default_seconds: "8" }, "default_seconds", /whole number/);
    refusedAt({ per_second: "0.1", max_seconds: 3601 }, "max_seconds", /from 1 to 3600/);
    refusedAt({ per_second: "0.1", default_seconds: 12, max_seconds: 10 }, "default_seconds", /max_seconds \(10\)/);
    for (const input of [null, [], "0.30", 3]) refusedAt(input, "video_price", /must be an object/);
  });
});

describe("normalizeSize", () => {
  test("x, X, × and * are one separator; spaces are trimmed", () => {
    for (const s of ["1280x720", "1280*720", "1280X720", " 1280 × 720 ", "1280 * 720"])
      expect(normalizeSize(s)).toBe("1280x720");
  });

  test("anything else is not a size", () => {
    for (const s of ["1080p", "1280x", "x720", "0x720", "1280x0720", "01280x720", "-1280x720", "1280x720x2", ""])
      expect(normalizeSize(s)).toBeNull();
  });
});

describe("videoPriceJson", () => {
  test("USD as the shortest decimals, every field present", () => {
    const p = parseVideoPrice({ per_second: "0.30", sizes: { "1792*1024": "0.50" }, default_seconds: 4 });
    expect(videoPriceJson(p)).toEqual({
      per_second: "0.3",
      per_video: null,
      sizes: { "1792x1024": "0.5" },
      default_seconds: 4,
      max_seconds: 20,
    });
    expect(videoPriceJson(parseVideoPrice({ per_video: "1.000001" }))).toEqual({
      per_second: null,
      per_video: "1.000001",
      sizes: {},
      default_seconds: 8,
      max_seconds: 20,
    });
  });

  test("reads back to the same price", () => {
    for (const input of [
      { per_second: "0.30", sizes: { "1792x1024": "0.50", "1024x1792": "0.50" }, default_seconds: 4, max_seconds: 12 },
      { per_video: "1.00" },
      { per_second: "0.000001", max_seconds: 3600, default_seconds: 3600 },
      { per_second: "0" },
    ]) {
      const p = parseVideoPrice(input);
      expect(parseVideoPrice(JSON.parse(JSON.stringify(videoPriceJson(p))))).toEqual(p);
    }
  });
});
