// Log rows (call records, top-ups, admin adjustments). Rows of admin operations are written in the
// same transaction as the balance change they record; call rows come through the ledger
// (store/ledger.ts), in batches, each with the settlement of its hold.
import { and, type Column, count, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { LOG_TYPE } from "../core/status";
import type { Db } from "../db/open";
import { isRareLogType, logs, RARE_LOG_TYPES } from "../db/schema";

export type NewLog = typeof logs.$inferInsert;

/** Column order of the ledger's prepared INSERT: [column, NewLog field, value when absent]. */
export const LOG_COLUMNS: [string, keyof NewLog, unknown][] = [
  ["created_at", "createdAt", 0],
  ["type", "type", 0],
  ["user_id", "userId", 0],
  ["username", "username", ""],
  ["token_id", "tokenId", 0],
  ["token_name", "tokenName", ""],
  ["model", "model", ""],
  ["upstream_model", "upstreamModel", ""],
  ["group", "group", ""],
  ["channel_id", "channelId", 0],
  ["endpoint", "endpoint", ""],
  ["prompt_tokens", "promptTokens", 0],
  ["cached_tokens", "cachedTokens", 0],
  ["completion_tokens", "completionTokens", 0],
  ["quota", "quota", 0],
  ["duration_ms", "durationMs", 0],
  ["ttft_ms", "ttftMs", 0],
  ["is_stream", "isStream", false],
  ["request_id", "requestId", ""],
  ["status_code", "statusCode", 0],
  ["error_code", "errorCode", ""],
  ["ip", "ip", ""],
  ["content", "content", ""],
  ["attempts", "attempts", "[]"],
  ["other", "other", "{}"],
];
export { LOG_TYPE };

/** The log types retention deletes (pruneCalls): calls, errors and the scheduled channel test's calls. */
export const PRUNED_TYPES = [LOG_TYPE.consume, LOG_TYPE.error, LOG_TYPE.system];

export type LogFilter = {
  userId?: number;
  type?: number;
  model?: string;
  tokenName?: string;
  requestId?: string;
  group?: string;
  /** the call's endpoint ("videos": the rows of video jobs) */
  endpoint?: string;
  /** unix milliseconds, inclusive */
  from?: number;
  to?: number;
};

/** The columns a log filter reads, of either dialect's logs table (PostgreSQL's: store/pg/logs.ts). */
export type LogFilterColumns = Record<
  "userId" | "type" | "model" | "tokenName" | "requestId" | "group" | "endpoint" | "createdAt",
  Column
>;

/** The WHERE of a log filter (plus `extra` terms). With a request id, its own index finds the row:
 * a bare user_id term would make SQLite (without statistics) walk all the user's rows through
 * logs_user_id instead, so `+user_id` keeps the planner off that index. A rare type (top-up,
 * adjustment, system) repeats its partial index's condition, so SQLite reads that index. The same
 * terms are valid PostgreSQL (unary plus is a no-op there), for the table `t` of that dialect. */
export function logWhere(f: LogFilter, extra: (SQL | undefined)[] = [], t: LogFilterColumns = logs): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (f.userId !== undefined) parts.push(f.requestId ? sql`+${t.userId} = ${f.userId}` : eq(t.userId, f.userId));
  if (f.type !== undefined) parts.push(eq(t.type, f.type), isRareLogType(f.type) ? RARE_LOG_TYPES : undefined);
  if (f.model) parts.push(eq(t.model, f.model));
  if (f.tokenName) parts.push(eq(t.tokenName, f.tokenName));
  if (f.requestId) parts.push(eq(t.requestId, f.requestId));
  if (f.group) parts.push(eq(t.group, f.group));
  if (f.endpoint) parts.push(eq(t.endpoint, f.endpoint));
  if (f.from !== undefined) parts.push(gte(t.createdAt, f.from));
  if (f.to !== undefined) parts.push(lte(t.createdAt, f.to));
  const all = [...parts, ...extra].filter((p): p is SQL => p !== undefined);
  return all.length ? and(...all) : undefined;
}

export const logStore = (db: Db) => ({
  insert: (row: NewLog) => db.insert(logs).values(row).returning().get(),

  /** Deletes up to `limit` call rows (types 2 and 5, and 4: the scheduled channel test's calls) older than
   * `before` (unix ms); how many went. Top-ups and adjustments stay, and so do the daily rollups. */
  pruneCalls: (before: number, limit: number) =>
    db.$client.run(
      `DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE created_at < ? AND type IN (${PRUNED_TYPES.join(", ")}) ORDER BY created_at LIMIT ?)`,
      [before, limit],
    ).changes,

  /** Top-ups and admin adjustments (types 1 and 3), newest first; `userId` undefined: everyone's. */
  moneyPage(userId: number | undefined, offset: number, limit: number) {
    const w = and(
      userId === undefined ? undefined : eq(logs.userId, userId),
      inArray(logs.type, [LOG_TYPE.topup, LOG_TYPE.admin]),
      RARE_LOG_TYPES,
    );
    // `+id`: the order from the rare rows' partial index, sorted (they are few), not a walk of every row by id
    const newest = sql`+${logs.id} DESC`;
    const items = db.select().from(logs).where(w).orderBy(newest).limit(limit).offset(offset).all();
    const total = db.select({ n: count() }).from(logs).where(w).get()!.n;
    return { items, total };
  },

  page(filter: LogFilter, offset: number, limit: number) {
    const w = logWhere(filter);
    const items = db.select().from(logs).where(w).orderBy(desc(logs.id)).limit(limit).offset(offset).all();
    const total = db.select({ n: count() }).from(logs).where(w).get()!.n;
    return { items, total };
  },
});
