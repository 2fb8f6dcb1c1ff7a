// The rollups behind the admin dashboard (usage_hourly), as the ledger writes them with each slice of
// log rows: every call counts in its hour (span 3600) and its UTC day (span 86400), under each
// dimension value (site-wide, model, channel, group, user). One upsert per rollup row of the slice; the
// latency histograms (site-wide, per model and per channel) are merged with the stored ones here.
import type { Database, Statement } from "bun:sqlite";
import { addSample, type Histogram, histogramCount, mergeInto, parseHistogram } from "../core/histogram";
import { DAY, HOUR } from "../core/local-days";
import { callOutcome } from "../core/outcome";
import type { NewLog } from "./logs";

export const DIMS = ["all", "model", "channel", "group", "user"] as const;
export type Dim = (typeof DIMS)[number];
/** The dimensions whose latency histograms are kept (the dashboard reads no others). */
const TIMED = new Set<Dim>(["all", "model", "channel"]);

export type HourlySums = {
  calls: number;
  failed: number;
  refused: number;
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
};
export type HourlyRow = HourlySums & {
  dim: Dim;
  span: number;
  hour: number;
  key: string;
  latency: Histogram;
  ttft: Histogram;
};
const SUM_FIELDS = ["calls", "failed", "refused", "prompt", "cached", "completion", "quota"] as const;

/** The dimension values a call counts under. */
const dimKeys = (c: { model: string; channel: number; group: string; user: number }): [Dim, string][] => [
  ["all", ""],
  ["model", c.model],
  ["channel", String(c.channel)],
  ["group", c.group],
  ["user", String(c.user)],
];

/** The upsert of usage_hourly rows, in either database (`param(i)`: the i-th placeholder, from 0;
 * `rows` rows of 13 values each): sums add up. A histogram either replaces the stored one unless it is
 * empty (SQLite: merged beforehand in JS), or is added to it bucket by bucket by `merge(stored, added)`
 * (PostgreSQL's apiyi_merge_histogram, so no row needs reading first). */
export const hourlyUpsertSql = (
  param: (i: number) => string,
  rows = 1,
  merge?: (stored: string, added: string) => string,
) => {
  const values = Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: 13 }, (_, i) => param(r * 13 + i)).join(", ")})`,
  ).join(", ");
  const histogram = (column: string) =>
    merge
      ? `${column} = ${merge(`usage_hourly.${column}`, `excluded.${column}`)}`
      : `${column} = CASE WHEN excluded.${column} = '{}' THEN usage_hourly.${column} ELSE excluded.${column} END`;
  return `INSERT INTO usage_hourly (dim, span, hour, key, calls, failed, refused, prompt_tokens, cached_tokens, completion_tokens, quota, latency, ttft)
   VALUES ${values}
   ON CONFLICT (dim, span, hour, key) DO UPDATE SET calls = usage_hourly.calls + excluded.calls,
     failed = usage_hourly.failed + excluded.failed, refused = usage_hourly.refused + excluded.refused,
     prompt_tokens = usage_hourly.prompt_tokens + excluded.prompt_tokens,
     cached_tokens = usage_hourly.cached_tokens + excluded.cached_tokens,
     completion_tokens = usage_hourly.completion_tokens + excluded.completion_tokens,
     quota = usage_hourly.quota + excluded.quota, ${histogram("latency")}, ${histogram("ttft")}`;
};

export type HourlyStatements = { upsert: Statement; histograms: Statement };

/** The statements a slice is written with. Histograms are merged in JS (read, add, write back: the
 * ledger's transaction holds the write lock); merging the JSON in SQL took ~200 µs a row. */
export const hourlyStatements = (s: Database): HourlyStatements => ({
  upsert: s.prepare(hourlyUpsertSql(() => "?")),
  histograms: s.prepare("SELECT latency, ttft FROM usage_hourly WHERE dim = ? AND span = ? AND hour = ? AND key = ?"),
});

/** One call row's place: its hour and the value of each dimension but "all". */
type Combo = HourlySums & {
  hour: number;
  model: string;
  channel: number;
  group: string;
  user: number;
  latency: Histogram;
  ttft: Histogram;
};

const zeroSums = (): HourlySums => ({ calls: 0, failed: 0, refused: 0, prompt: 0, cached: 0, completion: 0, quota: 0 });

/** One ledger slice's share of the rollups: rows are summed in memory per hour and combination of
 * dimension values (one lookup a row: a slice's calls mostly share one), spread into the dimensions
 * when written, with the UTC days those hours make up. */
export class HourlySlice {
  private combos = new Map<string, Combo>();

  /** A call row (type 2 or 5): its outcome, tokens, cost, and (served calls) its latencies. */
  add(row: NewLog) {
    const sec = Math.floor(row.createdAt / 1000);
    const hour = sec - (sec % HOUR);
    const model = row.model ?? "";
    const channel = row.channelId ?? 0;
    const group = row.group ?? "";
    const id = `${hour}\t${model}\t${channel}\t${group}\t${row.userId}`;
    let c = this.combos.get(id);
    if (!c) {
      c = { hour, model, channel, group, user: row.userId, ...zeroSums(), latency: {}, ttft: {} };
      this.combos.set(id, c);
    }
    const outcome = callOutcome({ type: row.type, statusCode: row.statusCode ?? 0, errorCode: row.errorCode ?? "" });
    c.calls++;
    if (outcome === "failed") c.failed++;
    else if (outcome === "refused") c.refused++;
    c.prompt += row.promptTokens ?? 0;
    c.cached += row.cachedTokens ?? 0;
    c.completion += row.completionTokens ?? 0;
    c.quota += row.quota ?? 0;
    if (outcome === "ok") {
      addSample(c.latency, row.durationMs ?? 0);
      if ((row.ttftMs ?? 0) > 0) addSample(c.ttft, row.ttftMs ?? 0);
    }
  }

  /** The slice's hour rows: each combination counted under every dimension value it has. */
  private hours(): Map<string, HourlyRow> {
    const rows = new Map<string, HourlyRow>();
    for (const c of this.combos.values()) {
      for (const [dim, key] of dimKeys(c)) {
        const a = this.acc(rows, dim, HOUR, c.hour, key);
        for (const f of SUM_FIELDS) a[f] += c[f];
        if (TIMED.has(dim)) {
          mergeInto(a.latency, c.latency);
          mergeInto(a.ttft, c.ttft);
        }
      }
    }
    return rows;
  }

  private acc(rows: Map<string, HourlyRow>, dim: Dim, span: number, hour: number, key: string): HourlyRow {
    const id = `${dim}\t${span}\t${hour}\t${key}`;
    let a = rows.get(id);
    if (!a) {
      a = { dim, span, hour, key, ...zeroSums(), latency: {}, ttft: {} };
      rows.set(id, a);
    }
    return a;
  }

  /** The slice's UTC-day rows: its hour rows summed by day (a slice rarely spans two hours). */
  private days(hours: Map<string, HourlyRow>): HourlyRow[] {
    const days = new Map<string, HourlyRow>();
    for (const h of hours.values()) {
      const d = this.acc(days, h.dim, DAY, h.hour - (h.hour % DAY), h.key);
      for (const f of SUM_FIELDS) d[f] += h[f];
      mergeInto(d.latency, h.latency);
      mergeInto(d.ttft, h.ttft);
    }
    return [...days.values()];
  }

  /** The slice's rows to add, days first (histograms still to be merged with the stored ones). */
  rows(): HourlyRow[] {
    const hours = this.hours();
    return [...this.days(hours), ...hours.values()];
  }

  write(sql: HourlyStatements) {
    for (const a of this.rows()) {
      const stored = timed(a)
        ? (sql.histograms.get(a.dim, a.span, a.hour, a.key) as { latency: string; ttft: string } | null)
        : null;
      if (stored) {
        mergeInto(a.latency, parseHistogram(stored.latency));
        mergeInto(a.ttft, parseHistogram(stored.ttft));
      }
      sql.upsert.run(...hourlyValues(a));
    }
  }
}

/** Whether the row carries latencies (only then are the stored histograms read and merged). */
export const timed = (a: HourlyRow) => histogramCount(a.latency) + histogramCount(a.ttft) > 0;

/** The row's values in usage_hourly's column order (as the upsert statements of both databases take them). */
export const hourlyValues = (a: HourlyRow) =>
  [
    a.dim,
    a.span,
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
  ] as const;
