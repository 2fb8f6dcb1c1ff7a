// PostgreSQL's twin of store/hourly-reads.ts: the admin dashboard's reads of usage_hourly (sums per hour,
// a dimension's top values, merged latency histograms) over the same day and hour rows of a period.
import { and, desc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import { HOUR, spanRanges } from "../../core/local-days";
import { usageHourly as h } from "../../db/pg/schema";
import type { Dim } from "../hourly";
import { mergeHistograms } from "../hourly-reads";
import { total } from "../rollups";
import type { Stores } from "../stores";
import { bytewise } from "./collate";
import type { PgTx } from "./pg-tx";

/** A period's rows: the whole UTC days inside it (day rows) and the hours around them (hour rows). */
const inPeriod = (start: number, end: number) =>
  or(...spanRanges(start, end).map((r) => and(eq(h.span, r.span), gte(h.hour, r.from), lt(h.hour, r.to))));

const sums = {
  calls: total(h.calls),
  failed: total(h.failed),
  refused: total(h.refused),
  prompt: total(h.promptTokens),
  cached: total(h.cachedTokens),
  completion: total(h.completionTokens),
  quota: total(h.quota),
};

/** Reads over [start, end): unix seconds, whole hours. */
export const pgHourlyReads = (tx: PgTx) =>
  ({
    perHour: async (start: number, end: number) =>
      tx
        .db()
        .select({
          hour: h.hour,
          calls: h.calls,
          failed: h.failed,
          refused: h.refused,
          prompt: h.promptTokens,
          cached: h.cachedTokens,
          completion: h.completionTokens,
          quota: h.quota,
        })
        .from(h)
        .where(and(eq(h.dim, "all"), eq(h.span, HOUR), gte(h.hour, start), lt(h.hour, end)))
        .orderBy(h.hour),

    top: async (dim: Dim, start: number, end: number, limit: number) =>
      tx
        .db()
        .select({ key: h.key, ...sums, values: sql<number>`count(*) OVER ()`.mapWith(Number) })
        .from(h)
        .where(and(eq(h.dim, dim), inPeriod(start, end)))
        .groupBy(h.key)
        .orderBy(desc(sums.quota), desc(sums.calls), bytewise(h.key))
        .limit(limit),

    async histograms(dim: Dim, start: number, end: number, keys: string[]) {
      if (!keys.length) return mergeHistograms(keys, []);
      const rows = await tx
        .db()
        .select({ key: h.key, latency: h.latency, ttft: h.ttft })
        .from(h)
        .where(and(eq(h.dim, dim), inPeriod(start, end), inArray(h.key, keys)));
      return mergeHistograms(keys, rows);
    },
  }) satisfies Stores["hourly"];
