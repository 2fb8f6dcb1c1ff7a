// A video model's price, exact: per second of video (optionally per size: DashScope's "1280*720" and
// OpenAI's "1280x720" are one size) or per video, in micro-USD, with the seconds a request that names
// none is held at and the most it may ask. Parsed from the admin's JSON, and written back for the API.
import { invalidField } from "../../errors";
import { formatMicros, parseMicros } from "../money";

export type VideoPrice = {
  perSecondMicros: number | null;
  perVideoMicros: number | null;
  /** per-second price by size ("1792x1024"), overriding perSecondMicros for that size */
  sizeMicros: Record<string, number>;
  /** the seconds a request that names none is held (and, without a report, billed) at */
  defaultSeconds: number;
  /** the most seconds a request may ask */
  maxSeconds: number;
};

/** The JSON form (admin input and API output): USD as decimal strings. */
export type VideoPriceJson = {
  per_second: string | null;
  per_video: string | null;
  sizes: Record<string, string>;
  default_seconds: number;
  max_seconds: number;
};

export const DEFAULT_SECONDS = 8;
export const MAX_SECONDS = 20;
/** the ceiling of max_seconds: one hour of video */
export const SECONDS_LIMIT = 3600;

const KEYS = ["per_second", "per_video", "sizes", "default_seconds", "max_seconds"];
const SIZE = /^\s*([1-9]\d{0,4})\s*[x×*]\s*([1-9]\d{0,4})\s*$/i;

/** "1280*720", "1280X720", " 1280 x 720 " → "1280x720"; null when it is not WIDTHxHEIGHT. */
export function normalizeSize(size: string): string | null {
  const m = SIZE.exec(size);
  return m ? `${m[1]}x${m[2]}` : null;
}

/** A USD amount (decimal string or number) → micro-USD, or the refusal naming the field. */
function usd(field: string, v: unknown): number {
  if (typeof v !== "string" && typeof v !== "number")
    throw invalidField(field, 'must be a USD amount (a decimal string like "0.30" or a number)');
  try {
    return parseMicros(v);
  } catch (e) {
    throw invalidField(field, (e as Error).message);
  }
}

function wholeSeconds(field: string, v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > SECONDS_LIMIT)
    throw invalidField(field, `must be a whole number of seconds from 1 to ${SECONDS_LIMIT}`);
  return v;
}

function sizes(v: unknown): Record<string, number> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v))
    throw invalidField("sizes", 'must be an object of size → USD per second, like {"1792x1024": "0.50"}');
  const out: Record<string, number> = {};
  for (const [key, price] of Object.entries(v)) {
    const size = normalizeSize(key);
    if (!size) throw invalidField(`sizes.${key}`, "is not a size WIDTHxHEIGHT, like 1280x720");
    if (size in out) throw invalidField(`sizes.${key}`, `is the size ${size} again`);
    out[size] = usd(`sizes.${key}`, price);
  }
  return out;
}

/**
 * Validates a video price's JSON: per_second (with optional sizes) or per_video, exactly one of them;
 * default_seconds (default 8) and max_seconds (default 20) whole seconds, the default within the
 * maximum. Throws the AppError (invalidField, 422) naming the field.
 */
export function parseVideoPrice(input: unknown): VideoPrice {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw invalidField("video_price", 'must be an object like {"per_second": "0.10"} or {"per_video": "1.00"}');
  const o = input as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.includes(k));
  if (unknown) throw invalidField(unknown, `is not a video price field (they are: ${KEYS.join(", ")})`);
  const has = (k: string) => o[k] !== undefined && o[k] !== null;
  if (!has("per_second") && !has("per_video"))
    throw invalidField("per_second", "a video price needs per_second (USD per second of video) or per_video");
  if (has("per_second") && has("per_video"))
    throw invalidField("per_video", "a video price is per_second or per_video, not both");
  const sizeMicros = sizes(o.sizes);
  if (Object.keys(sizeMicros).length > 0 && !has("per_second"))
    throw invalidField("sizes", "size prices are per second: they need per_second, the price of the other sizes");
  const maxSeconds = wholeSeconds("max_seconds", o.max_seconds, MAX_SECONDS);
  const defaultSeconds = wholeSeconds("default_seconds", o.default_seconds, Math.min(DEFAULT_SECONDS, maxSeconds));
  if (defaultSeconds > maxSeconds) throw invalidField("default_seconds", `must not exceed max_seconds (${maxSeconds})`);
  return {
    perSecondMicros: has("per_second") ? usd("per_second", o.per_second) : null,
    perVideoMicros: has("per_video") ? usd("per_video", o.per_video) : null,
    sizeMicros,
    defaultSeconds,
    maxSeconds,
  };
}

const usdText = (micros: number | null) => (micros === null ? null : formatMicros(micros));

/** The price as the API shows it (parseVideoPrice reads it back to the same price). */
export function videoPriceJson(p: VideoPrice): VideoPriceJson {
  return {
    per_second: usdText(p.perSecondMicros),
    per_video: usdText(p.perVideoMicros),
    sizes: Object.fromEntries(Object.entries(p.sizeMicros).map(([size, m]) => [size, formatMicros(m)])),
    default_seconds: p.defaultSeconds,
    max_seconds: p.maxSeconds,
  };
}
