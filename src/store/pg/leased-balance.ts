// Balances on PostgreSQL as everyone outside the hot path sees them: the balance column holds only what
// no instance has leased (store/pg/leases.ts), so a token's or a user's balance is that column plus what
// its leases hold (calls in flight and charges not written yet included). Reads add the leases; setting
// a balance writes it minus the leases, and is refused while the leases hold more than the new balance
// (they go back within seconds when idle: the edit can be retried), so no edit ever lets instances
// spend more than it allows.
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { tokens, users } from "../../db/pg/schema";
import { conflict, keyed } from "../../errors";

/** What the account's leases hold now, over every instance. */
export const leasedOf = (kind: "token" | "user", id: PgColumn): SQL<number> =>
  sql`coalesce((SELECT sum(l.amount) FROM leases l WHERE l.kind = ${kind} AND l.account_id = ${id}), 0)`;

const balance = (kind: "token" | "user", column: PgColumn, id: PgColumn) =>
  sql<number>`(${column} + ${leasedOf(kind, id)})`.mapWith(Number);

/** A user row with its whole balance. */
export const userColumns = { ...getTableColumns(users), quota: balance("user", users.quota, users.id) };
/** A token row with its whole balance. */
export const tokenColumns = {
  ...getTableColumns(tokens),
  remainQuota: balance("token", tokens.remainQuota, tokens.id),
};

/** The SET and WHERE that make a token's whole balance `total`: its column gets what its leases do not hold. */
export const tokenBalanceTo = (total: number) => ({
  set: sql`${total} - ${leasedOf("token", tokens.id)}`,
  allowed: sql`${total} >= ${leasedOf("token", tokens.id)}`,
});

/** The refusal of a balance below what running instances hold of it now. */
export const heldByInstances = (id: number) => conflict(keyed("error.token.leased", { id }));
