// Quota leases (PostgreSQL only; SQLite has one serving process and needs none): the part of a token's
// or a user's balance that one instance has taken into memory to serve holds from (services/leases).
// balance + Σ leases + Σ logged costs = what the account was given, in every committed state.
import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const leases = pgTable(
  "leases",
  {
    /** whose balance: a token's remain_quota or a user's quota */
    kind: text("kind", { enum: ["token", "user"] }).notNull(),
    accountId: bigint("account_id", { mode: "number" }).notNull(),
    /** the instance holding it: an id each process draws at start */
    instance: text("instance").notNull(),
    /** quota units taken from the balance and not yet charged (a charge comes off when it is written) */
    amount: bigint("amount", { mode: "number" }).notNull(),
    /** PostgreSQL's clock, never an instance's: after it any instance may give the amount back */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.accountId, t.instance] }),
    index("leases_expires").on(t.expiresAt),
    check("leases_amount_not_negative", sql`${t.amount} >= 0`),
  ],
);

/** The ledger batches each instance has committed (its own counter): a batch retried after a commit
 * whose answer was lost finds its number here and is not applied twice. Pruned as instances end. */
export const ledgerBatches = pgTable(
  "ledger_batches",
  {
    instance: text("instance").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.instance, t.seq] })],
);
