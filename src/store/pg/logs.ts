// The log rows on PostgreSQL: the twin of store/logs.ts (admin operations' rows, retention's deletes,
// the top-up and log pages). Call rows themselves come through the ledger (store/pg/ledger.ts).
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { LOG_TYPE } from "../../core/status";
import { logs, RARE_LOG_TYPES } from "../../db/pg/schema";
import { type LogFilter, logWhere, type NewLog, PRUNED_TYPES } from "../logs";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

export const pgLogStore = (tx: PgTx) =>
  ({
    insert: async (row: NewLog) => (await tx.db().insert(logs).values(row).returning())[0]!,

    /** Deletes up to `limit` call rows older than `before` (unix ms), oldest first (ties by id, the order
     * SQLite's created_at index gives them); how many went. */
    async pruneCalls(before: number, limit: number) {
      const rows = await tx.db().execute(sql`WITH gone AS (
          DELETE FROM ${logs} WHERE id IN (SELECT id FROM ${logs} WHERE created_at < ${before}
            AND type IN (${sql.raw(PRUNED_TYPES.join(", "))}) ORDER BY created_at, id LIMIT ${limit})
          RETURNING 1)
        SELECT count(*) AS n FROM gone`);
      return Number((rows as unknown as { n: unknown }[])[0]!.n);
    },

    async moneyPage(userId: number | undefined, offset: number, limit: number) {
      const w = and(
        userId === undefined ? undefined : eq(logs.userId, userId),
        inArray(logs.type, [LOG_TYPE.topup, LOG_TYPE.admin]),
        RARE_LOG_TYPES,
      );
      const db = tx.db();
      const items = await db.select().from(logs).where(w).orderBy(desc(logs.id)).limit(limit).offset(offset);
      const [{ n: total }] = await db.select({ n: count() }).from(logs).where(w);
      return { items, total };
    },

    async page(filter: LogFilter, offset: number, limit: number) {
      const w = logWhere(filter, [], logs);
      const db = tx.db();
      const items = await db.select().from(logs).where(w).orderBy(desc(logs.id)).limit(limit).offset(offset);
      const [{ n: total }] = await db.select({ n: count() }).from(logs).where(w);
      return { items, total };
    },
  }) satisfies Stores["logs"];
