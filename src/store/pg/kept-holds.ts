// Holds that outlive their instance on PostgreSQL (a video job's: services/lease-accounts.ts keep): inside
// the transaction that writes the job, the hold leaves this instance's quota lease for the job's row, so
// the job can be ended, and its hold settled, by whichever instance sees it end (kept holds are settled
// by the ledger: refunds go back to the balance of the period they came from, never to a later one).
// balance + Σ leases + Σ kept holds of live jobs + Σ logged costs = what the account was given.
import { sql } from "drizzle-orm";
import type { PgQuery } from "./pg-tx";
import type { AccountKind } from "./leases";

const TABLES = { token: { table: "tokens", balance: "remain_quota" }, user: { table: "users", balance: "quota" } };

const first = (rows: unknown): Record<string, unknown> | undefined =>
  (Array.isArray(rows) ? rows : ((rows as { rows?: unknown[] }).rows ?? []))[0] as Record<string, unknown> | undefined;

/** Moves `amount` of the account's balance held in this instance's lease (in `period`) to a job: out of
 * the lease, or what the lease lacks from the balance (never below 0). Returns what was kept, or null
 * when the account has rolled to another period since (the old period's lease ended with it: nothing
 * is kept, and nothing will go back). The account row is locked before its lease, as everywhere. */
export async function keepHeld(
  db: PgQuery,
  instance: string,
  kind: AccountKind,
  id: number,
  amount: number,
  period: number,
): Promise<number | null> {
  const { table, balance } = TABLES[kind];
  const account = first(await db.execute(sql`SELECT period_start FROM ${sql.raw(table)} WHERE id = ${id} FOR UPDATE`));
  if (!account || Number(account.period_start) !== period) return null;
  const fromLease = first(
    await db.execute(sql`WITH cur AS (SELECT amount FROM leases
        WHERE kind = ${kind} AND account_id = ${id} AND instance = ${instance} FOR UPDATE)
      UPDATE leases SET amount = leases.amount - LEAST(cur.amount, ${amount}) FROM cur
      WHERE kind = ${kind} AND account_id = ${id} AND instance = ${instance}
      RETURNING LEAST(cur.amount, ${amount}) AS got`),
  );
  const got = fromLease ? Number(fromLease.got) : 0;
  if (got >= amount) return amount;
  const col = sql.raw(balance);
  const rest = first(
    await db.execute(sql`WITH cur AS (SELECT ${col} AS have FROM ${sql.raw(table)} WHERE id = ${id})
      UPDATE ${sql.raw(table)} SET ${col} = ${col} - LEAST(cur.have, ${amount - got}) FROM cur
      WHERE id = ${id} RETURNING LEAST(cur.have, ${amount - got}) AS got`),
  );
  return got + (rest ? Number(rest.got) : 0);
}
