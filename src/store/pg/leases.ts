// Quota leases in PostgreSQL (services/leases.ts decides when): take a slice of a token's or a user's
// balance with one conditional UPDATE, renew, give back, and reclaim what expired instances held.
// Each statement keeps balance + Σ leases + Σ logged costs unchanged, so every committed state is exact.
// Rows are locked in one order everywhere, so no two of these transactions can deadlock: account rows
// first (tokens by id, then users by id), then lease rows (by kind, then account).
import type { SQL } from "bun";

export type AccountKind = "token" | "user";

/** The balance column of each kind of account. */
const BALANCE = { token: { table: "tokens", column: "remain_quota" }, user: { table: "users", column: "quota" } };

/** A lease's change in one ledger batch: `spent` is charged (it leaves the lease; the ledger counts it
 * to the account's used_quota), `returned` goes back to the balance. `period`: the account's budget
 * period (its period_start) the lease belonged to: once the account has rolled to another, the op
 * moves no money (the old period's leases ended with it; its charges count to used_quota only). */
export type LeaseOp = { kind: AccountKind; id: number; period: number; spent: number; returned: number };

/** A lease's name in memory: its account (a lease row is that and the instance). */
export const leaseKey = (kind: string, id: number) => `${kind}:${id}`;

/** One op per account and period: a batch's charges and returns to the same lease add up. */
export function mergeLeaseOps(ops: readonly LeaseOp[]): LeaseOp[] {
  const by = new Map<string, LeaseOp>();
  for (const op of ops) {
    const key = `${leaseKey(op.kind, op.id)}:${op.period}`;
    const m = by.get(key);
    if (m) {
      m.spent += op.spent;
      m.returned += op.returned;
    } else by.set(key, { ...op });
  }
  return [...by.values()];
}

/** what a take got, the balance it left, what other instances' leases hold of the account, and the
 * account's budget period (its period_start: the lease belongs to it) */
export type Taken = { taken: number; remain: number; others: number; period: number };

export const leaseStore = (sql: SQL, instance: string, ttlMs: number) => ({
  /** Takes up to `slice` (at least `min`, else nothing) from the balance into this instance's lease and
   * renews the lease's expiry; returns what it took and what the balance has left. */
  async take(kind: AccountKind, id: number, min: number, slice: number): Promise<Taken> {
    const { table, column } = BALANCE[kind];
    const rows = await sql.unsafe(
      `WITH cur AS (SELECT id, ${column} AS remain, period_start FROM ${table} WHERE id = $1 FOR UPDATE),
       got AS (
         UPDATE ${table} SET ${column} = ${table}.${column} - LEAST(cur.remain, $3)
         FROM cur WHERE ${table}.id = cur.id AND cur.remain >= $2
         RETURNING LEAST(cur.remain, $3) AS taken, ${table}.${column} AS remain),
       o AS (SELECT coalesce(sum(amount), 0) AS others FROM leases WHERE kind = $4 AND account_id = $1 AND instance <> $5),
       kept AS (
         INSERT INTO leases (kind, account_id, instance, amount, expires_at)
         SELECT $4, $1, $5, taken, now() + make_interval(secs => $6) FROM got
         ON CONFLICT (kind, account_id, instance)
         DO UPDATE SET amount = leases.amount + excluded.amount, expires_at = excluded.expires_at)
       SELECT got.taken, got.remain, o.others, cur.period_start FROM got, o, cur
       UNION ALL SELECT 0, cur.remain, o.others, cur.period_start FROM cur, o WHERE cur.remain < $2`,
      [id, min, slice, kind, instance, ttlMs / 1000],
    );
    const row = rows[0];
    return row
      ? {
          taken: Number(row.taken),
          remain: Number(row.remain),
          others: Number(row.others),
          period: Number(row.period_start),
        }
      : { taken: 0, remain: 0, others: 0, period: 0 };
  },

  /** Moves this instance's leases' expiry to now() + ttl; returns what each still holds (one that is
   * missing was reclaimed: it expired). */
  async renew(): Promise<Map<string, number>> {
    const rows = await sql`UPDATE leases SET expires_at = now() + make_interval(secs => ${ttlMs / 1000})
      WHERE instance = ${instance} AND (kind, account_id) IN (
        SELECT kind, account_id FROM leases WHERE instance = ${instance} ORDER BY kind, account_id FOR UPDATE)
      RETURNING kind, account_id, amount`;
    return new Map(
      rows.map((r: { kind: string; account_id: number; amount: number }) => [
        leaseKey(r.kind, Number(r.account_id)),
        Number(r.amount),
      ]),
    );
  },

  /** Gives every lease of this instance back to its balance (a clean stop, after its last batch). */
  release: () => reclaim(sql, () => sql`instance = ${instance}`),
});

/** Locks the rows of these accounts, in the one order (before any lease row). */
export async function lockAccounts(tx: SQL, tokenIds: Iterable<number>, userIds: Iterable<number>) {
  const sorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);
  const tokens = sorted(tokenIds);
  const users = sorted(userIds);
  if (tokens.length) await tx`SELECT 1 FROM tokens WHERE id IN ${tx(tokens)} ORDER BY id FOR UPDATE`;
  if (users.length) await tx`SELECT 1 FROM users WHERE id IN ${tx(users)} ORDER BY id FOR UPDATE`;
}

/** Records batch `seq` of `instance` in its transaction; false when it was committed before (a retry
 * after an answer lost with the connection), and then nothing more of it must be written. */
export async function claimBatch(tx: SQL, instance: string, seq: number): Promise<boolean> {
  const [fresh] =
    await tx`INSERT INTO ledger_batches (instance, seq) VALUES (${instance}, ${seq}) ON CONFLICT DO NOTHING RETURNING seq`;
  return fresh !== undefined;
}

/** Applies lease changes inside the ledger's transaction `tx`. A charge comes out of the lease; one that
 * finds the lease gone or short (it expired and was reclaimed while the call ran) comes out of the
 * balance as far as it goes, never below 0, and what it cannot find is that account's shortfall
 * (returned, for the ledger not to count it as used). A return finds nothing to return from a reclaimed
 * lease (the reclaim returned it). An op of a budget period the account has rolled past moves nothing
 * (the roll ended that period's leases: rollAccount). The lease row is read under its own lock, as
 * before this read learnt the period: the account locks alone were an argument, not a guarantee. */
export async function applyLeaseOps(
  tx: SQL,
  instance: string,
  ops: readonly LeaseOp[],
): Promise<{ kind: AccountKind; id: number; short: number }[]> {
  const shortfalls: { kind: AccountKind; id: number; short: number }[] = [];
  for (const op of ops) {
    const { table, column } = BALANCE[op.kind];
    const [cur] = await tx.unsafe(
      `SELECT a.period_start, l.amount FROM ${table} a
       LEFT JOIN LATERAL (SELECT amount FROM leases
         WHERE kind = $2 AND account_id = a.id AND instance = $3 FOR UPDATE) l ON true
       WHERE a.id = $1`,
      [op.id, op.kind, instance],
    );
    if (cur && Number(cur.period_start) !== op.period) continue;
    const lease = cur?.amount !== null && cur?.amount !== undefined;
    const have = lease ? Number(cur.amount) : 0;
    const spentFromLease = Math.min(have, op.spent);
    const returned = Math.min(have - spentFromLease, op.returned);
    if (lease && spentFromLease + returned > 0)
      await tx`UPDATE leases SET amount = amount - ${spentFromLease + returned}
        WHERE kind = ${op.kind} AND account_id = ${op.id} AND instance = ${instance}`;
    const late = op.spent - spentFromLease;
    if (late === 0 && returned === 0) continue;
    const [row] = await tx.unsafe(
      `WITH cur AS (SELECT ${column} AS balance FROM ${table} WHERE id = $1 FOR UPDATE)
       UPDATE ${table} SET ${column} = ${column} + $2 - LEAST(cur.balance + $2, $3)
       FROM cur WHERE id = $1 RETURNING LEAST(cur.balance + $2, $3) AS late_paid`,
      [op.id, returned, late],
    );
    const short = late - (row ? Number(row.late_paid) : 0);
    if (short > 0) shortfalls.push({ kind: op.kind, id: op.id, short });
  }
  return shortfalls;
}

/** Gives back every lease that expired on PostgreSQL's clock (any instance may run it; one statement). */
export const reclaimExpired = (sql: SQL) => reclaim(sql, () => sql`expires_at < now()`);

function reclaim(sql: SQL, which: () => SQL.Query<unknown>): Promise<number> {
  return sql.begin(async (tx) => {
    const leases = await tx`SELECT kind, account_id FROM leases WHERE ${which()}`;
    const ids = (kind: string) =>
      leases.filter((l: { kind: string }) => l.kind === kind).map((l: { account_id: number }) => Number(l.account_id));
    await lockAccounts(tx, ids("token"), ids("user"));
    return reclaimLocked(tx, which());
  });
}

async function reclaimLocked(sql: SQL, which: SQL.Query<unknown>): Promise<number> {
  const [row] = await sql`
    WITH gone AS (DELETE FROM leases WHERE ${which} RETURNING kind, account_id, amount),
    t AS (UPDATE tokens SET remain_quota = remain_quota + g.amount
          FROM (SELECT account_id, sum(amount) AS amount FROM gone WHERE kind = 'token' GROUP BY account_id) g
          WHERE tokens.id = g.account_id),
    u AS (UPDATE users SET quota = quota + g.amount
          FROM (SELECT account_id, sum(amount) AS amount FROM gone WHERE kind = 'user' GROUP BY account_id) g
          WHERE users.id = g.account_id)
    SELECT coalesce(sum(amount), 0)::bigint AS amount FROM gone`;
  return Number(row.amount);
}
