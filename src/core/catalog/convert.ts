// One upstream price, as @pydantic/genai-prices writes it, to apiyi's exact price (micro-USD per 1M
// tokens, or per call): the rule for prices that change with the date or the time of day, the rule
// for context tiers, the price keys apiyi can bill and the rounding of USD floats to micro-USD.
import { MICROS } from "../money";

export type TieredPrice = { base: number; tiers: { start: number; price: number }[] };
export type RawPrice = Record<string, number | TieredPrice | undefined>;
export type Constraint =
  | { type: "start_date"; start_date: string }
  | { type: "time_of_date"; start_time: string; end_time: string };
export type RawPrices = RawPrice | { constraint?: Constraint; prices: RawPrice }[];

/** Micro-USD per 1M tokens (input, output, cache reads, cache writes) and per call; null = none. */
export type MicroPrice = {
  input: number | null;
  output: number | null;
  cached_input: number | null;
  cache_write: number | null;
  per_call: number | null;
};

/** The shortest decimal a JS number prints as, without exponent: 1e-7 → "0.0000001". */
function plainDecimal(n: number): string {
  const s = String(n);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[1] + (m[2] ?? "");
  const exp = Number(m[3]);
  if (exp >= 0) return (digits + "0".repeat(Math.max(0, exp + 1 - digits.length))).slice(0, exp + 1);
  return `0.${"0".repeat(-exp - 1)}${digits}`;
}

/**
 * USD as the catalog writes it (a float) → integer micro-USD, exact: the number's shortest decimal
 * rounded half up at the 6th decimal ($0.08333333333333334 → 83,333; $3 → 3,000,000). Float noise
 * beyond 6 decimals never turns into a whole micro-USD.
 */
export function usdToMicros(usd: number): number {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`${usd} is not a price`);
  const [whole, frac = ""] = plainDecimal(usd).split(".");
  const micros = BigInt(whole) * BigInt(MICROS) + BigInt(frac.slice(0, 6).padEnd(6, "0"));
  return Number(frac.length > 6 && frac[6] >= "5" ? micros + 1n : micros);
}

/** Micro-USD per 1,000 calls → per call, rounded half up. */
const perCall = (microsPerThousand: number) => Math.floor((microsPerThousand + 500) / 1000);

/**
 * The price in force on `at`'s date. Date-bound prices: the latest one started by then. Prices that
 * differ by the time of day (DeepSeek's off-peak discount): the highest of them, whatever the hour,
 * since apiyi bills one price around the clock and a discount would sell below cost at peak hours.
 */
export function priceInForce(prices: RawPrices, at: Date): RawPrice {
  if (!Array.isArray(prices)) return prices;
  let dated = prices[0].prices;
  const daily: RawPrice[] = [];
  for (const p of prices) {
    const c = p.constraint;
    if (!c || (c.type === "start_date" && new Date(c.start_date) <= at)) dated = p.prices;
    else if (c.type === "time_of_date") daily.push(p.prices);
  }
  const weight = (p: RawPrice) => tierBase(p.input_mtok) + tierBase(p.output_mtok);
  return daily.reduce((best, p) => (weight(p) > weight(best) ? p : best), dated);
}

/** The tier rule: a price with context tiers (e.g. above 200k prompt tokens) is billed at its base
 * tier, the price of every call below the first threshold. */
const tierBase = (v: number | TieredPrice | undefined) => (v === undefined ? 0 : typeof v === "number" ? v : v.base);

/** Price keys apiyi bills; every other key (audio, image tokens, searches, 1-hour cache writes…) is
 * listed in `dropped`. */
const KEYS: Record<string, keyof MicroPrice> = {
  input_mtok: "input",
  output_mtok: "output",
  cache_read_mtok: "cached_input",
  cache_write_mtok: "cache_write",
};

export type Mapped = { price: MicroPrice; tiered: boolean; dropped: string[] };

/** One resolved price → apiyi's fields; null when it has nothing apiyi can bill. */
export function mapPrice(raw: RawPrice): Mapped | null {
  const price: MicroPrice = { input: null, output: null, cached_input: null, cache_write: null, per_call: null };
  const dropped: string[] = [];
  let tiered = false;
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (typeof value === "object") tiered = true;
    const usd = tierBase(value);
    if (key === "requests_kcount") price.per_call = perCall(usdToMicros(usd));
    else if (KEYS[key]) price[KEYS[key]] = usdToMicros(usd);
    else dropped.push(key);
  }
  if (price.input === null && price.output === null && price.per_call === null) return null;
  return { price, tiered, dropped };
}
