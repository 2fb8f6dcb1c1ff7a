// Log rows (call records, top-ups, admin adjustments). Rows of admin operations are written in the
// same transaction as the balance change they record.
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/open";
import { logs } from "../db/schema";

export type NewLog = typeof logs.$inferInsert;
export const LOG_TYPE = { topup: 1, consume: 2, admin: 3, system: 4, error: 5 } as const;

export const logStore = (db: Db) => ({
  insert: (row: NewLog) => db.insert(logs).values(row).returning().get(),

  page(filter: { userId?: number; type?: number }, offset: number, limit: number) {
    const parts: SQL[] = [];
    if (filter.userId !== undefined) parts.push(eq(logs.userId, filter.userId));
    if (filter.type !== undefined) parts.push(eq(logs.type, filter.type));
    const where = parts.length ? and(...parts) : undefined;
    const items = db.select().from(logs).where(where).orderBy(desc(logs.id)).limit(limit).offset(offset).all();
    const total = db.select({ n: count() }).from(logs).where(where).get()!.n;
    return { items, total };
  },
});
