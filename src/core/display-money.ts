// Money as people read and type it: quota units (the one stored truth, 500,000 = $1) shown in US
// dollars or in yuan at the operator's rate (usd_to_cny, e.g. 7.3, or 1 for API易-style "¥1 = $1 of
// quota"), and amounts typed in either turned back into whole units, rounded down so nobody is
// credited more than they typed. Exact: integer arithmetic in BigInt, never floating point.
import { MICROS, parseMicros, UNITS_PER_USD } from "./money";

export const CURRENCIES = { USD: { symbol: "$" }, CNY: { symbol: "¥" } } as const;
export type CurrencyCode = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as CurrencyCode[];
export const isCurrency = (v: unknown): v is CurrencyCode => typeof v === "string" && Object.hasOwn(CURRENCIES, v);

/** The currency a reader sees: its code, symbol and how many of it one USD is, in millionths. */
export type Currency = { code: CurrencyCode; symbol: string; rateMicros: number };

export const USD: Currency = { code: "USD", symbol: "$", rateMicros: MICROS };

/** The display currency for `code` at the operator's rate (`usdToCny`, a decimal like "7.3"). */
export function currency(code: CurrencyCode, usdToCny: number | string): Currency {
  if (code === "USD") return USD;
  const rateMicros = parseMicros(usdToCny);
  if (rateMicros <= 0) throw new RangeError("the rate must be above 0");
  return { code, symbol: CURRENCIES[code].symbol, rateMicros };
}

const E6 = 1_000_000n;

/**
 * A USD amount in millionths as the currency's decimal text, without symbol: at least 2 decimals and
 * as many more (up to 6) as it has, so a call that cost $0.00002 never reads 0.00. In USD this is
 * exact; in another currency a seventh decimal and beyond are rounded half up.
 * `group` writes the whole part (grouping in the reader's locale).
 */
export function amountText(usdMicros: number, c: Currency, group: (n: bigint) => string = String): string {
  const scaled = BigInt(Math.abs(usdMicros)) * BigInt(c.rateMicros); // 10⁻¹² of the currency
  const micros = (scaled + E6 / 2n) / E6; // 10⁻⁶ of the currency, rounded half up
  const whole = micros / E6;
  const frac = String(micros % E6)
    .padStart(6, "0")
    .replace(/0+$/, "")
    .padEnd(2, "0");
  return `${group(whole)}.${frac}`;
}

/** "$2.50", "¥18.25", "-¥0.000146"; `signed` adds "+" to a positive amount. */
export function formatMoney(
  usdMicros: number,
  c: Currency,
  opts: { signed?: boolean; group?: (n: bigint) => string } = {},
): string {
  const sign = usdMicros < 0 ? "-" : opts.signed && usdMicros > 0 ? "+" : "";
  return `${sign}${c.symbol}${amountText(usdMicros, c, opts.group)}`;
}

/** Quota units → USD millionths (1 unit = $0.000002). */
export const unitsToUsdMicros = (units: number) => units * (MICROS / UNITS_PER_USD);

/**
 * An amount typed in the reader's currency ("10", "7.3", "0.5") → whole quota units, rounded down.
 * Throws a RangeError saying what is wrong for a sign, junk, more than 6 decimals or a huge number.
 */
export function parseAmount(text: string, c: Currency): number {
  const micros = BigInt(parseMicros(text.trim().replace(/^[$¥]/, "").replaceAll(",", "")));
  const units = (micros * BigInt(UNITS_PER_USD)) / BigInt(c.rateMicros);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${text}" is too large`);
  return Number(units);
}
