// The admin dashboard's reads of the rollups (usage_hourly, written by store/hourly.ts): site-wide sums
// per hour, the top values of a dimension over a period, and merged latency histograms. A period is
// read as the whole UTC days inside it (day rows) and the hours around them (hour rows), so a read
// covers about (days + 46) rows per dimension value, however many log rows there are.
import { type Histogram, mergeInto, parseHistogram } from "../core/histogram";
import { HOUR, spanRanges } from "../core/local-days";
import type { Db } from "../db/open";
import type { Dim, HourlySums } from "./hourly";

const SUMS = `sum(calls) AS calls, sum(failed) AS failed, sum(refused) AS refused, sum(prompt_tokens) AS prompt,
  sum(cached_tokens) AS cached, sum(completion_tokens) AS completion, sum(quota) AS quota`;

/** The WHERE of a period's rows and its parameters. */
function inPeriod(start: number, end: number) {
  const ranges = spanRanges(start, end);
  return {
    sql: `(${ranges.map(() => "(span = ? AND hour >= ? AND hour < ?)").join(" OR ")})`,
    params: ranges.flatMap((r) => [r.span, r.from, r.to]),
  };
}

/** Reads over [start, end): unix seconds, whole hours. */
export const hourlyReads = (db: Db) => {
  const s = db.$client;
  return {
    /** Site-wide sums of each hour that had calls. */
    perHour: (start: number, end: number) =>
      s
        .query<HourlySums & { hour: number }, number[]>(
          `SELECT hour, calls, failed, refused, prompt_tokens AS prompt, cached_tokens AS cached,
             completion_tokens AS completion, quota FROM usage_hourly
           WHERE dim = 'all' AND span = ? AND hour >= ? AND hour < ? ORDER BY hour`,
        )
        .all(HOUR, start, end),

    /** The `limit` values of `dim` with the most spend (then calls), and how many values had calls. */
    top(dim: Dim, start: number, end: number, limit: number) {
      const p = inPeriod(start, end);
      return s
        .query<HourlySums & { key: string; values: number }, (string | number)[]>(
          `SELECT key, ${SUMS}, count(*) OVER () AS "values" FROM usage_hourly
           WHERE dim = ? AND ${p.sql} GROUP BY key ORDER BY quota DESC, calls DESC, key LIMIT ?`,
        )
        .all(dim, ...p.params, limit);
    },

    /** Latency and time-to-first-token histograms of `keys` of `dim`, merged over the period. */
    histograms(dim: Dim, start: number, end: number, keys: string[]) {
      if (!keys.length) return mergeHistograms(keys, []);
      const p = inPeriod(start, end);
      const rows = s
        .query<StoredHistograms, (string | number)[]>(
          `SELECT key, latency, ttft FROM usage_hourly
           WHERE dim = ? AND ${p.sql} AND key IN (${keys.map(() => "?").join(", ")})`,
        )
        .all(dim, ...p.params, ...keys);
      return mergeHistograms(keys, rows);
    },
  };
};

export type StoredHistograms = { key: string; latency: string; ttft: string };

/** Each key's histograms summed over its rows (a key without rows: empty ones). */
export function mergeHistograms(keys: string[], rows: StoredHistograms[]) {
  const out = new Map<string, { latency: Histogram; ttft: Histogram }>(keys.map((k) => [k, { latency: {}, ttft: {} }]));
  for (const r of rows) {
    const h = out.get(r.key)!;
    mergeInto(h.latency, parseHistogram(r.latency));
    mergeInto(h.ttft, parseHistogram(r.ttft));
  }
  return out;
}
