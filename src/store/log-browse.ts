// Reads of the logs table for the console: keyset pages (by id, so a page costs the same at row 10
// and at row 10,000,000: logs_user_id serves `id < ?` newest first; a time range by (created_at, id)),
// sums over the rows of a filter, and a bounded sample of a user's latest rows for medians. A filter
// no index serves (group, endpoint, a common type, …: `walks`) reads the user's rows and checks each:
// at most WALK_ROWS of them per page, so a rare value costs a page no more than a common one.
import { asc, count, desc, eq, gt, inArray, lt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "../db/open";
import { isRareLogType, logs, type LogRow } from "../db/schema";
import { logWhere, type LogFilter } from "./logs";

export type BrowseFilter = LogFilter & { userId: number };
export type Cursor = { before?: number; after?: number };
export type RowSums = { rows: number; prompt: number; cached: number; completion: number; quota: number };
/** `next`: the cursor to go on from in the page's direction (a row id), when `more` */
export type BrowsePage = { rows: LogRow[]; more: boolean; next?: number };

/** The most rows a page with a filter no index serves reads (issue 16: those indexes cost every call). */
export const WALK_ROWS = 10_000;

const where = (f: LogFilter, extra: (SQL | undefined)[] = []) => logWhere(f, extra);

const total = (col: AnyColumn) => sql<number>`coalesce(sum(${col}), 0)`;

/** The part of a filter whose rows the walk's bound counts: the user's (or everyone's) rows, of the time range. */
const indexed = (f: LogFilter): LogFilter => ({ userId: f.userId, from: f.from, to: f.to });
/** Whether a page of `f` checks rows one by one: a term no index serves (group, endpoint, a common
 * type), two the indexes serve apart (model, token name, rare type), or with a time range (read by
 * time) any of them. */
function walks(f: LogFilter, byTime: boolean) {
  if (f.requestId) return false;
  if (f.group || f.endpoint || (f.type !== undefined && !isRareLogType(f.type))) return true;
  const served = [f.model, f.tokenName, isRareLogType(f.type)].filter(Boolean).length;
  return byTime ? served > 0 : served > 1 || (!!f.tokenName && f.userId === undefined);
}

/** A page's order: by id, or (a time range) by (created_at, id), the cursor still a row id. */
type Keyset = { older: (id: number) => SQL; newer: (id: number) => SQL; desc: SQL[]; asc: SQL[] };
const byId: Keyset = {
  older: (id) => lt(logs.id, id),
  newer: (id) => gt(logs.id, id),
  desc: [desc(logs.id)],
  asc: [asc(logs.id)],
};
/** (created_at, id) before or after a row is one range of (user_id, created_at) or (created_at): the
 * indexes hold the row id after created_at, so a range is read in order without sorting it (ordering
 * by id alone sorted all 117,000 rows of a week to show 50); the cursor's created_at is looked up. */
const at = (id: number) => sql`(SELECT ${logs.createdAt} FROM ${logs} WHERE ${logs.id} = ${id})`;
const byTime: Keyset = {
  older: (id) => sql`(${logs.createdAt} < ${at(id)} OR (${logs.createdAt} = ${at(id)} AND ${logs.id} < ${id}))`,
  newer: (id) => sql`(${logs.createdAt} > ${at(id)} OR (${logs.createdAt} = ${at(id)} AND ${logs.id} > ${id}))`,
  desc: [desc(logs.createdAt), desc(logs.id)],
  asc: [asc(logs.createdAt), asc(logs.id)],
};
/** not older than row `id` (`k.newer` or the row itself), and the reverse */
const upFrom = (k: Keyset, id: number) => sql`(${k.newer(id)} OR ${logs.id} = ${id})`;
const downFrom = (k: Keyset, id: number) => sql`(${k.older(id)} OR ${logs.id} = ${id})`;

export const logBrowseStore = (db: Db) => ({
  /** Up to `limit` rows newest first: older than `before`, or the oldest `limit` newer than `after`.
   * `more`: there are (or may be: the walk stopped at WALK_ROWS) further rows that way, from `next`
   * on. Without `userId`: everyone's (admins' exports). */
  page(f: LogFilter, cursor: Cursor, limit: number): BrowsePage {
    const timed = f.from !== undefined || f.to !== undefined;
    const k = timed ? byTime : byId;
    const newer = cursor.after !== undefined;
    const start =
      cursor.after !== undefined
        ? k.newer(cursor.after)
        : cursor.before === undefined
          ? undefined
          : k.older(cursor.before);
    const order = newer ? k.asc : k.desc;
    // a filter no index serves: the last of the next WALK_ROWS rows of the indexed part bounds the walk
    const edge = walks(f, timed)
      ? db
          .select({ id: logs.id })
          .from(logs)
          .where(where(indexed(f), [start]))
          .orderBy(...order)
          .limit(1)
          .offset(WALK_ROWS - 1)
          .get()?.id
      : undefined;
    const bound = edge === undefined ? undefined : newer ? downFrom(k, edge) : upFrom(k, edge);
    const rows = db
      .select()
      .from(logs)
      .where(where(f, [start, bound]))
      .orderBy(...order)
      .limit(limit + 1)
      .all();
    const shown = rows.slice(0, limit);
    const more = rows.length > limit || edge !== undefined;
    const next = rows.length > limit ? shown.at(-1)!.id : edge;
    return { rows: newer ? shown.reverse() : shown, more, next };
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
