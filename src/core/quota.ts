// Reserve → settle on the in-memory balances (the serving process is their only writer; JavaScript
// runs one thing at a time, so check-and-take cannot interleave). The ledger persists every change
// as a delta, in the same transaction as the log row that explains it. A hold belongs to the budget
// periods (core/budget.ts) its token and its user were in when it was taken: settled after one of them
// rolled, it leaves that account's new period alone.
import type { AppError } from "../errors";
import { refusals } from "./refusals";
import type { TokenEntry, UserEntry } from "./snapshot";

/** `tokenPeriod`, `userPeriod`: each account's periodStart when the hold was taken; `kept`: the hold
 * outlives its instance (a video job's on PostgreSQL, kept in the job's row: services/accounts.ts) */
export type Hold = {
  amount: number;
  tokenAmount: number;
  userAmount: number;
  tokenPeriod: number;
  userPeriod: number;
  kept?: boolean;
};
export type Settlement = { charged: number; shortfall: number; tokenDelta: number; userDelta: number };

/** Takes `amount` from the token (unless unlimited) and the user (unless unlimited); or nothing, and
 * the refusal naming the balance that falls short, what it has left, and what the amount covers. */
export function reserve(token: TokenEntry, user: UserEntry, amount: number, covers: string): Hold | AppError {
  const tokenAmount = token.unlimitedQuota ? 0 : amount;
  const userAmount = user.unlimited ? 0 : amount;
  if (tokenAmount > token.remainQuota)
    return refusals.insufficientQuota("token", { left: token.remainQuota, needs: amount, covers });
  if (userAmount > user.quota) return refusals.insufficientQuota("user", { left: user.quota, needs: amount, covers });
  token.remainQuota -= tokenAmount;
  user.quota -= userAmount;
  return { amount, tokenAmount, userAmount, tokenPeriod: token.periodStart, userPeriod: user.periodStart };
}

/** One account's side of a settlement: what it held, has left now, and whether its period rolled since. */
type Side = { held: number; left: number; unlimited: boolean; rolled: boolean };
/** What the account can pay: its hold, plus what it has left unless the hold's period is over. */
const canPay = (a: Side) => (a.unlimited ? Infinity : a.held + (a.rolled ? 0 : a.left));
/** What goes back to it: the unused hold, into the period it came from (an ended one: nothing). An
 * unlimited account pays nothing from its balance: whatever it had held simply goes back. */
const giveBack = (a: Side, charged: number) => (a.rolled ? 0 : a.unlimited ? a.held : a.held - charged);

/**
 * Settles a hold to the real cost: the rest goes back; a cost above the hold is charged only as far
 * as both balances allow (the rest is the shortfall), so no balance goes below zero. What each
 * account can pay is what it had held plus what it has left, judged by its flag now: an admin may
 * have made it limited or unlimited while the call ran.
 * A hold taken in a budget period that has rolled since (the token's or the user's) belongs to that
 * period: the account can pay at most what it held, the refund does not go into the new period (it
 * started full) and the charge counts to used_quota only.
 */
export function settle(token: TokenEntry, user: UserEntry, hold: Hold, cost: number): Settlement {
  const t: Side = {
    held: hold.tokenAmount,
    left: token.remainQuota,
    unlimited: token.unlimitedQuota,
    rolled: hold.tokenPeriod !== token.periodStart,
  };
  const u: Side = {
    held: hold.userAmount,
    left: user.quota,
    unlimited: user.unlimited,
    rolled: hold.userPeriod !== user.periodStart,
  };
  const charged = Math.min(cost, canPay(t), canPay(u));
  const tokenDelta = giveBack(t, charged);
  const userDelta = giveBack(u, charged);
  token.remainQuota += tokenDelta;
  user.quota += userDelta;
  token.usedQuota += charged;
  user.usedQuota += charged;
  return { charged, shortfall: cost - charged, tokenDelta, userDelta };
}

/** A call that did not succeed upstream costs nothing: the whole hold goes back. */
export const release = (token: TokenEntry, user: UserEntry, hold: Hold): Settlement => settle(token, user, hold, 0);
