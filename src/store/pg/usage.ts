// PostgreSQL's twin of store/rollups.ts: the same reads of the daily rollups (usage_daily), answering what
// SQLite's answer: sums as numbers, 0 over no rows, ties and names in SQLite's byte order.
import { and, desc, eq, gte, lte } from "drizzle-orm";
import { usageDaily as u } from "../../db/pg/schema";
import { errorCalls, total, type UsageFilter, usageSums, usageWhere } from "../rollups";
import type { Stores } from "../stores";
import { bytewise } from "./collate";
import type { PgTx } from "./pg-tx";

export const pgUsageStore = (tx: PgTx) =>
  ({
    async sums(f: UsageFilter) {
      const [r] = await tx.db().select(usageSums(u)).from(u).where(usageWhere(u, f));
      return r;
    },

    perDay: async (userId: number, fromDay: string) =>
      tx
        .db()
        .select({ day: u.day, quota: total(u.quota), calls: total(u.calls) })
        .from(u)
        .where(usageWhere(u, { userId, fromDay }))
        .groupBy(u.day)
        .orderBy(u.day),

    perModel: async (userId: number, fromDay: string, limit: number) =>
      tx
        .db()
        .select({ model: u.model, calls: total(u.calls), quota: total(u.quota) })
        .from(u)
        .where(usageWhere(u, { userId, fromDay }))
        .groupBy(u.model)
        .orderBy(desc(total(u.calls)), bytewise(u.model))
        .limit(limit),

    async days(fromDay?: string, toDay?: string) {
      const rows = await tx
        .db()
        .select({ day: u.day })
        .from(u)
        .where(and(fromDay ? gte(u.day, fromDay) : undefined, toDay ? lte(u.day, toDay) : undefined))
        .groupBy(u.day)
        .orderBy(u.day);
      return rows.map((r) => r.day);
    },

    perUserModel: async (day: string) =>
      tx
        .db()
        .select({ userId: u.userId, model: u.model, ...usageSums(u), errors: errorCalls(u) })
        .from(u)
        .where(eq(u.day, day))
        .groupBy(u.userId, u.model)
        .orderBy(u.userId, bytewise(u.model)),

    async names(userId: number, limit = 200) {
      const values = async (column: typeof u.model | typeof u.group) => {
        const rows = await tx
          .db()
          .select({ v: column })
          .from(u)
          .where(eq(u.userId, userId))
          .groupBy(column)
          .orderBy(bytewise(column))
          .limit(limit);
        return rows.map((r) => r.v).filter(Boolean);
      };
      return { models: await values(u.model), groups: await values(u.group) };
    },
  }) satisfies Stores["usage"];
