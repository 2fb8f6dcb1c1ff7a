// Budget periods in the serving process: the roll (core/budget.ts) is applied to the in-memory token or
// user entry and written through the ledger, lazily: by the first call that sees an account whose
// period has ended (no database read on the hot path), and before accounts are read from the database
// for a view or changed by a service, so every reader sees the new period. On SQLite the ledger queues
// the roll's delta with the period's start (a restart loses nothing); on PostgreSQL the roll is one
// conditional UPDATE that the first instance to see the boundary wins (store/pg/budget-rolls.ts), and
// the entry takes the new period once it is written.
import { balanceOf, isDue, resetsAt, rollIfDue, type AccountKind, type Budgeted, type Period } from "../core/budget";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import type { Ctx } from "./context";

type Budget = Pick<Ctx, "now" | "snapshot" | "ledger">;

/** Rolls one account's period if it has ended; says whether it did (a promise while it is written). */
function roll<K extends AccountKind>(
  ctx: Budget,
  kind: K,
  account: Budgeted<K> & { id: number },
): boolean | Promise<boolean> {
  const tz = ctx.snapshot.current.relay.budgetTimezone;
  if (account.budgetPeriod === "" || !isDue(account, ctx.now(), tz)) return false;
  const next = { ...account };
  const rolled = rollIfDue(kind, next, ctx.now(), tz)!;
  const adopt = () => {
    account.periodStart = next.periodStart;
    account.periodEnd = next.periodEnd;
    balanceOf(kind, account).set(balanceOf(kind, next).balance);
    return true;
  };
  const written = ctx.ledger.roll(kind, account.id, rolled);
  return written ? written.then(adopt) : adopt();
}

export const rollToken = (ctx: Budget, token: TokenEntry) => roll(ctx, "token", token);
export const rollUser = (ctx: Budget, user: UserEntry) => roll(ctx, "user", user);

/** Both accounts a call draws on: a period that has ended starts the new one, full. At once on SQLite;
 * a promise only while PostgreSQL writes a roll. */
export function rollCaller(ctx: Budget, token: TokenEntry, user: UserEntry): Promise<unknown> | null {
  const t = rollToken(ctx, token);
  const u = rollUser(ctx, user);
  return t instanceof Promise || u instanceof Promise ? Promise.all([t, u]) : null;
}

/** Rolls every token and user whose period has ended and writes the rolls: before the database is read,
 * and before a service changes a balance (a credit then lands in the current period, rather than
 * being replaced by a later roll). */
export async function rollDue(ctx: Budget) {
  const rolls: (boolean | Promise<boolean>)[] = [];
  for (const t of ctx.snapshot.current.tokensByHash.values()) rolls.push(rollToken(ctx, t));
  for (const u of ctx.snapshot.current.usersById.values()) rolls.push(rollUser(ctx, u));
  if ((await Promise.all(rolls)).includes(true)) await ctx.ledger.flushed();
}

/** When an account's balance comes back next (unix s), or null without a period. */
export const budgetResetsAt = (ctx: Budget, a: Pick<Period, "budgetPeriod" | "periodStart">) =>
  resetsAt(a, ctx.now(), ctx.snapshot.current.relay.budgetTimezone);
