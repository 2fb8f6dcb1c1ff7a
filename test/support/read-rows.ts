// Test support for the read stores' contract tests: the same call and money rows written through each
// database's own ledger (so both hold the same log rows, daily and hourly rollups), and a check that a
// read answers alike on both.
import { expect } from "bun:test";
import { LOG_TYPE } from "../../src/core/status";
import { WALK_ROWS } from "../../src/store/log-browse";
import { Ledger } from "../../src/store/ledger";
import type { NewLog } from "../../src/store/logs";
import { PgLedger } from "../../src/store/pg/ledger";
import { onBoth, type StorePair } from "./store-pair";

/** 20:00 UTC: the rows run over four UTC days */
export const T0 = Date.UTC(2026, 2, 10, 20, 0, 0);
/** more of user 1's rows than a walk reads, so bounded walks stop and go on */
export const ROWS = WALK_ROWS + 3_000;
export const MODELS = ["gpt-x", "Claude-y", "a_b%"];
const TOKENS: Record<number, number[]> = { 1: [11, 12], 2: [21], 3: [31] };

/** row i: three users, their tokens, models (one rare), groups ("" too), every log type, two endpoints,
 * pairs of rows at the same millisecond and some written out of time order, failures and refusals */
export function readRow(i: number): NewLog {
  const userId = i % 20 < 17 ? 1 : i % 20 < 19 ? 2 : 3;
  const tokenId = TOKENS[userId][i % TOKENS[userId].length];
  const type =
    i % 97 === 0
      ? LOG_TYPE.topup
      : i % 89 === 0
        ? LOG_TYPE.admin
        : i % 83 === 0
          ? LOG_TYPE.system
          : i % 11 === 0
            ? LOG_TYPE.error
            : LOG_TYPE.consume;
  const failed = type === LOG_TYPE.error;
  return {
    createdAt: T0 + Math.floor(i / 2) * 40_000 - (i % 7 === 0 ? 90_000 : 0),
    type,
    userId,
    username: `u${userId}`,
    tokenId,
    tokenName: `t${tokenId}`,
    model: i % 1000 === 3 ? "rare" : MODELS[i % 3],
    group: i % 13 === 0 ? "vip" : i % 17 === 0 ? "" : "default",
    channelId: 1 + (i % 3),
    endpoint: i % 19 === 0 ? "videos" : "chat",
    promptTokens: 10 + (i % 50),
    cachedTokens: i % 5,
    completionTokens: failed ? 0 : 20 + (i % 40),
    quota: type === LOG_TYPE.topup ? 500_000 : failed ? 0 : 100 + ((i * 37) % 900),
    durationMs: 100 + (i % 300),
    ttftMs: failed || i % 4 === 0 ? 0 : 30 + (i % 90),
    isStream: i % 3 === 0,
    requestId: `req-${i}`,
    statusCode: failed ? (i % 2 ? 502 : 429) : 200,
    errorCode: failed && i % 4 === 0 ? "insufficient_quota" : "",
  };
}

/** calls alike but for their models, whose order differs byte by byte and by a language's collation */
export const tieRows = () =>
  ["Zeta", "alpha", "Beta"].map((model, i) => ({ ...readRow(1), model, requestId: `tie-${i}`, createdAt: T0 + 1_000 }));

/** Writes rows 0…count-1 and the ties through both ledgers. */
export async function fillBoth(pair: StorePair, count = ROWS) {
  const lite = new Ledger(pair.sqlite.db);
  const pg = new PgLedger(pair.pg.db.$client, "t", 10, console.error);
  for (const row of [...Array.from({ length: count }, (_, i) => readRow(i)), ...tieRows()]) {
    lite.push(row);
    pg.push(row);
  }
  lite.flushAll();
  expect(await pg.flushAll()).toBe(true);
}

/** PostgreSQL's `columns` of `table` ordered by a language's rules (ICU's root collation), as a database
 * made with another locale than C orders text: the twins must still answer in SQLite's byte order. */
export async function languageOrder(pair: StorePair, table: string, columns: string[]) {
  const sql = pair.pg.db.$client;
  const [icu] = await sql`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`;
  if (!icu) return console.log("(no ICU collation: text order checked under the database's own)");
  await sql.unsafe(
    `ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN "${c}" TYPE text COLLATE "und-x-icu"`).join(", ")}`,
  );
}

/** `read` answers alike on both (SQLite's, then PostgreSQL's); SQLite's answer. */
export function sameOnBoth(pair: StorePair) {
  return async <T>(sqlite: () => Promise<T>, pg: () => Promise<T>): Promise<T> => {
    const r = await onBoth(pair, sqlite, pg);
    expect(r.pg).toEqual(r.sqlite);
    return r.sqlite;
  };
}
