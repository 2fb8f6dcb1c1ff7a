// Model prices: the only code that reads or writes the prices table.
import { asc, eq, sql } from "drizzle-orm";
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
  /** creates or replaces many prices, 100 rows a statement (call it inside a transaction) */
  putMany(rows: (typeof prices.$inferInsert)[]) {
    const updatedAt = Math.floor(Date.now() / 1000);
    for (let i = 0; i < rows.length; i += 100) {
      db.insert(prices)
        .values(rows.slice(i, i + 100).map((r) => ({ ...r, updatedAt })))
        .onConflictDoUpdate({
          target: prices.model,
          set: {
            inputMicros: sql`excluded.input_micros`,
            outputMicros: sql`excluded.output_micros`,
            cachedInputMicros: sql`excluded.cached_input_micros`,
            cacheWriteMicros: sql`excluded.cache_write_micros`,
            perCallMicros: sql`excluded.per_call_micros`,
            source: sql`excluded.source`,
            updatedAt,
          },
        })
        .run();
    }
  },
  /** marks the models' prices as the catalog's (an upgraded table's unedited seed prices) */
  markCatalog: (models: string[]) => {
    for (const model of models) db.update(prices).set({ source: "catalog" }).where(eq(prices.model, model)).run();
  },
  delete: (model: string) => !!db.delete(prices).where(eq(prices.model, model)).returning({ m: prices.model }).get(),
});
