// Test support for the contract tests of the PostgreSQL twins (test/store/pg/*-contract.test.ts): the seven
// CRUD stores built on the pair's PostgreSQL, and `same`, which runs one call on both and expects equal answers.
import { expect } from "bun:test";
import { pgChannelStore } from "../../src/store/pg/channels";
import { pgGroupStore } from "../../src/store/pg/groups";
import { pgPriceStore } from "../../src/store/pg/prices";
import { pgSessionStore } from "../../src/store/pg/sessions";
import { pgSettingStore } from "../../src/store/pg/settings";
import { pgTokenStore } from "../../src/store/pg/tokens";
import { pgUserStore } from "../../src/store/pg/users";
import type { PgTx } from "../../src/store/pg/pg-tx";
import type { Stores } from "../../src/store/stores";
import { onBoth, type StorePair } from "./store-pair";

export type CrudStores = Pick<Stores, "users" | "tokens" | "groups" | "settings" | "sessions" | "channels" | "prices">;

export const pgCrudStores = (tx: PgTx): CrudStores => ({
  users: pgUserStore(tx),
  tokens: pgTokenStore(tx),
  groups: pgGroupStore(tx),
  settings: pgSettingStore(tx),
  sessions: pgSessionStore(tx),
  channels: pgChannelStore(tx),
  prices: pgPriceStore(tx),
});

/** `call` on SQLite's stores then PostgreSQL's (each in its own transaction); expects PostgreSQL to answer
 * exactly what SQLite answered (types too: a count is a number, a flag a boolean) and returns the answer. */
export function sameOnBoth(pair: StorePair, pg: () => CrudStores) {
  return async <T>(call: (s: CrudStores) => Promise<T>): Promise<T> => {
    const both = await onBoth(
      pair,
      () => call(pair.sqlite.stores),
      () => call(pg()),
    );
    expect(both.pg).toStrictEqual(both.sqlite);
    return both.sqlite;
  };
}

/** Gives the text columns the stores sort or search by a locale's collation (ICU English), as a database
 * created with en_US.UTF-8 has by default: the twins must still sort and match as SQLite does (bytes,
 * ASCII case only), whatever the server's locale. The test server's own (C.UTF-8) would hide that. */
export async function collateLikeALocale(pair: StorePair) {
  const en = `COLLATE "en-x-icu"`;
  await pair.pg.db.$client.unsafe(`
    ALTER TABLE groups ALTER COLUMN name TYPE text ${en};
    ALTER TABLE tokens ALTER COLUMN "group" TYPE text ${en}, ALTER COLUMN name TYPE text ${en};
    ALTER TABLE users ALTER COLUMN username TYPE text ${en};
    ALTER TABLE channels ALTER COLUMN name TYPE text ${en};
    ALTER TABLE prices ALTER COLUMN model TYPE text ${en};`);
}
