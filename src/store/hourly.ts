// The hourly rollups (usage_hourly) behind the admin dashboard: what the ledger adds to them with each
// slice of log rows (one upsert per hour and dimension value; latency histograms, kept site-wide, per
// model and per channel, merged with the stored ones), and the
// dashboard's reads: site-wide sums per hour, the top values of a dimension over a range of hours, and
// merged latency histograms. A row per hour and value of each dimension, so a read covers at most
// hours × (1 + models + channels + groups + active users) rows, however many log rows there are.
import type { Database, Statement } from "bun:sqlite";
import { addSample, type Histogram, histogramCount, mergeInto, parseHistogram } from "../core/histogram";
import { callOutcome } from "../core/outcome";
import type { Db } from "../db/open";
import type { NewLog } from "./logs";

export const DIMS = ["all", "model", "channel", "group", "user"] as const;
export type Dim = (typeof DIMS)[number];

export type HourlySums = {
  calls: number;
  failed: number;
  refused: number;
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
};
type Acc = HourlySums & { dim: Dim; hour: number; key: string; latency: Histogram; ttft: Histogram };

/** The dimension values a call row counts under. */
export const dimKeys = (row: NewLog): [Dim, string][] => [
  ["all", ""],
  ["model", row.model ?? ""],
  ["channel", String(row.channelId ?? 0)],
  ["group", row.group ?? ""],
  ["user", String(row.userId)],
];

export type HourlyStatements = { upsert: Statement; histograms: Statement };

/** The statements a slice is written with. Histograms are merged here, in JS (read, add, write back:
 * the ledger's transaction holds the write lock): merging JSON in SQL took ~200 µs a row. */
export const hourlyStatements = (s: Database): HourlyStatements => ({
  upsert: s.prepare(
    `INSERT INTO usage_hourly (dim, hour, key, calls, failed, refused, prompt_tokens, cached_tokens, completion_tokens, quota, latency, ttft)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed,
       refused = refused + excluded.refused, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
       cached_tokens = cached_tokens + excluded.cached_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
       quota = quota + excluded.quota,
       latency = CASE WHEN excluded.latency = '{}' THEN latency ELSE excluded.latency END,
       ttft = CASE WHEN excluded.ttft = '{}' THEN ttft ELSE excluded.ttft END`,
  ),
  histograms: s.prepare("SELECT latency, ttft FROM usage_hourly WHERE dim = ? AND hour = ? AND key = ?"),
});

/** The dimensions whose latency histograms are kept (the dashboard reads no others). */
const TIMED = new Set<Dim>(["all", "model", "channel"]);

/** One ledger slice's share of the hourly rollups, summed in memory, then written row by row. */
export class HourlySlice {
  private rows = new Map<string, Acc>();

  /** A call row (type 2 or 5): its hour, outcome, tokens, cost, and (served calls) its latencies. */
  add(row: NewLog) {
    const hour = Math.floor(row.createdAt / 3_600_000) * 3600;
    const outcome = callOutcome({ type: row.type, statusCode: row.statusCode ?? 0, errorCode: row.errorCode ?? "" });
    for (const [dim, key] of dimKeys(row)) {
      const id = `${dim}\t${hour}\t${key}`;
      let a = this.rows.get(id);
      if (!a) {
        const zero = { calls: 0, failed: 0, refused: 0, prompt: 0, cached: 0, completion: 0, quota: 0 };
        a = { dim, hour, key, ...zero, latency: {}, ttft: {} };
        this.rows.set(id, a);
      }
      a.calls++;
      if (outcome === "failed") a.failed++;
      else if (outcome === "refused") a.refused++;
      a.prompt += row.promptTokens ?? 0;
      a.cached += row.cachedTokens ?? 0;
      a.completion += row.completionTokens ?? 0;
      a.quota += row.quota ?? 0;
      if (outcome === "ok" && TIMED.has(dim)) {
        addSample(a.latency, row.durationMs ?? 0);
        if ((row.ttftMs ?? 0) > 0) addSample(a.ttft, row.ttftMs ?? 0);
      }
    }
  }

  write(sql: HourlyStatements) {
    for (const a of this.rows.values()) {
      const timed = histogramCount(a.latency) + histogramCount(a.ttft) > 0;
      const stored = timed
        ? (sql.histograms.get(a.dim, a.hour, a.key) as { latency: string; ttft: string } | null)
        : null;
      if (stored) {
        mergeInto(a.latency, parseHistogram(stored.latency));
        mergeInto(a.ttft, parseHistogram(stored.ttft));
      }
      sql.upsert.run(
        a.dim,
        a.hour,
        a.key,
        a.calls,
        a.failed,
        a.refused,
        a.prompt,
        a.cached,
        a.completion,
        a.quota,
        JSON.stringify(a.latency),
        JSON.stringify(a.ttft),
      );
    }
  }
}

const SUMS = `sum(calls) AS calls, sum(failed) AS failed, sum(refused) AS refused, sum(prompt_tokens) AS prompt,
  sum(cached_tokens) AS cached, sum(completion_tokens) AS completion, sum(quota) AS quota`;

/** Reads over [from, to): unix seconds, whole hours. */
export const hourlyStore = (db: Db) => {
  const s = db.$client;
  return {
    /** Site-wide sums of each hour that had calls. */
    perHour: (from: number, to: number) =>
      s
        .query<HourlySums & { hour: number }, [number, number]>(
          `SELECT hour, calls, failed, refused, prompt_tokens AS prompt, cached_tokens AS cached,
             completion_tokens AS completion, quota FROM usage_hourly WHERE dim = 'all' AND hour >= ? AND hour < ? ORDER BY hour`,
        )
        .all(from, to),

    /** The `limit` values of `dim` with the most spend (then calls), and how many values had calls. */
    top: (dim: Dim, from: number, to: number, limit: number) =>
      s
        .query<HourlySums & { key: string; values: number }, [Dim, number, number, number]>(
          `SELECT key, ${SUMS}, count(*) OVER () AS "values" FROM usage_hourly
           WHERE dim = ? AND hour >= ? AND hour < ? GROUP BY key ORDER BY quota DESC, calls DESC, key LIMIT ?`,
        )
        .all(dim, from, to, limit),

    /** Latency and time-to-first-token histograms of `keys` of `dim`, merged over the hours. */
    histograms(dim: Dim, from: number, to: number, keys: string[]) {
      const out = new Map<string, { latency: Histogram; ttft: Histogram }>(
        keys.map((k) => [k, { latency: {}, ttft: {} }]),
      );
      if (!keys.length) return out;
      for (const col of ["latency", "ttft"] as const) {
        const rows = s
          .query<{ key: string; b: string; n: number }, (string | number)[]>(
            `SELECT h.key AS key, j.key AS b, sum(j.value) AS n FROM usage_hourly AS h, json_each(h.${col}) AS j
             WHERE h.dim = ? AND h.hour >= ? AND h.hour < ? AND h.key IN (${keys.map(() => "?").join(", ")}) GROUP BY 1, 2`,
          )
          .all(dim, from, to, ...keys);
        for (const r of rows) mergeInto(out.get(r.key)![col], { [Number(r.b)]: r.n });
      }
      return out;
    },
  };
};
