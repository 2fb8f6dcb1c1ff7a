// Latency histograms of the hourly rollups: fixed log-scale buckets, so histograms of any hours, models
// or channels add up bucket by bucket, and a percentile is the bucket it falls in. Buckets of whole
// milliseconds: 0–7 ms one bucket each, then four per power of two ([8, 10), [10, 12), [12, 14),
// [14, 16), [16, 20) …), so a bucket is at most 25 % wider than its lower bound; the last bucket
// holds everything from 7 × 2^22 ms (about 8 hours) up. Stored sparse: {"bucket": count} as JSON.

/** exact buckets below this */
const LINEAR = 8;
/** highest power of two with its own four buckets: 2^24 … 2^25 ms */
const TOP_EXP = 24;
export const BUCKETS = LINEAR + (TOP_EXP - 2) * 4;

/** counts per bucket index; absent = 0 */
export type Histogram = Record<number, number>;

/** The bucket of a duration in ms (negative and fractional values: rounded into range). */
export function bucketOf(ms: number): number {
  const v = Math.max(0, Math.round(ms));
  if (v < LINEAR) return v;
  if (v >= 2 ** (TOP_EXP + 1)) return BUCKETS - 1;
  const e = 31 - Math.clz32(v); // floor(log2 v), ≥ 3
  return LINEAR + (e - 3) * 4 + ((v >>> (e - 2)) & 3);
}

/** The range of whole ms a bucket holds: lo ≤ ms < hi (hi is Infinity for the last bucket). */
export function bucketRange(bucket: number): { lo: number; hi: number } {
  if (bucket < LINEAR) return { lo: bucket, hi: bucket + 1 };
  const e = 3 + Math.floor((bucket - LINEAR) / 4);
  const sub = (bucket - LINEAR) % 4;
  const lo = (4 + sub) * 2 ** (e - 2);
  return { lo, hi: bucket === BUCKETS - 1 ? Number.POSITIVE_INFINITY : lo + 2 ** (e - 2) };
}

/** The largest value of each bucket but the last, in order: what a SQL CASE needs to bucket a column. */
export const bucketUppers = (): number[] => Array.from({ length: BUCKETS - 1 }, (_, i) => bucketRange(i).hi - 1);

export function addSample(h: Histogram, ms: number, n = 1) {
  const b = bucketOf(ms);
  h[b] = (h[b] ?? 0) + n;
}

export function mergeInto(into: Histogram, from: Histogram) {
  for (const [b, n] of Object.entries(from)) into[Number(b)] = (into[Number(b)] ?? 0) + n;
  return into;
}

/** A stored histogram (JSON object of counts); anything unreadable counts as empty. */
export function parseHistogram(text: string | null | undefined): Histogram {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Histogram) : {};
  } catch {
    return {};
  }
}

export const histogramCount = (h: Histogram) => Object.values(h).reduce((a, n) => a + n, 0);

/** A percentile read from a histogram: the bucket holding it, its range, and its middle as the figure. */
export type Percentile = { bucket: number; lo: number; hi: number; ms: number };

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank: the sample at rank ceil(q × n) in ascending order, as
 * the bucket that holds it (so it is within one bucket of the exact value, and in the same bucket as
 * the exact nearest-rank value of the raw samples). The figure shown is the bucket's middle (its lower
 * bound for the last, open bucket). null without samples.
 */
export function percentile(h: Histogram, q: number): Percentile | null {
  const n = histogramCount(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  const buckets = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  for (const b of buckets) {
    seen += h[b];
    if (seen >= rank) {
      const { lo, hi } = bucketRange(b);
      return { bucket: b, lo, hi, ms: Number.isFinite(hi) ? Math.floor((lo + hi - 1) / 2) : lo };
    }
  }
  return null; // unreachable: seen reaches n ≥ rank
}
