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
  /** creates or replaces many prices (call it inside a transaction); a row's hold cap is kept when it
   * exists. One prepared statement: thousands of rows take milliseconds. */
  putMany(rows: (typeof prices.$inferInsert)[]) {
    const upsert = db.$client.prepare(
      `INSERT INTO prices (model, input_micros, output_micros, cached_input_micros, cache_write_micros, per_call_micros, hold_cap_tokens, source, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model) DO UPDATE SET input_micros = excluded.input_micros, output_micros = excluded.output_micros,
         cached_input_micros = excluded.cached_input_micros, cache_write_micros = excluded.cache_write_micros,
         per_call_micros = excluded.per_call_micros, source = excluded.source, updated_at = excluded.updated_at`,
    );
    const updatedAt = Math.floor(Date.now() / 1000);
    for (const r of rows)
      upsert.run(
        r.model,
        r.inputMicros ?? null,
        r.outputMicros ?? null,
        r.cachedInputMicros ?? null,
        r.cacheWriteMicros ?? null,
        r.perCallMicros ?? null,
        r.holdCapTokens ?? 8192,
        r.source ?? "admin",
        updatedAt,
      );
  },
  /** marks the models' prices as the catalog's (an upgraded table's unedited seed prices) */
  markCatalog: (models: string[]) => {
    for (const model of models) db.update(prices).set({ source: "catalog" }).where(eq(prices.model, model)).run();
  },
  delete: (model: string) => !!db.delete(prices).where(eq(prices.model, model)).returning({ m: prices.model }).get(),
});
