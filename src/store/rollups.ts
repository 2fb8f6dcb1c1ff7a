// Reads of the usage_daily rollups (written by the ledger): sums over whole UTC days, spend per day,
// calls per model, the models and groups a user has called, and everyone's days per user and model
// (the admins' CSV). One row per day/user/token/model/group/type, so these stay small and fast however
// many detail log rows there are (or were, before retention deleted them).
import { and, desc, eq, gte, inArray, lte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { LOG_TYPE } from "../core/status";
import type { Db } from "../db/open";
import { usageDaily as u } from "../db/schema";

export type UsageFilter = {
  userId: number;
  /** UTC days "YYYY-MM-DD", inclusive */
  fromDay?: string;
  toDay?: string;
  model?: string;
  group?: string;
  /** only these tokens (an empty list matches nothing) */
  tokenIds?: number[];
  /** 2 consume or 5 error; both when absent */
  type?: number;
};

export type UsageSums = { calls: number; prompt: number; cached: number; completion: number; quota: number };

/** The columns of usage_daily these reads use, in either dialect's table. */
export type UsageColumns = Record<
  | "day"
  | "userId"
  | "tokenId"
  | "model"
  | "group"
  | "type"
  | "calls"
  | "promptTokens"
  | "cachedTokens"
  | "completionTokens"
  | "quota",
  AnyColumn
>;

/** The WHERE of a filter over either database's usage_daily. */
export function usageWhere(u: UsageColumns, f: UsageFilter): SQL | undefined {
  const parts: SQL[] = [eq(u.userId, f.userId)];
  if (f.fromDay) parts.push(gte(u.day, f.fromDay));
  if (f.toDay) parts.push(lte(u.day, f.toDay));
  if (f.model) parts.push(eq(u.model, f.model));
  if (f.group) parts.push(eq(u.group, f.group));
  if (f.tokenIds) parts.push(f.tokenIds.length ? inArray(u.tokenId, f.tokenIds) : sql`false`);
  if (f.type !== undefined) parts.push(eq(u.type, f.type));
  return and(...parts);
}

/** The sum of an integer column, 0 over no rows, as a JS number (PostgreSQL's sum is numeric, a string). */
export const total = (col: AnyColumn) => sql<number>`coalesce(sum(${col}), 0)`.mapWith(Number);

/** What `sums` reads, and the calls of type 5 among `calls`. */
export const usageSums = (u: UsageColumns) => ({
  calls: total(u.calls),
  prompt: total(u.promptTokens),
  cached: total(u.cachedTokens),
  completion: total(u.completionTokens),
  quota: total(u.quota),
});
export const errorCalls = (u: UsageColumns) =>
  sql<number>`coalesce(sum(CASE WHEN ${u.type} = ${LOG_TYPE.error} THEN ${u.calls} ELSE 0 END), 0)`.mapWith(Number);

const where = (f: UsageFilter) => usageWhere(u, f);

export const usageStore = (db: Db) => ({
  sums: (f: UsageFilter): UsageSums => db.select(usageSums(u)).from(u).where(where(f)).get()!,

  /** Cost and calls per day from `fromDay` on (days without calls are absent). */
  perDay: (userId: number, fromDay: string) =>
    db
      .select({ day: u.day, quota: total(u.quota), calls: total(u.calls) })
      .from(u)
      .where(where({ userId, fromDay }))
      .groupBy(u.day)
      .orderBy(u.day)
      .all(),

  /** The `limit` models with the most calls from `fromDay` on. */
  perModel: (userId: number, fromDay: string, limit: number) =>
    db
      .select({ model: u.model, calls: total(u.calls), quota: total(u.quota) })
      .from(u)
      .where(where({ userId, fromDay }))
      .groupBy(u.model)
      .orderBy(desc(total(u.calls)), u.model)
      .limit(limit)
      .all(),

  /** The UTC days that have rollups, from `fromDay` to `toDay` (inclusive, either optional), in order. */
  days: (fromDay?: string, toDay?: string) =>
    db
      .selectDistinct({ day: u.day })
      .from(u)
      .where(and(fromDay ? gte(u.day, fromDay) : undefined, toDay ? lte(u.day, toDay) : undefined))
      .orderBy(u.day)
      .all()
      .map((r) => r.day),

  /** Everyone's calls of one UTC day per user and model (tokens and groups summed), `errors` the type-5 calls. */
  perUserModel: (day: string) =>
    db
      .select({
        userId: u.userId,
        model: u.model,
        ...usageSums(u),
        errors: errorCalls(u),
      })
      .from(u)
      .where(eq(u.day, day))
      .groupBy(u.userId, u.model)
      .orderBy(u.userId, u.model)
      .all(),

  /** The models and groups a user has called (for the filter's suggestions). */
  names(userId: number, limit = 200) {
    const models = db
      .selectDistinct({ v: u.model })
      .from(u)
      .where(eq(u.userId, userId))
      .orderBy(u.model)
      .limit(limit)
      .all();
    const groups = db
      .selectDistinct({ v: u.group })
      .from(u)
      .where(eq(u.userId, userId))
      .orderBy(u.group)
      .limit(limit)
      .all();
    return { models: models.map((r) => r.v).filter(Boolean), groups: groups.map((r) => r.v).filter(Boolean) };
  },
});
