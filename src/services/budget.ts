// Budget periods in the serving process: the roll (core/budget.ts) is applied to the in-memory token
// entry and queued to the ledger like any balance change, lazily: by the first call that sees a token
// whose period has ended (no database read on the hot path), and before tokens are read from the
// database for a view, so every reader sees the new period. A restart loses nothing: the period's start
// is in the tokens row, written with the roll's delta in one ledger transaction.
import { resetsAt, rollIfDue } from "../core/budget";
import type { TokenEntry } from "../core/snapshot";
import type { Ctx } from "./context";

type Budget = Pick<Ctx, "now" | "snapshot" | "ledger">;

/** Rolls one token's period if it has ended; says whether it did. */
export function rollToken(ctx: Budget, token: TokenEntry): boolean {
  if (token.budgetPeriod === "") return false;
  const roll = rollIfDue(token, ctx.now(), ctx.snapshot.current.relay.budgetTimezone);
  if (!roll) return false;
  ctx.ledger.roll(token.id, roll);
  return true;
}

/** Rolls every token whose period has ended and writes the rolls, before the database is read. */
export function rollDueTokens(ctx: Budget) {
  let rolled = false;
  for (const t of ctx.snapshot.current.tokensByHash.values()) if (rollToken(ctx, t)) rolled = true;
  if (rolled) ctx.ledger.flushAll();
}

/** When a token's quota comes back next (unix s), or null without a period. */
export const tokenResetsAt = (ctx: Budget, t: { budgetPeriod: string; periodStart: number }) =>
  resetsAt(t, ctx.now(), ctx.snapshot.current.relay.budgetTimezone);
