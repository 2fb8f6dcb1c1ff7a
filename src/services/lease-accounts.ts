// Accounts (services/accounts.ts) on PostgreSQL: a call's hold comes out of this instance's quota lease
// of its token and of its user (services/leases.ts), at once while the lease has it free, else after one
// take for every call waiting. What a balance shows a hold is this instance's free part plus what the
// database had not leased out at its last take (an estimate: other instances' leases are not counted;
// before any take, the whole balance the snapshot read), and settling puts
// the unused part of the hold back into the lease. A hold belongs to its lease's budget period: settled
// after the account rolled, it pays from what it held only and gives nothing back (core/quota.ts). The ledger (store/pg/call-ledger.ts) writes what left
// each lease with the call's row.
import { type Hold, release, type Settlement, settle } from "../core/quota";
import { refusals } from "../core/refusals";
import { AppError } from "../errors";
import type { Accounts, Caller } from "./accounts";
import type { LeaseBook } from "./leases";

type Kind = "token" | "user";

/** Moves a hold out of this instance's lease into a job's row (store/pg/kept-holds.ts keepHeld). */
export type Keeper = (kind: Kind, id: number, amount: number, period: number) => Promise<number | null>;

export function leaseAccounts(book: LeaseBook, keeper: Keeper): Accounts {
  /** `stored`: the whole balance as the snapshot read it (leases included) */
  const balanceOf = (kind: Kind, id: number, stored: number, period: number) => {
    const { free, remain } = book.known(kind, id, period);
    return remain === undefined ? stored : free + remain;
  };
  /** `acquire`, with an unreachable database turned into the 503 the caller can retry */
  const take = (kind: Kind, id: number, amount: number, period: number): boolean | Promise<boolean> => {
    if (amount === 0) return true;
    try {
      const got = book.acquire(kind, id, amount, period);
      return got instanceof Promise ? got.catch(unavailable) : got;
    } catch (e) {
      return unavailable(e);
    }
  };
  const then = <T, R>(v: T | Promise<T>, f: (v: T) => R | Promise<R>): R | Promise<R> =>
    v instanceof Promise ? v.then(f) : f(v);

  return {
    view: (token, user) => ({
      token: { ...token, remainQuota: balanceOf("token", token.id, token.remainQuota, token.periodStart) },
      user: { ...user, quota: balanceOf("user", user.id, user.quota, user.periodStart) },
    }),

    reserve(v: Caller, amount, covers) {
      const tokenAmount = v.token.unlimitedQuota ? 0 : amount;
      const userAmount = v.user.unlimited ? 0 : amount;
      return then(take("token", v.token.id, tokenAmount, v.token.periodStart), (tokenOk) => {
        if (!tokenOk) return refusals.insufficientQuota("token", { left: v.token.remainQuota, needs: amount, covers });
        const tokenPeriod = holdPeriod(book, "token", v.token.id, tokenAmount, v.token.periodStart);
        return then(take("user", v.user.id, userAmount, v.user.periodStart), (userOk): Hold | AppError => {
          const userPeriod = holdPeriod(book, "user", v.user.id, userAmount, v.user.periodStart);
          if (userOk) return { amount, tokenAmount, userAmount, tokenPeriod, userPeriod };
          book.settle("token", v.token.id, tokenAmount, 0, tokenPeriod);
          return refusals.insufficientQuota("user", { left: v.user.quota, needs: amount, covers });
        });
      });
    },

    settle(v: Caller, hold: Hold, cost: number | null): Settlement {
      if (hold.kept) return settleKept(v, hold, cost);
      // what the call may draw beyond its hold is what the lease has free here, never another instance's;
      // the hold's period has ended when the lease has moved on to a newer one (a roll)
      const local = {
        token: {
          ...v.token,
          remainQuota: book.known("token", v.token.id).free,
          periodStart: hold.tokenAmount > 0 ? book.periodOf("token", v.token.id) : hold.tokenPeriod,
        },
        user: {
          ...v.user,
          quota: book.known("user", v.user.id).free,
          periodStart: hold.userAmount > 0 ? book.periodOf("user", v.user.id) : hold.userPeriod,
        },
      };
      const s = cost === null ? release(local.token, local.user, hold) : settle(local.token, local.user, hold, cost);
      if (hold.tokenAmount > 0 || s.tokenDelta !== 0)
        book.settle("token", v.token.id, hold.tokenAmount, hold.tokenAmount - s.tokenDelta, hold.tokenPeriod);
      if (hold.userAmount > 0 || s.userDelta !== 0)
        book.settle("user", v.user.id, hold.userAmount, hold.userAmount - s.userDelta, hold.userPeriod);
      // the view's balances follow, for the low-balance alert (their hold was out of them already)
      v.token.remainQuota += s.tokenDelta;
      v.user.quota += s.userDelta;
      return s;
    },

    async keep(v: Caller, hold: Hold): Promise<Hold> {
      const kept: Hold = { ...hold, kept: true };
      for (const [kind, id, held, period] of [
        ["token", v.token.id, hold.tokenAmount, hold.tokenPeriod],
        ["user", v.user.id, hold.userAmount, hold.userPeriod],
      ] as const) {
        if (held === 0) continue;
        const moved = await keeper(kind, id, held, period);
        book.settle(kind, id, held, held, period); // it left the lease (or its period ended with it)
        // short only if the lease and the balance both lacked it (an admin's edit meanwhile): the job
        // keeps what it got, and can give back no more than that
        if (moved !== null && moved < held) kept[kind === "token" ? "tokenAmount" : "userAmount"] = moved;
      }
      return kept;
    },
  };
}

/** The period a hold belongs to: its lease's (the view's, or a newer one a take found), or, when it took
 * nothing from a lease, the one the caller saw. */
const holdPeriod = (book: LeaseBook, kind: Kind, id: number, held: number, seen: number) =>
  held > 0 ? book.periodOf(kind, id) : seen;

/** A kept hold's end (a video job's, in no lease): it pays what it held at most (nothing beyond: no
 * instance's lease is behind it), and what it did not use goes back to the period it came from. */
function settleKept(v: Caller, hold: Hold, cost: number | null): Settlement {
  const token = { ...v.token, remainQuota: 0 };
  const user = { ...v.user, quota: 0 };
  return cost === null ? release(token, user, hold) : settle(token, user, hold, cost);
}

function unavailable(e: unknown): never {
  if (e instanceof AppError) throw e;
  console.error("quota lease:", (e as Error).message);
  throw refusals.databaseUnavailable();
}
