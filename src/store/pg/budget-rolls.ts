// Budget periods' rolls on PostgreSQL (core/budget.ts decides when; services/budget.ts asks): the first
// instance that sees an account's period over rolls it, once, with one conditional UPDATE: the balance
// becomes the allowance, the new period's start is recorded, and every instance's lease of the old
// period ends with it (their charges still to come count to used_quota only: applyLeaseOps). The
// configuration version moves in the same transaction, so every instance reloads the account.
import type { SQL } from "bun";
import { sql } from "drizzle-orm";
import type { PgQuery } from "./pg-tx";
import { bumpConfigVersion } from "./config-signal";
import type { AccountKind } from "./leases";

const COLUMNS = {
  token: { table: "tokens", balance: "remain_quota", unlimited: "unlimited_quota" },
  user: { table: "users", balance: "quota", unlimited: "unlimited" },
};

/** Rolls the account to the period starting at `periodStart` (unix s) unless it is there (or past) already;
 * says whether this call rolled it. The account row is locked before its leases, as everywhere. */
export function rollAccount(sql: SQL, kind: AccountKind, id: number, periodStart: number): Promise<boolean> {
  const { table, balance, unlimited } = COLUMNS[kind];
  return sql.begin(async (tx) => {
    const [row] = await tx.unsafe(
      `UPDATE ${table} SET ${balance} = CASE WHEN ${unlimited} THEN ${balance} ELSE period_quota END, period_start = $2
       WHERE id = $1 AND budget_period <> '' AND period_start < $2 RETURNING id`,
      [id, periodStart],
    );
    if (!row) return false;
    await tx`DELETE FROM leases WHERE kind = ${kind} AND account_id = ${id}`;
    await bumpConfigVersion(tx);
    return true;
  });
}

/** Ends every lease of an account whose period an admin's edit restarts (inside that edit's transaction:
 * the row is locked first, then its leases). */
export async function endLeases(db: PgQuery, kind: AccountKind, id: number) {
  await db.execute(sql`SELECT 1 FROM ${sql.raw(COLUMNS[kind].table)} WHERE id = ${id} FOR UPDATE`);
  await db.execute(sql`DELETE FROM leases WHERE kind = ${kind} AND account_id = ${id}`);
}
