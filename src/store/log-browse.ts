// Reads of the logs table for the console: keyset pages (by id, so a page costs the same at row 10
// and at row 10,000,000: logs_user_id serves `id < ?` newest first; a time range by (created_at, id)),
// sums over the rows of a filter, and a bounded sample of a user's latest rows for medians. A filter
// no index serves (group, endpoint, a common type, …: `walks`) reads the user's rows and checks each:
// at most WALK_ROWS of them per page, so a rare value costs a page no more than a common one.
import { asc, count, desc, eq, gt, inArray, lt, sql, type AnyColumn, type SQL, type Table } from "drizzle-orm";
import type { Db } from "../db/open";
import { isRareLogType, logs, type LogRow } from "../db/schema";
import { logWhere, type LogFilter } from "./logs";
import { total } from "./rollups";

export type BrowseFilter = LogFilter & { userId: number };
export type Cursor = { before?: number; after?: number };
export type RowSums = { rows: number; prompt: number; cached: number; completion: number; quota: number };
/** `next`: the cursor to go on from in the page's direction (a row id), when `more` */
export type BrowsePage = { rows: LogRow[]; more: boolean; next?: number };

/** The most rows a page with a filter no index serves reads (issue 16: those indexes cost every call). */
export const WALK_ROWS = 10_000;

const where = (f: LogFilter, extra: (SQL | undefined)[] = []) => logWhere(f, extra);

/** The part of a filter whose rows the walk's bound counts: the user's (or everyone's) rows, of the time range. */
export const indexed = (f: LogFilter): LogFilter => ({ userId: f.userId, from: f.from, to: f.to });
/** Whether a page of `f` checks rows one by one: a term no index serves (group, endpoint, a common
 * type), two the indexes serve apart (model, token name, rare type), or with a time range (read by
 * time) any of them. */
function walks(f: LogFilter, byTime: boolean) {
  if (f.requestId) return false;
  if (f.group || f.endpoint || (f.type !== undefined && !isRareLogType(f.type))) return true;
  const served = [f.model, f.tokenName, isRareLogType(f.type)].filter(Boolean).length;
  return byTime ? served > 0 : served > 1 || (!!f.tokenName && f.userId === undefined);
}

/** A page's order: by id, or (a time range) by (created_at, id), the cursor still a row id. `upFrom`:
 * not older than row `id` (`newer` or the row itself); `downFrom` the reverse. */
type Keyset = {
  older: (id: number) => SQL;
  newer: (id: number) => SQL;
  upFrom: (id: number) => SQL;
  downFrom: (id: number) => SQL;
  desc: SQL[];
  asc: SQL[];
};
/** The logs table of either database (the columns the order uses). */
type LogsTable = Table & { id: AnyColumn; createdAt: AnyColumn };

function keyset(t: LogsTable, older: (id: number) => SQL, newer: (id: number) => SQL, by: AnyColumn[]): Keyset {
  return {
    older,
    newer,
    upFrom: (id) => sql`(${newer(id)} OR ${t.id} = ${id})`,
    downFrom: (id) => sql`(${older(id)} OR ${t.id} = ${id})`,
    desc: by.map((c) => desc(c)),
    asc: by.map((c) => asc(c)),
  };
}

/** By id; or by (created_at, id): (created_at, id) before or after a row is one range of (user_id,
 * created_at) or (created_at): the indexes hold the row id after created_at, so a range is read in
 * order without sorting it (ordering by id alone sorted all 117,000 rows of a week to show 50); the
 * cursor's created_at is looked up. */
export function keysets(t: LogsTable) {
  const at = (id: number) => sql`(SELECT ${t.createdAt} FROM ${t} WHERE ${t.id} = ${id})`;
  return {
    byId: keyset(
      t,
      (id) => lt(t.id, id),
      (id) => gt(t.id, id),
      [t.id],
    ),
    byTime: keyset(
      t,
      (id) => sql`(${t.createdAt} < ${at(id)} OR (${t.createdAt} = ${at(id)} AND ${t.id} < ${id}))`,
      (id) => sql`(${t.createdAt} > ${at(id)} OR (${t.createdAt} = ${at(id)} AND ${t.id} > ${id}))`,
      [t.createdAt, t.id],
    ),
  };
}

/** What a page reads, in either database: its order, where it starts, and whether it walks. */
export type PagePlan = { k: Keyset; newer: boolean; start?: SQL; order: SQL[]; walks: boolean };

export function planPage(sets: ReturnType<typeof keysets>, f: LogFilter, cursor: Cursor): PagePlan {
  const timed = f.from !== undefined || f.to !== undefined;
  const k = timed ? sets.byTime : sets.byId;
  const newer = cursor.after !== undefined;
  const start =
    cursor.after !== undefined
      ? k.newer(cursor.after)
      : cursor.before === undefined
        ? undefined
        : k.older(cursor.before);
  return { k, newer, start, order: newer ? k.asc : k.desc, walks: walks(f, timed) };
}

/** The walk's bound: rows up to the last of the next WALK_ROWS of the indexed part (`edge`). */
export const walkBound = (p: PagePlan, edge: number | undefined) =>
  edge === undefined ? undefined : p.newer ? p.k.downFrom(edge) : p.k.upFrom(edge);

/** The page from the `limit + 1` rows read. */
export function pageOf(p: PagePlan, rows: LogRow[], limit: number, edge: number | undefined): BrowsePage {
  const shown = rows.slice(0, limit);
  const more = rows.length > limit || edge !== undefined;
  const next = rows.length > limit ? shown.at(-1)!.id : edge;
  return { rows: p.newer ? shown.reverse() : shown, more, next };
}

/** What `sums` reads (either database's logs). */
export const rowSums = (t: Record<"promptTokens" | "cachedTokens" | "completionTokens" | "quota", AnyColumn>) => ({
  rows: count(),
  prompt: total(t.promptTokens),
  cached: total(t.cachedTokens),
  completion: total(t.completionTokens),
  quota: total(t.quota),
});

const sets = keysets(logs);

export const logBrowseStore = (db: Db) => ({
  /** Up to `limit` rows newest first: older than `before`, or the oldest `limit` newer than `after`.
   * `more`: there are (or may be: the walk stopped at WALK_ROWS) further rows that way, from `next`
   * on. Without `userId`: everyone's (admins' exports). */
  page(f: LogFilter, cursor: Cursor, limit: number): BrowsePage {
    const p = planPage(sets, f, cursor);
    // a filter no index serves: the last of the next WALK_ROWS rows of the indexed part bounds the walk
    const edge = p.walks
      ? db
          .select({ id: logs.id })
          .from(logs)
          .where(where(indexed(f), [p.start]))
          .orderBy(...p.order)
          .limit(1)
          .offset(WALK_ROWS - 1)
          .get()?.id
      : undefined;
    const rows = db
      .select()
      .from(logs)
      .where(where(f, [p.start, walkBound(p, edge)]))
      .orderBy(...p.order)
      .limit(limit + 1)
      .all();
    return pageOf(p, rows, limit, edge);
  },

  /** Count and sums of the rows of `f` whose type is one of `types`. */
  sums: (f: BrowseFilter, types: number[]): RowSums =>
    db
      .select(rowSums(logs))
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
