// The checks around `apiyi copy`'s PostgreSQL transaction: the target is empty (and stays so for
// anyone else until the commit), the identity sequences continue after the copied ids, and both sides
// hold the same rows and the same money before anything is committed.
import type { Database } from "bun:sqlite";
import type { SQL } from "bun";
import { type Column, getTableName } from "drizzle-orm";
import { AppError } from "../../errors";
import * as lite from "../../db/schema";
import { type CopiedTable, quoted } from "./copy-tables";

/** The balances and costs whose totals must agree on both sides (in quota units). */
const MONEY: Column[] = [
  lite.users.quota,
  lite.users.usedQuota,
  lite.tokens.remainQuota,
  lite.tokens.usedQuota,
  lite.logs.quota,
  lite.usageDaily.quota,
  lite.usageHourly.quota,
];

export type Counted = { table: string; rows: number };
export type Summed = { column: string; total: string };

/** Takes the tables for this transaction (another copy or a writer waits until it ends), then refuses
 * when any of them already has a row: a copy only ever goes into a new database. */
export async function claimEmptyTarget(tx: SQL, tables: CopiedTable[]) {
  await tx.unsafe(`LOCK TABLE ${tables.map((t) => quoted(t.name)).join(", ")} IN SHARE ROW EXCLUSIVE MODE`);
  for (const t of tables) {
    const [{ n }] = await tx.unsafe(`SELECT count(*)::bigint AS n FROM ${quoted(t.name)}`);
    if (Number(n) > 0)
      throw new AppError(
        400,
        "invalid_request",
        `refusing: the target database is not empty (${t.name} has ${n} rows); copy into a new database`,
      );
  }
}

/** Moves each identity column's sequence past the largest copied id, so new rows get fresh ids. */
export async function continueSequences(tx: SQL, tables: CopiedTable[]) {
  for (const t of tables)
    for (const column of t.identities)
      await tx.unsafe(
        `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT coalesce(max(${quoted(column)}), 0) + 1 FROM ${quoted(t.name)}), false)`,
        [quoted(t.name), column],
      );
}

/** Thrown when the two sides differ: the transaction rolls back and the command exits 1. */
export class CopyMismatch extends Error {}

/** Counts every table and sums the money on both sides (SQLite in the read transaction the copy came
 * from, PostgreSQL in the uncommitted copy); throws CopyMismatch at the first difference. Totals are
 * compared as exact decimal text. */
export async function compareSides(source: Database, tx: SQL, tables: CopiedTable[]) {
  const both = async (what: string, sqlite: string, postgres: string) => {
    const left = String((source.query(sqlite).get() as { v: string | number }).v);
    const [{ v }] = await tx.unsafe(postgres);
    const right = String(v);
    if (left !== right)
      throw new CopyMismatch(
        `the copy does not match, so nothing was written: ${what} is ${left} in SQLite and ${right} in PostgreSQL`,
      );
    return left;
  };
  const counts: Counted[] = [];
  for (const t of tables) {
    const from = `FROM ${quoted(t.name)}`;
    const rows = await both(
      `${t.name}'s row count`,
      `SELECT count(*) AS v ${from}`,
      `SELECT count(*)::text AS v ${from}`,
    );
    counts.push({ table: t.name, rows: Number(rows) });
  }
  const sums: Summed[] = [];
  for (const c of MONEY) {
    const column = `${getTableName(c.table)}.${c.name}`;
    const sum = `coalesce(sum(${quoted(c.name)}), 0)`;
    const from = `FROM ${quoted(getTableName(c.table))}`;
    const total = await both(
      `Σ ${column}`,
      `SELECT CAST(${sum} AS TEXT) AS v ${from}`,
      `SELECT ${sum}::text AS v ${from}`,
    );
    sums.push({ column, total });
  }
  return { counts, sums };
}
