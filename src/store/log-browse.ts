// Reads of the logs table for the console: keyset pages (by id, so a page costs the same at row 10
// and at row 10,000,000: the (user_id, …, id) indexes serve `id < ?` newest first), sums over the
// rows of a filter, and a bounded sample of a user's latest rows for medians.
import { asc, count, desc, eq, gt, inArray, lt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "../db/open";
import { logs, type LogRow } from "../db/schema";
import { logWhere, type LogFilter } from "./logs";

export type BrowseFilter = LogFilter & { userId: number };
export type Cursor = { before?: number; after?: number };
export type RowSums = { rows: number; prompt: number; cached: number; completion: number; quota: number };

const where = (f: LogFilter, extra: (SQL | undefined)[] = []) => logWhere(f, extra);

const total = (col: AnyColumn) => sql<number>`coalesce(sum(${col}), 0)`;

export const logBrowseStore = (db: Db) => ({
  /** Up to `limit` rows newest first: older than `before`, or the oldest `limit` newer than `after`.
   * `more`: there are further rows in that direction. Without `userId`: everyone's (admins' exports). */
  page(f: LogFilter, cursor: Cursor, limit: number): { rows: LogRow[]; more: boolean } {
    if (f.from !== undefined || f.to !== undefined) return pageByTime(db, f, cursor, limit);
    if (cursor.after !== undefined) {
      const rows = db
        .select()
        .from(logs)
        .where(where(f, [gt(logs.id, cursor.after)]))
        .orderBy(asc(logs.id))
        .limit(limit + 1)
        .all();
      const more = rows.length > limit;
      return { rows: rows.slice(0, limit).reverse(), more };
    }
    const older = cursor.before === undefined ? undefined : lt(logs.id, cursor.before);
    const rows = db
      .select()
      .from(logs)
      .where(where(f, [older]))
      .orderBy(desc(logs.id))
      .limit(limit + 1)
      .all();
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  },

  /** Count and sums of the rows of `f` whose type is one of `types`. */
  sums: (f: BrowseFilter, types: number[]): RowSums =>
    db
      .select({
        rows: count(),
        prompt: total(logs.promptTokens),
        cached: total(logs.cachedTokens),
        completion: total(logs.completionTokens),
        quota: total(logs.quota),
      })
      .from(logs)
      .where(where(f, [inArray(logs.type, types)]))
      .get()!,

  /** The user's latest `limit` rows (any type, any age): a query that reads at most `limit` rows. */
  latest: (userId: number, limit: number) =>
    db
      .select({
        type: logs.type,
        createdAt: logs.createdAt,
        durationMs: logs.durationMs,
        ttftMs: logs.ttftMs,
        statusCode: logs.statusCode,
        errorCode: logs.errorCode,
      })
      .from(logs)
      .where(eq(logs.userId, userId))
      .orderBy(desc(logs.id))
      .limit(limit)
      .all(),
});

/**
 * A page of a time range, ordered by (created_at, id): the (user_id, created_at) index holds the row
 * id after created_at, so the range is read in order without sorting every row of it (ordering by id
 * alone sorted all 117,000 rows of a week to show 50). The cursor stays a row id; its created_at is
 * looked up, so `(created_at, id)` before or after that row is one index range.
 */
function pageByTime(db: Db, f: LogFilter, cursor: Cursor, limit: number): { rows: LogRow[]; more: boolean } {
  const at = (id: number) => sql`(SELECT ${logs.createdAt} FROM ${logs} WHERE ${logs.id} = ${id})`;
  if (cursor.after !== undefined) {
    const newer = sql`(${logs.createdAt} > ${at(cursor.after)} OR (${logs.createdAt} = ${at(cursor.after)} AND ${logs.id} > ${cursor.after}))`;
    const rows = db
      .select()
      .from(logs)
      .where(where(f, [newer]))
      .orderBy(asc(logs.createdAt), asc(logs.id))
      .limit(limit + 1)
      .all();
    return { rows: rows.slice(0, limit).reverse(), more: rows.length > limit };
  }
  const older =
    cursor.before === undefined
      ? undefined
      : sql`(${logs.createdAt} < ${at(cursor.before)} OR (${logs.createdAt} = ${at(cursor.before)} AND ${logs.id} < ${cursor.before}))`;
  const rows = db
    .select()
    .from(logs)
    .where(where(f, [older]))
    .orderBy(desc(logs.createdAt), desc(logs.id))
    .limit(limit + 1)
    .all();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
