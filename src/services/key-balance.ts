// What a chat client may learn with only its sk- key: the balance OpenAI's old billing endpoints report
// (NextChat, one-api clients) and new-api's token usage. A limited token reports its own quota (a
// budgeted one its period's allowance); an unlimited token its owner's balance (a budgeted owner's:
// the period's allowance). Usage comes from the
// daily rollups (one small indexed query), so it spans whole UTC days.
import { UNITS_PER_USD } from "../core/money";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import { refusals } from "../core/refusals";
import { rollCaller, rollToken } from "./budget";
import type { Ctx } from "./context";

/** What an unlimited owner's unlimited token reports as its limit, in USD (new-api reports a large number too). */
export const UNLIMITED_USD = 100_000_000;

const usd = (units: number) => Math.round((units / UNITS_PER_USD) * 1e6) / 1e6;

/** The quota the key may spend in all (units), or null when nothing limits it. */
function granted(token: TokenEntry, user: UserEntry): number | null {
  if (!token.unlimitedQuota) return token.budgetPeriod ? token.periodQuota : token.remainQuota + token.usedQuota;
  if (user.unlimited) return null;
  return user.budgetPeriod ? user.periodQuota : user.quota + user.usedQuota;
}

/** The caller's balances as they are now. On SQLite the entries are (this process is their only writer);
 * on PostgreSQL they are as the snapshot last loaded them, so the rows are read again (with what
 * instances hold in leases, after this instance's ledger is written). */
async function current(ctx: Ctx, token: TokenEntry, user: UserEntry): Promise<{ token: TokenEntry; user: UserEntry }> {
  if (ctx.sqlite) return { token, user };
  await ctx.ledger.flushed();
  const [t, u] = await Promise.all([ctx.store.tokens.byId(token.id), ctx.store.users.byId(user.id)]);
  return {
    token: t ? { ...token, remainQuota: t.remainQuota, usedQuota: t.usedQuota } : token,
    user: u ? { ...user, quota: u.quota, usedQuota: u.usedQuota } : user,
  };
}

/** GET /v1/dashboard/billing/subscription. */
export async function billingSubscription(ctx: Ctx, caller: TokenEntry, owner: UserEntry) {
  await rollCaller(ctx, caller, owner);
  const { token, user } = await current(ctx, caller, owner);
  const total = granted(token, user);
  const limit = total === null ? UNLIMITED_USD : usd(total);
  return {
    object: "billing_subscription",
    has_payment_method: true,
    soft_limit_usd: limit,
    hard_limit_usd: limit,
    system_hard_limit_usd: limit,
    access_until: token.expiredTime === -1 ? 0 : token.expiredTime,
  };
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** "2026-03-01" (or "2026-3-1") → the UTC day it names, as "YYYY-MM-DD"; `shift` days later. */
function day(value: string | null, name: string, shift = 0): string | undefined {
  if (value === null || value === "") return undefined;
  const m = DATE.exec(value.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  const real = m && new Date(ms).getUTCDate() === Number(m[3]);
  if (!real) throw refusals.badBody(`${name}: "${value}" is not a date; use YYYY-MM-DD, e.g. 2026-03-01`, name);
  return new Date(ms + shift * 86_400_000).toISOString().slice(0, 10);
}

/** GET /v1/dashboard/billing/usage: spend from start_date up to end_date (exclusive, as OpenAI's),
 * in US cents: the key's own for a limited token, its owner's for an unlimited one. */
export async function billingUsage(ctx: Ctx, token: TokenEntry, query: URLSearchParams) {
  const fromDay = day(query.get("start_date"), "start_date");
  const toDay = day(query.get("end_date"), "end_date", -1);
  await ctx.ledger.flushed(); // calls that have finished are in the rollups
  const sums = await ctx.store.usage.sums({
    userId: token.userId,
    fromDay,
    toDay,
    tokenIds: token.unlimitedQuota ? undefined : [token.id],
  });
  return { object: "list", total_usage: Math.round((sums.quota / UNITS_PER_USD) * 100 * 1e4) / 1e4 };
}

/** GET /api/usage/token/ (new-api): the key's own quota, in quota units. */
export async function tokenUsage(ctx: Ctx, caller: TokenEntry, owner: UserEntry) {
  await rollToken(ctx, caller);
  const { token } = await current(ctx, caller, owner);
  return {
    object: "token_usage",
    name: token.name,
    total_granted: token.remainQuota + token.usedQuota,
    total_used: token.usedQuota,
    total_available: token.remainQuota,
    unlimited_quota: token.unlimitedQuota,
    model_limits: Object.fromEntries([...token.models].map((m) => [m, true])),
    model_limits_enabled: token.models.size > 0,
    expires_at: token.expiredTime === -1 ? 0 : token.expiredTime,
  };
}
