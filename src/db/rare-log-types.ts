// The log types of few rows (top-up, admin adjustment, system): the condition of logs' partial index,
// the same SQL in both dialects. A query repeats it word for word to use that index (SQLite looks for
// the same term; PostgreSQL's planner must prove the query's WHERE implies it, which the same term does).
import { sql } from "drizzle-orm";
import { LOG_TYPE } from "../core/status";

export const RARE_LOG_TYPES = sql.raw(`"type" IN (${LOG_TYPE.topup}, ${LOG_TYPE.admin}, ${LOG_TYPE.system})`);
export const isRareLogType = (type: number | undefined) =>
  type === LOG_TYPE.topup || type === LOG_TYPE.admin || type === LOG_TYPE.system;
