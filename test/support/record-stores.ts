// Test support: the record stores (logs, alerts, redemptions, videos) on both databases, for the
// contract tests under test/store/pg/: each step runs on SQLite and on PostgreSQL with the same
// inputs, and the PostgreSQL twin must answer exactly what SQLite answered.
import { beforeAll, expect } from "bun:test";
import * as pgSchema from "../../src/db/pg/schema";
import * as liteSchema from "../../src/db/schema";
import { pgAlertStore } from "../../src/store/pg/alerts";
import { pgLogStore } from "../../src/store/pg/logs";
import { pgRedemptionStore } from "../../src/store/pg/redemptions";
import { pgVideoStore } from "../../src/store/pg/videos";
import type { Stores } from "../../src/store/stores";
import { onBoth, useStorePair } from "./store-pair";

export type RecordStores = Pick<Stores, "logs" | "alerts" | "redemptions" | "videos">;

/** The users the records mention (alert sends and redeemed codes show their names). */
export const USERS = [
  { id: 7, username: "Alice", passwordHash: "x" },
  { id: 8, username: "bob", passwordHash: "x" },
];

/** Both databases for this file, with USERS in each; `both(step)` runs `step` on each database's
 * stores (each in a transaction of its own), expects equal answers and returns SQLite's. */
export function useRecordStores() {
  const pair = useStorePair();
  const stores = {} as { sqlite: RecordStores; pg: RecordStores };
  beforeAll(async () => {
    pair.sqlite.db.insert(liteSchema.users).values(USERS).run();
    await pair.pg.db.insert(pgSchema.users).values(USERS);
    stores.sqlite = pair.sqlite.stores;
    const tx = pair.pg.tx;
    stores.pg = {
      logs: pgLogStore(tx),
      alerts: pgAlertStore(tx),
      redemptions: pgRedemptionStore(tx),
      videos: pgVideoStore(tx),
    };
  });
  async function both<T>(step: (s: RecordStores) => Promise<T>): Promise<T> {
    const got = await onBoth(
      pair,
      () => step(stores.sqlite),
      () => step(stores.pg),
    );
    expect(got.pg).toEqual(got.sqlite);
    return got.sqlite;
  }
  return { pair, stores, both };
}
