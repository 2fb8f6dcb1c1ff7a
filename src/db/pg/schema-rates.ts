// Rate limits across instances (PostgreSQL only; SQLite has one serving process that counts in memory):
// what each limited scope's sliding windows hold, slot by slot, and how many of its calls each instance
// has in flight. One admission at a time per scope, in PostgreSQL (store/pg/rates.ts), so no window
// ever admits more than its limit, however the calls are spread over instances.
import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** A slot of a sliding window: requests (rpm, rpd) or tokens (tpm) counted in it. */
export const rateSlots = pgTable(
  "rate_slots",
  {
    /** "t<token id>" or "u<user id>" */
    scope: text("scope").notNull(),
    kind: text("kind", { enum: ["rpm", "tpm", "rpd"] }).notNull(),
    /** the slot's number: the admitting instance's unix ms ÷ the slot's length (1 s, or 1 min for rpd) */
    slot: bigint("slot", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.kind, t.slot] }), check("rate_slots_amount", sql`${t.amount} >= 0`)],
);

/** Calls of a scope in flight on one instance; rows of an instance that stopped renewing them lapse. */
export const rateFlight = pgTable(
  "rate_flight",
  {
    scope: text("scope").notNull(),
    instance: text("instance").notNull(),
    n: integer("n").notNull(),
    /** PostgreSQL's clock: renewed with the instance's leases */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.instance] }), check("rate_flight_n", sql`${t.n} >= 0`)],
);
