// A video job's money, exact: the hold taken when it is submitted (the seconds asked, or the model's
// default, at the size's per-second price, or the per-video price; × the group multiplier; rounded up),
// the charge when it completes (the seconds the upstream reported, never beyond the hold; rounded half
// up), and the release when it does not. Integer quota units: 1 unit = 2 micro-USD (500,000 = $1).
import { type AppError, badRequest } from "../../errors";
import { normalizeSize, type VideoPrice } from "./price";

export type VideoRequest = { seconds?: number; size?: string };
/** `perSecondMicros`: the per-second price the hold was sized at (null: a per-video price) */
export type VideoHold = { seconds: number; units: number; perSecondMicros: number | null };
/** `seconds`: what the charge stands for (to the millisecond); `capped`: the upstream reported more
 * than the hold covers, and the hold was charged */
export type VideoCharge = { seconds: number; units: number; capped: boolean };

/** micro-USD × millionths of a multiplier per quota unit: 2 µUSD × 1,000,000 */
const DIVISOR = 2_000_000n;
const MS = 1000n;

const ceilDiv = (n: bigint, d: bigint) => (n + d - 1n) / d;
const halfUpDiv = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

function units(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("a video's cost is beyond counting in quota units");
  return Number(n);
}

/** The per-second price for the size asked (its size price, else the model's); the refusal for a size
 * that is not WIDTHxHEIGHT when the model is priced by size. */
function perSecondFor(price: VideoPrice, perSecond: number, size: string | undefined): number | AppError {
  if (size === undefined || Object.keys(price.sizeMicros).length === 0) return perSecond;
  const normal = normalizeSize(size);
  if (!normal) return badRequest(`size "${size}" is not WIDTHxHEIGHT, like 1280x720`, "size");
  return price.sizeMicros[normal] ?? perSecond;
}

/** The seconds asked, or the model's default; the refusal for a figure it cannot make. */
function askedSeconds(price: VideoPrice, seconds: number | undefined): number | AppError {
  if (seconds === undefined) return price.defaultSeconds;
  if (!Number.isInteger(seconds) || seconds <= 0)
    return badRequest(`seconds must be a whole number of seconds above 0 (got ${seconds})`, "seconds");
  if (seconds > price.maxSeconds)
    return badRequest(`seconds ${seconds} is more than this model makes (at most ${price.maxSeconds})`, "seconds");
  return seconds;
}

/**
 * The hold for a video request: ceil(seconds × per-second µUSD × multiplier ÷ 2e6), or
 * ceil(per-video µUSD × multiplier ÷ 2e6); or the refusal (400, naming `seconds` or `size`).
 */
export function videoHold(price: VideoPrice, req: VideoRequest, multiplierMicros: number): VideoHold | AppError {
  const seconds = askedSeconds(price, req.seconds);
  if (typeof seconds !== "number") return seconds;
  const m = BigInt(multiplierMicros);
  if (price.perSecondMicros !== null) {
    const rate = perSecondFor(price, price.perSecondMicros, req.size);
    if (typeof rate !== "number") return rate;
    return { seconds, units: units(ceilDiv(BigInt(seconds) * BigInt(rate) * m, DIVISOR)), perSecondMicros: rate };
  }
  if (price.perVideoMicros === null) throw new Error("a video price needs per_second or per_video");
  return { seconds, units: units(ceilDiv(BigInt(price.perVideoMicros) * m, DIVISOR)), perSecondMicros: null };
}

/** The upstream's seconds in whole milliseconds; null when it is no figure (absent, 0, negative, NaN). */
function reportedMs(seconds: number | undefined): number | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) return null;
  return Math.round(seconds * 1000);
}

/**
 * The charge of a completed job, within the hold's bound. Per second: the reported seconds (to the
 * millisecond) when the upstream gave them, else the held seconds, at the held per-second price;
 * beyond the held seconds apiyi charges the hold (`capped`, for the log to note the upstream's
 * figure). Per video: the per-video price. Rounded half up to whole units; never above the hold.
 * `price`: the one the hold was sized at.
 */
export function videoCharge(
  price: VideoPrice,
  held: VideoHold,
  reported: { seconds?: number },
  multiplierMicros: number,
): VideoCharge {
  const m = BigInt(multiplierMicros);
  const ms = reportedMs(reported.seconds);
  if (held.perSecondMicros === null) {
    const cost =
      price.perVideoMicros === null ? held.units : units(halfUpDiv(BigInt(price.perVideoMicros) * m, DIVISOR));
    return within(held, ms === null ? held.seconds : ms / 1000, cost);
  }
  const billedMs = ms ?? held.seconds * 1000;
  if (billedMs > held.seconds * 1000) return { seconds: held.seconds, units: held.units, capped: true };
  const cost = units(halfUpDiv(BigInt(billedMs) * BigInt(held.perSecondMicros) * m, DIVISOR * MS));
  return within(held, billedMs / 1000, cost);
}

/** The charge, never above the hold (capped when it would be). */
const within = (held: VideoHold, seconds: number, cost: number): VideoCharge =>
  cost > held.units ? { seconds, units: held.units, capped: true } : { seconds, units: cost, capped: false };

/** A job that failed, expired or was cancelled costs nothing: the hold is released in full. */
export const releaseAll = (_held: VideoHold): VideoCharge => ({ seconds: 0, units: 0, capped: false });
