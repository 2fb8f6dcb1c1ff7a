// Model prices: the only code that reads or writes the prices table.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { prices, type PriceRow } from "../db/schema";

export const priceStore = (db: Db) => ({
  all: () => db.select().from(prices).orderBy(asc(prices.model)).all(),
  get: (model: string) => db.select().from(prices).where(eq(prices.model, model)).get(),
  /** creates or replaces a model's price */
  put: (row: typeof prices.$inferInsert) =>
    db
      .insert(prices)
      .values(row)
      .onConflictDoUpdate({ target: prices.model, set: { ...row, updatedAt: Math.floor(Date.now() / 1000) } })
      .returning()
      .get() as PriceRow,
  delete: (model: string) => !!db.delete(prices).where(eq(prices.model, model)).returning({ m: prices.model }).get(),
});
