// Model prices on PostgreSQL: the twin of store/prices.ts, answering what it answers.
import { eq, inArray, sql } from "drizzle-orm";
import { type PriceRow, prices } from "../../db/pg/schema";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

type NewPrice = typeof prices.$inferInsert;
/** rows per multi-row statement (9 parameters each, well under PostgreSQL's 65,535) */
const CHUNK = 1000;
const chunks = <T>(list: T[]) =>
  Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));
const nowSec = () => Math.floor(Date.now() / 1000);

/** putMany's rows, one per model, as SQLite's statement-per-row leaves them: the last row's prices, the
 * first row's hold cap (a later row for the same model updates it and never writes the cap). */
function oneRowPerModel(rows: NewPrice[], updatedAt: number) {
  const byModel = new Map<string, NewPrice>();
  for (const r of rows) {
    const row = {
      model: r.model,
      inputMicros: r.inputMicros ?? null,
      outputMicros: r.outputMicros ?? null,
      cachedInputMicros: r.cachedInputMicros ?? null,
      cacheWriteMicros: r.cacheWriteMicros ?? null,
      perCallMicros: r.perCallMicros ?? null,
      holdCapTokens: r.holdCapTokens ?? 8192,
      source: r.source ?? "admin",
      updatedAt,
    };
    const first = byModel.get(r.model);
    byModel.set(r.model, first ? { ...row, holdCapTokens: first.holdCapTokens } : row);
  }
  return [...byModel.values()];
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

export const pgPriceStore = (tx: PgTx) =>
  ({
    /** by model in byte order, as SQLite's BINARY collation sorts (the database's locale may not) */
    all: async () => tx.db().select().from(prices).orderBy(sql`${prices.model} COLLATE "C"`),
    get: async (model: string) => (await tx.db().select().from(prices).where(eq(prices.model, model)))[0],
    /** creates or replaces a model's price */
    put: async (row: NewPrice) =>
      (
        await tx
          .db()
          .insert(prices)
          .values(row)
          .onConflictDoUpdate({ target: prices.model, set: { ...row, updatedAt: nowSec() } })
          .returning()
      )[0] as PriceRow,
    /** creates or replaces many prices (call it inside a transaction); a row's hold cap is kept when it
     * exists. Multi-row statements: thousands of rows in a few round trips. */
    async putMany(rows: NewPrice[]) {
      for (const chunk of chunks(oneRowPerModel(rows, nowSec())))
        await tx
          .db()
          .insert(prices)
          .values(chunk)
          .onConflictDoUpdate({
            target: prices.model,
            set: {
              inputMicros: excluded("input_micros"),
              outputMicros: excluded("output_micros"),
              cachedInputMicros: excluded("cached_input_micros"),
              cacheWriteMicros: excluded("cache_write_micros"),
              perCallMicros: excluded("per_call_micros"),
              source: excluded("source"),
              updatedAt: excluded("updated_at"),
            },
          });
    },
    /** marks the models' prices as the catalog's (an upgraded table's unedited seed prices) */
    async markCatalog(models: string[]) {
      for (const chunk of chunks(models))
        await tx.db().update(prices).set({ source: "catalog" }).where(inArray(prices.model, chunk));
    },
    delete: async (model: string) =>
      (await tx.db().delete(prices).where(eq(prices.model, model)).returning({ m: prices.model })).length > 0,
  }) satisfies Stores["prices"];
