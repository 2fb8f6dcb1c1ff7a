// Budget periods in the serving process: the roll (core/budget.ts) is applied to the in-memory token or
// user entry and queued to the ledger like any balance change, lazily: by the first call that sees an
// account whose period has ended (no database read on the hot path), and before accounts are read
// from the database for a view or changed by a service, so every reader sees the new period. A
// restart loses nothing: the period's start is in the row, written with the roll's delta in one
// ledger transaction.
import { resetsAt, rollIfDue, type AccountKind, type Budgeted, type Period } from "../core/budget";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import type { Ctx } from "./context";
import { invalidField, keyed } from "../errors";

type Budget = Pick<Ctx, "now" | "snapshot" | "ledger">;

/** Rolls one account's period if it has ended; says whether it did. */
function roll<K extends AccountKind>(ctx: Budget, kind: K, account: Budgeted<K> & { id: number }): boolean {
  if (account.budgetPeriod === "") return false;
  const rolled = rollIfDue(kind, account, ctx.now(), ctx.snapshot.current.relay.budgetTimezone);
  if (!rolled) return false;
  ctx.ledger.roll(kind, account.id, rolled);
  return true;
}

export const rollToken = (ctx: Budget, token: TokenEntry) => roll(ctx, "token", token);
export const rollUser = (ctx: Budget, user: UserEntry) => roll(ctx, "user", user);

/** Both accounts a call draws on: a period that has ended starts the new one, full. */
export function rollCaller(ctx: Budget, token: TokenEntry, user: UserEntry) {
  rollToken(ctx, token);
  rollUser(ctx, user);
}

/** Rolls every token and user whose period has ended and writes the rolls: before the database is read,
 * and before a service changes a balance (a credit then lands in the current period, rather than
 * being replaced by a later roll). */
export async function rollDue(ctx: Budget) {
  let rolled = false;
  for (const t of ctx.snapshot.current.tokensByHash.values()) if (rollToken(ctx, t)) rolled = true;
  for (const u of ctx.snapshot.current.usersById.values()) if (rollUser(ctx, u)) rolled = true;
  if (rolled) await ctx.ledger.flushed();
}

/** Budget periods are not served on PostgreSQL yet: setting one there is refused, naming the field. */
export function budgetsServed(ctx: Pick<Ctx, "sqlite">, period: string | undefined) {
  if (period && !ctx.sqlite) throw invalidField("budget_period", keyed("error.budget.notOnPostgres"));
}

/** When an account's balance comes back next (unix s), or null without a period. */
export const budgetResetsAt = (ctx: Budget, a: Pick<Period, "budgetPeriod" | "periodStart">) =>
  resetsAt(a, ctx.now(), ctx.snapshot.current.relay.budgetTimezone);
