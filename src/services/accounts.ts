// Where a call's money is held and settled. On SQLite the snapshot's entries are the balances (this
// process is their only writer: check-and-take cannot interleave) and the ledger persists each change;
// on PostgreSQL, with several instances, holds come out of quota leases (services/lease-accounts.ts).
// The relay sizes, takes and settles holds through this one interface on both.
import { type Hold, release, reserve, type Settlement, settle } from "../core/quota";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import type { AppError } from "../errors";

export type Caller = { token: TokenEntry; user: UserEntry };

export type Accounts = {
  /** The caller's balances as a hold is sized and checked against (the live entries on SQLite). */
  view(token: TokenEntry, user: UserEntry): Caller;
  /** Takes `amount` from both balances (unless unlimited), or refuses naming the short one; on
   * PostgreSQL it may wait for a lease. */
  reserve(view: Caller, amount: number, covers: string): Hold | AppError | Promise<Hold | AppError>;
  /** The hold's end: charged `cost` as far as the balances allow, the rest back (null: all back). */
  settle(live: Caller, hold: Hold, cost: number | null): Settlement;
  /** The hold will outlive this call (a video job's, ended by whichever instance sees the job end):
   * called inside the transaction that writes its owner. SQLite's holds row keeps it already; on
   * PostgreSQL it leaves this instance's lease for the job's row. Returns the hold as kept. */
  keep(v: Caller, hold: Hold): Hold | Promise<Hold>;
};

/** SQLite: the entries themselves. */
export const entryAccounts: Accounts = {
  view: (token, user) => ({ token, user }),
  reserve: (v, amount, covers) => reserve(v.token, v.user, amount, covers),
  settle: (v, hold, cost) => (cost === null ? release(v.token, v.user, hold) : settle(v.token, v.user, hold, cost)),
  keep: (_v, hold) => hold,
};
