// The WHERE of a log filter on PostgreSQL: store/logs.ts's logWhere without SQLite's planner hint
// (`+user_id` beside a request id: PostgreSQL's statistics pick the request id's index by themselves).
import { and, eq, gte, lte, type SQL } from "drizzle-orm";
import { isRareLogType, logs, RARE_LOG_TYPES } from "../../db/pg/schema";
import type { LogFilter } from "../logs";

export function pgLogWhere(f: LogFilter, extra: (SQL | undefined)[] = []): SQL | undefined {
  const parts = [
    f.userId === undefined ? undefined : eq(logs.userId, f.userId),
    f.type === undefined ? undefined : eq(logs.type, f.type),
    isRareLogType(f.type) ? RARE_LOG_TYPES : undefined, // the partial index's own condition
    f.model ? eq(logs.model, f.model) : undefined,
    f.tokenName ? eq(logs.tokenName, f.tokenName) : undefined,
    f.requestId ? eq(logs.requestId, f.requestId) : undefined,
    f.group ? eq(logs.group, f.group) : undefined,
    f.endpoint ? eq(logs.endpoint, f.endpoint) : undefined,
    f.from === undefined ? undefined : gte(logs.createdAt, f.from),
    f.to === undefined ? undefined : lte(logs.createdAt, f.to),
    ...extra,
  ].filter((p): p is SQL => p !== undefined);
  return parts.length ? and(...parts) : undefined;
}
