// Exact money: quota units are integers (500,000 = $1); decimals from people (USD amounts, group
// multipliers) are parsed as decimal strings into integers, never through floating point.
export const UNITS_PER_USD = 500_000;
export const MICROS = 1_000_000;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "1.25" → 1_250_000 (millionths). Throws on more than 6 decimals, signs or junk. */
export function parseMicros(value: string | number): number {
  const text = typeof value === "number" ? numberToPlain(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`"${value}" is not a non-negative decimal number`);
  const frac = m[2] ?? "";
  if (frac.length > 6) throw new RangeError(`"${value}" has more than 6 decimals`);
  const micros = BigInt(m[1]) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${value}" is too large`);
  return Number(micros);
}

/** Millionths back to the shortest decimal: 950_000 → 0.95. Exact for 6 decimals. */
export const microsToNumber = (micros: number) => Number(formatMicros(micros));

export function formatMicros(micros: number): string {
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS);
  const frac = String(abs % MICROS)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${micros < 0 ? "-" : ""}${frac ? `${whole}.${frac}` : whole}`;
}

/** USD (up to 6 decimals) → quota units, rounded down: a grant never exceeds what was asked. */
export function usdToUnits(usd: string | number): number {
  return Math.floor((parseMicros(usd) * UNITS_PER_USD) / MICROS);
}

/** Quota units → USD for display: 750_000 → "1.500000". */
export const unitsToUsd = (units: number) => formatMicros(units * 2);

/** JS numbers print 1e-7 as "1e-7"; give the plain decimal so the parser sees what was meant. */
function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) < 1e-6 && n !== 0 ? n.toFixed(12).replace(/0+$/, "") : String(n);
}
