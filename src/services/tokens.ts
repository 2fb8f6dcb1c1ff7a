// Token operations (create, list, edit, enable/disable, delete, reveal). Owners see and change only
// their own tokens; admins see all; another user's token answers 404 so ids cannot be probed.
import { rateLimitColumns } from "./rate-limit-schema";
import { periodStart } from "../core/budget";
import { budgetState, editedBudget, isBudgetProblem, type BudgetState } from "../core/budget-edit";
import { maskKey, newTokenKey } from "../core/keys";
import { editedTokenQuota, isQuotaProblem, newTokenQuota, type QuotaProblem } from "../core/token-quota";
import { badIpEntry, fallbackProblem, MAX_TOKENS_PER_USER } from "../core/token-rules";
import type { TokenRow } from "../db/schema";
import { conflict, forbidden, invalidField, keyed, notFound } from "../errors";
import type { TokenPatch } from "../store/tokens";
import { isAdmin, type Actor } from "./actor";
import { budgetResetsAt, rollDue } from "./budget";
import type { Ctx } from "./context";
import { TokenCreate, TokenStatusUpdate, TokenUpdate, tokenView, type TokenCreateInput } from "./token-schema";
import { validate } from "./validate";
import type { Page } from "./paging";

async function findOwned(ctx: Ctx, actor: Actor, id: number) {
  const row = await ctx.store.tokens.byId(id);
  if (!row || (row.userId !== actor.id && !isAdmin(actor))) throw notFound(keyed("error.token.notFound", { id }));
  return row;
}

/** Groups must exist; users may only pick selectable ones (and "default"); admins may pick any. */
async function checkGroups(ctx: Ctx, actor: Actor, group: string, fallback: string[]) {
  const groups = new Map((await ctx.store.groups.all()).map((g) => [g.name, g]));
  const usable = (name: string) => {
    const g = groups.get(name);
    return !!g && (isAdmin(actor) || g.selectable || g.name === "default");
  };
  if (!usable(group)) throw invalidField("group", keyed("error.token.groupUnusable", { group }));
  const problem = fallbackProblem(group, fallback, usable);
  if (problem) throw invalidField("fallback_groups", problem);
}

function checkExpiry(ctx: Ctx, expiredTime: number) {
  if (expiredTime !== -1 && expiredTime <= ctx.now()) {
    throw invalidField("expired_time", keyed("error.token.expiry"));
  }
}

function checkIps(list: string[]) {
  const bad = badIpEntry(list);
  if (bad !== null) throw invalidField("allow_ips", keyed("error.token.badIp", { entry: bad }));
}

const refuse = (p: QuotaProblem) => invalidField(p.field, p.message);
const nameTaken = (name: string) => conflict(keyed("error.token.nameTaken", { name }));

/** A token as replies show it, with when its budget comes back. */
const view = (ctx: Ctx, row: TokenRow) => tokenView(row, ctx.now(), budgetResetsAt(ctx, row));

/** The budget columns a create or edit writes (core/budget-edit.ts says how), or the refusal. */
function budgetColumns(ctx: Ctx, current: BudgetState | null, t: Partial<TokenCreateInput>): TokenPatch {
  const tz = ctx.snapshot.current.relay.budgetTimezone;
  const patch = {
    budget_period: t.budget_period,
    period_quota: t.period_quota,
    balance: t.remain_quota,
    unlimited: t.unlimited_quota,
  };
  const b = editedBudget("token", current, patch, (p) => periodStart(ctx.now(), p, tz));
  if (isBudgetProblem(b)) throw invalidField(b.field, b.message);
  const { balance, unlimited: _, ...period } = b;
  return balance === undefined ? period : { ...period, remainQuota: balance };
}

const toColumns = (t: Partial<TokenCreateInput>): TokenPatch => ({
  name: t.name,
  remainQuota: t.remain_quota,
  unlimitedQuota: t.unlimited_quota,
  expiredTime: t.expired_time,
  billingMode: t.billing_mode,
  group: t.group,
  fallbackGroups: t.fallback_groups && JSON.stringify(t.fallback_groups),
  models: t.models && JSON.stringify(t.models),
  allowIps: t.allow_ips && JSON.stringify(t.allow_ips),
  status: t.status,
  ...rateLimitColumns(t),
});

/** Creates a token for `ownerId` (default: the actor). Returns its view and the full key, once. */
export async function createToken(ctx: Ctx, actor: Actor, input: unknown, ownerId = actor.id) {
  const t = validate(TokenCreate, input);
  await checkGroups(ctx, actor, t.group, t.fallback_groups);
  checkExpiry(ctx, t.expired_time);
  checkIps(t.allow_ips);
  const key = newTokenKey();
  const row = await ctx.tx(() => insertToken(ctx, ownerId, t, key));
  await ctx.snapshot.putToken(row);
  return { token: view(ctx, row), key };
}

/** Inside a transaction: the per-user limit and name uniqueness are checked with the write lock held.
 * The quota is settled here, the one place tokens are made (see core/token-quota). */
export async function insertToken(ctx: Ctx, userId: number, t: TokenCreateInput, key: string): Promise<TokenRow> {
  // a budget's allowance alone is also the first period's quota
  const given = t.budget_period && t.remain_quota === undefined ? { ...t, remain_quota: t.period_quota } : t;
  const quota = newTokenQuota(given);
  if (isQuotaProblem(quota)) throw refuse(quota);
  const budget = budgetColumns(ctx, null, { ...given, ...quota });
  if ((await ctx.store.tokens.countForUser(userId)) >= MAX_TOKENS_PER_USER) {
    throw conflict(keyed("error.token.tooMany", { max: MAX_TOKENS_PER_USER }));
  }
  if (await ctx.store.tokens.nameTaken(userId, t.name)) throw nameTaken(t.name);
  return ctx.store.tokens.insert({
    ...(toColumns({ ...t, ...quota }) as Required<TokenPatch>),
    ...budget,
    userId,
    keyHash: ctx.keys.hash(key),
    keySealed: ctx.keys.seal(key),
    keyMask: maskKey(key),
  });
}

/** `userId` narrows an admin's list to one user's tokens; other users only ever see their own. */
export async function listTokens(ctx: Ctx, actor: Actor, page: Page, keyword = "", userId?: number) {
  const owner = isAdmin(actor) ? (userId ?? null) : actor.id;
  await rollDue(ctx);
  const { items, total } = await ctx.store.tokens.page(owner, keyword.trim(), page.offset, page.size);
  return { items: items.map((t) => view(ctx, t)), total, page: page.p, page_size: page.size };
}

export async function getToken(ctx: Ctx, actor: Actor, id: number) {
  await rollDue(ctx);
  return view(ctx, await findOwned(ctx, actor, id));
}

export async function updateToken(ctx: Ctx, actor: Actor, input: unknown) {
  const t = validate(TokenUpdate, input);
  await rollDue(ctx);
  const current = await findOwned(ctx, actor, t.id);
  const quotaProblem = editedTokenQuota(
    { remain_quota: current.remainQuota, unlimited_quota: current.unlimitedQuota },
    t,
  );
  if (quotaProblem) throw refuse(quotaProblem);
  const group = t.group ?? current.group;
  const fallback = t.fallback_groups ?? JSON.parse(current.fallbackGroups);
  if (t.group !== undefined || t.fallback_groups !== undefined) await checkGroups(ctx, actor, group, fallback);
  if (t.expired_time !== undefined && t.expired_time !== current.expiredTime) checkExpiry(ctx, t.expired_time);
  if (t.allow_ips) checkIps(t.allow_ips);
  const row = await ctx.tx(async () => {
    if (t.name !== undefined && t.name !== current.name && (await ctx.store.tokens.nameTaken(current.userId, t.name))) {
      throw nameTaken(t.name);
    }
    // read again inside the transaction: a remain moved by the allowance is moved from the true one
    const now = (await ctx.store.tokens.byId(t.id)) ?? current;
    return ctx.store.tokens.update(t.id, { ...toColumns(t), ...budgetColumns(ctx, budgetState("token", now), t) });
  });
  if (!row) throw notFound(keyed("error.token.notFound", { id: t.id }));
  await ctx.snapshot.putToken(row);
  return view(ctx, row);
}

export function setTokenStatus(ctx: Ctx, actor: Actor, input: unknown) {
  const { id, status } = validate(TokenStatusUpdate, input);
  return updateToken(ctx, actor, { id, status });
}

export async function deleteToken(ctx: Ctx, actor: Actor, id: number) {
  const row = await findOwned(ctx, actor, id);
  await ctx.store.tokens.delete(id);
  await ctx.snapshot.removeToken(row.keyHash);
}

/** The full key, to its owner only (an admin who is not the owner is refused too). */
export async function revealKey(ctx: Ctx, actor: Actor, id: number) {
  const row = await findOwned(ctx, actor, id);
  if (row.userId !== actor.id) throw forbidden(keyed("error.token.ownerOnly"));
  return { id: row.id, key: ctx.keys.unseal(row.keySealed) };
}
