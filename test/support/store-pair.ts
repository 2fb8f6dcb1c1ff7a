// Test support: the same stores on both databases, for contract tests (the PostgreSQL twins under
// src/store/pg/ must answer what SQLite's answer). Each file gets a fresh SQLite file in a temp folder
// and a fresh PostgreSQL database (migrated), both empty but for what migrations seed.
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../../src/db/open";
import { openPostgres, type PgDb } from "../../src/db/pg/client";
import { PgTx } from "../../src/store/pg/pg-tx";
import { SqliteTx } from "../../src/store/sqlite-tx";
import { asyncStores, sqliteStores, type Stores } from "../../src/store/stores";
import { usePgDatabase } from "./postgres";

export type StorePair = {
  sqlite: { db: Db; tx: SqliteTx; stores: Stores };
  pg: { db: PgDb; tx: PgTx };
};

/** Both databases for this file (inside a describePg): opened in beforeAll, closed and removed in afterAll. */
export function useStorePair(): StorePair {
  const database = usePgDatabase();
  const pair = {} as StorePair;
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "apiyi-pair-"));
    const db = openDatabase(join(dir, "apiyi.db"));
    const tx = new SqliteTx(db.$client);
    pair.sqlite = { db, tx, stores: asyncStores(sqliteStores(db), tx) };
    const pg = await openPostgres(database.url);
    pair.pg = { db: pg, tx: new PgTx(pg) };
  });
  afterAll(async () => {
    pair.sqlite?.db.$client.close();
    await pair.pg?.db.$client.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return pair;
}

/** Runs `step` on both and returns both answers, SQLite's first (for expect(pg).toEqual(sqlite)). */
export async function onBoth<T>(
  pair: StorePair,
  sqlite: () => Promise<T>,
  pg: () => Promise<T>,
): Promise<{ sqlite: T; pg: T }> {
  return { sqlite: await pair.sqlite.tx.run(sqlite), pg: await pair.pg.tx.run(pg) };
}
