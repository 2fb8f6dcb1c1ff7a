// Fills the hourly rollups from the call rows already in the logs table: run once, by the migration
// step that creates usage_hourly (db/migrate.ts), in the same transaction, so an upgraded database
// shows its history on the admin dashboard from its first start. It reads the rows in id order in
// batches and sums them with the ledger's own code (store/hourly.ts), so both write the same figures.
// Rows that retention already deleted are gone: their hours stay empty (the daily rollups keep them).
import type { Database } from "bun:sqlite";
import { LOG_TYPE } from "../core/status";
import { HourlySlice, hourlyStatements } from "./hourly";
import type { NewLog } from "./logs";

const BATCH = 100_000;

/** Sums every call row (types 2 and 5) into usage_hourly, in one transaction (a savepoint inside the
 * migration's); returns how many rows it read. */
export const backfillHourly = (sqlite: Database): number => sqlite.transaction(() => fill(sqlite))();

function fill(sqlite: Database): number {
  const sql = hourlyStatements(sqlite);
  const page = sqlite.query<NewLog & { id: number }, [number, number]>(
    `SELECT id, created_at AS createdAt, type, user_id AS userId, model, "group", channel_id AS channelId,
       prompt_tokens AS promptTokens, cached_tokens AS cachedTokens, completion_tokens AS completionTokens, quota,
       duration_ms AS durationMs, ttft_ms AS ttftMs, status_code AS statusCode, error_code AS errorCode
     FROM logs WHERE id > ? AND type IN (${LOG_TYPE.consume}, ${LOG_TYPE.error}) ORDER BY id LIMIT ?`,
  );
  let after = 0;
  let read = 0;
  for (;;) {
    const rows = page.all(after, BATCH);
    if (!rows.length) return read;
    const slice = new HourlySlice();
    for (const r of rows) slice.add(r);
    slice.write(sql);
    read += rows.length;
    after = rows.at(-1)!.id;
  }
}
