// Billing rules, pure and exact: which mode bills a call, and what it costs, in integer quota units
// (500,000 = $1). Prices are micro-USD (per 1M tokens, or per call), multipliers millionths; every
// cost is one BigInt expression rounded up once at the end.
import { parseVideoPrice, type VideoPrice } from "./video/price";
import type { PriceRow } from "../db/schema";
import type { AppError } from "../errors";
import type { BillingMode } from "./token-rules";
import { refusals } from "./refusals";

/** Tokens a call used, as every wire format's reader reports them: prompt counts ALL input tokens
 * (cached and cache-written included); completion includes reasoning. */
export type Usage = { prompt: number; completion: number; cached: number; cacheWrite?: number; reasoning?: number };

export type PriceEntry = {
  model: string;
  input: number | null;
  output: number | null;
  /** null: the input price */
  cachedInput: number | null;
  perCall: number | null;
  /** prompt cache writes (Anthropic); null: the input price */
  cacheWrite: number | null;
  holdCapTokens: number;
  /** a video model's price (core/video/price.ts); null: not a video model */
  video?: VideoPrice | null;
};

export type BillingKind = "usage" | "per_call";

export const priceEntry = (r: PriceRow): PriceEntry => ({
  model: r.model,
  input: r.inputMicros,
  output: r.outputMicros,
  cachedInput: r.cachedInputMicros,
  perCall: r.perCallMicros,
  cacheWrite: r.cacheWriteMicros,
  holdCapTokens: r.holdCapTokens,
  video: videoPriceOf(r.video),
});

/** The stored video price, or null (a row written by an older binary, or none). */
function videoPriceOf(json: string | null | undefined): VideoPrice | null {
  if (!json) return null;
  try {
    return parseVideoPrice(JSON.parse(json));
  } catch {
    return null;
  }
}

const UNITS_PER_USD = 500_000n;
const M = 1_000_000n;

export const hasTokenPrices = (p: PriceEntry) => p.input !== null || p.output !== null;
export const hasPerCallPrice = (p: PriceEntry) => p.perCall !== null;

/** The token's billing mode applied to the model's prices: a kind, or the refusal (check 10). */
export function decideBilling(mode: BillingMode, price: PriceEntry | undefined, model: string): BillingKind | AppError {
  if (!price || (!hasTokenPrices(price) && !hasPerCallPrice(price))) return refusals.priceNotSet(model);
  const usage = hasTokenPrices(price);
  const perCall = hasPerCallPrice(price);
  switch (mode) {
    case "usage":
      return usage ? "usage" : refusals.billingModeUnsupported(model, mode);
    case "per_call":
      return perCall ? "per_call" : refusals.billingModeUnsupported(model, mode);
    case "per_call_first":
      return perCall ? "per_call" : "usage";
    default:
      return usage ? "usage" : "per_call";
  }
}

const bigCeilDiv = (n: bigint, d: bigint) => Number((n + d - 1n) / d);

/**
 * ceil(a × b / d) for non-negative integers, exact. Plain numbers while every intermediate stays a
 * safe integer (the usual case, and ~20× faster than BigInt); BigInt beyond.
 */
function ceilMulDiv(a: number, b: number, d: number): number {
  const n = a * b;
  if (Number.isSafeInteger(n)) {
    const q = Math.floor(n / d);
    const r = n - q * d; // exact: both terms are safe integers
    return r > 0 ? q + 1 : q;
  }
  return bigCeilDiv(BigInt(a) * BigInt(b), BigInt(d));
}

/** The prompt split by price: plain input, cache reads, cache writes (never more than the prompt). */
function promptParts(u: Usage) {
  const cached = Math.min(u.cached, u.prompt);
  const written = Math.min(u.cacheWrite ?? 0, u.prompt - cached);
  return { plain: u.prompt - cached - written, cached, written };
}

/** Σ tokens × micro-USD per 1M tokens; exact as a number below 2^53 (checked by the caller). */
function microUsdSum(u: Usage, p: PriceEntry): number {
  const { plain, cached, written } = promptParts(u);
  return (
    plain * (p.input ?? 0) +
    cached * (p.cachedInput ?? p.input ?? 0) +
    written * (p.cacheWrite ?? p.input ?? 0) +
    u.completion * (p.output ?? 0)
  );
}

/** ceil((plain × input + cache reads × cached_input + cache writes × cache_write + completion × output)
 * / 1e6 × 500,000 × m) */
export function usageCost(u: Usage, p: PriceEntry, multiplierMicros: number): number {
  const sum = microUsdSum(u, p);
  // tokens × µUSD-per-1M ÷ 1e6 (per token) ÷ 1e6 (µ) × 500,000 × m ÷ 1e6  =  sum × m ÷ 2e12
  if (Number.isSafeInteger(sum)) return ceilMulDiv(sum, multiplierMicros, 2_000_000_000_000);
  const { plain, cached, written } = promptParts(u);
  const big = (v: number | null) => BigInt(v ?? 0);
  const exact =
    BigInt(plain) * big(p.input) +
    BigInt(cached) * big(p.cachedInput ?? p.input) +
    BigInt(written) * big(p.cacheWrite ?? p.input) +
    BigInt(u.completion) * big(p.output);
  return bigCeilDiv(exact * UNITS_PER_USD * BigInt(multiplierMicros), M * M * M);
}

/** ceil(per_call × n × 500,000 × m)  =  ceil(per_call µUSD × n × m ÷ 2e6) */
export function perCallCost(p: PriceEntry, n: number, multiplierMicros: number): number {
  const perCallTimesN = (p.perCall ?? 0) * n;
  if (Number.isSafeInteger(perCallTimesN)) return ceilMulDiv(perCallTimesN, multiplierMicros, 2_000_000);
  return bigCeilDiv(BigInt(p.perCall ?? 0) * BigInt(n) * UNITS_PER_USD * BigInt(multiplierMicros), M * M);
}

/** The hold: an upper bound of the call's cost before it is forwarded (for usage: the prompt bound,
 * and n choices of at most `outputBound` tokens each). */
export function holdAmount(
  kind: BillingKind,
  p: PriceEntry,
  multiplierMicros: number,
  promptBound: number,
  outputBound: number,
  n: number,
) {
  if (kind === "per_call") return perCallCost(p, n, multiplierMicros);
  // the prompt bounded at the dearest input price, so cache reads or writes can never exceed it
  const inputCeiling = Math.max(p.input ?? 0, p.cachedInput ?? p.input ?? 0, p.cacheWrite ?? p.input ?? 0);
  const bound = { ...p, input: inputCeiling, cachedInput: inputCeiling, cacheWrite: inputCeiling };
  return usageCost({ prompt: promptBound, cached: 0, completion: outputBound * n }, bound, multiplierMicros);
}

/** API易's multipliers: model multiplier = input ÷ 2, completion multiplier = output ÷ input (USD/1M). */
export function apiyiMultipliers(p: PriceEntry) {
  if (p.input === null) return { model_ratio: null, completion_ratio: null };
  return {
    model_ratio: p.input / 2 / 1_000_000,
    completion_ratio: p.output === null || p.input === 0 ? null : p.output / p.input,
  };
}
