// Redeeming a code (POST /api/user/topup, the console's Redeem box) and the top-up history (codes,
// admin top-ups and adjustments, with the balance after each). A code is claimed by a conditional
// UPDATE in the same transaction as the credit and its log row, so it is used exactly once however
// many redeem it at the same moment. Every failure answers the same message, and failures are
// limited per user and per client address (core/failure-limit.ts), so codes cannot be probed.
import { FailureLimiter, type LimitVerdict } from "../core/failure-limit";
import { maskCode, normalizeCode } from "../core/redemption-codes";
import { LOG_TYPE } from "../core/status";
import { z } from "zod";
import { AppError, keyed } from "../errors";
import { isAdmin, type Actor } from "./actor";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { rollDue } from "./budget";
import { applyBalanceChange, userView } from "./users";
import { validate } from "./validate";

export const REDEEM_LIMITS = { max: 10, windowMs: 10 * 60_000, maxKeys: 100_000 };

export const Redeem = z.object({ key: z.string().max(200, "at most 200 characters") });

/** One per process, like the sign-in throttle. */
const limiter = new FailureLimiter(REDEEM_LIMITS);

const failed = () => new AppError(400, "invalid_code", keyed("error.redeem.failed"));
function tooMany(v: Extract<LimitVerdict, { ok: false }>) {
  const message = keyed("error.redeem.tooMany", { seconds: v.retryAfterSec });
  return new AppError(429, "too_many_attempts", message, null, undefined, { "retry-after": String(v.retryAfterSec) });
}

/** Credits the code's quota to `actor`; returns the units credited and the account after. */
export async function redeem(ctx: Ctx, actor: Actor, input: unknown, ip: string) {
  const { key } = validate(Redeem, input);
  const verdict = limiter.begin([`user:${actor.id}`, `ip:${ip}`], Date.now());
  if (!verdict.ok) throw tooMany(verdict);
  const code = normalizeCode(key);
  await rollDue(ctx); // a budgeted balance is credited in its current period; the next boundary sets the allowance
  const { credited, user } = await ctx.tx(async () => {
    const row = await ctx.store.redemptions.claim(ctx.keys.hash(code), actor.id, ctx.now());
    if (!row) throw failed();
    const after = await applyBalanceChange(ctx, actor.id, row.quota, {
      type: LOG_TYPE.topup,
      content: `redeemed code ${maskCode(code)} (#${row.id} "${row.name}")`,
      ip,
      other: { redemption_id: row.id },
    });
    return { credited: row.quota, user: after };
  });
  limiter.succeeded(verdict);
  await ctx.snapshot.putUser(user);
  return { quota: credited, user: userView(ctx, user) };
}

/** One row of the history: a code, an admin's top-up or an adjustment. */
export type TopUpEntry = {
  id: number;
  created_at: number;
  type: number;
  user_id: number;
  username: string;
  quota: number;
  /** null on rows written before the balance after was recorded */
  balance_after: number | null;
  content: string;
};

function balanceAfter(other: string): number | null {
  try {
    const v = JSON.parse(other).balance_after;
    return Number.isSafeInteger(v) ? v : null;
  } catch {
    return null;
  }
}

/** Newest first. A user sees their own; an admin everyone's, or one user's with `userId`. */
export async function topUpHistory(ctx: Ctx, actor: Actor, page: Page, userId?: number) {
  const owner = isAdmin(actor) ? userId : actor.id;
  const { items, total } = await ctx.store.logs.moneyPage(owner, page.offset, page.size);
  const entries: TopUpEntry[] = items.map((l) => ({
    id: l.id,
    created_at: Math.floor(l.createdAt / 1000),
    type: l.type,
    user_id: l.userId,
    username: l.username,
    quota: l.quota,
    balance_after: balanceAfter(l.other),
    content: l.content,
  }));
  return { items: entries, total, page: page.p, page_size: page.size };
}
