// User accounts: create (by an admin, by sign-up, or at first start), edit, delete, balance changes.
// Every new user gets a token named "default". Balance changes and their log row commit together.
// A budget period (core/budget.ts) sets the balance back to its allowance at each boundary; setting
// or changing one moves the balance now, logged like an adjustment.
import { periodStart } from "../core/budget";
import { budgetState, editedBudget, isBudgetProblem, type BudgetInput, type BudgetState } from "../core/budget-edit";
import { newTokenKey, randomBase62 } from "../core/keys";
import { unitsToUsd } from "../core/money";
import { USER_ROLE, USER_STATUS } from "../core/status";
import type { UserRow } from "../db/schema";
import { conflict, forbidden, invalidField, keyed, notFound } from "../errors";
import { LOG_TYPE } from "../store/logs";
import type { Actor } from "./actor";
import { budgetResetsAt, rollDue } from "./budget";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { rateLimitColumns } from "./rate-limit-schema";
import { readSettings } from "./settings";
import { TokenCreate } from "./token-schema";
import { insertToken } from "./tokens";
import { Adjust, Display, Register, SelfUpdate, TopUp, UserCreate, UserUpdate, userFields } from "./user-schema";
import { validate } from "./validate";

export { Adjust, Register, SelfUpdate, TopUp, UserCreate, UserUpdate } from "./user-schema";

/** A user as replies show it, with when a budgeted balance comes back. */
export const userView = (ctx: Ctx, u: UserRow) => userFields(u, ctx.now(), budgetResetsAt(ctx, u));

/** The budget a create or an edit asks for (core/budget-edit.ts), or the refusal naming the field. */
function userBudget(ctx: Ctx, current: BudgetState | null, patch: BudgetInput) {
  const tz = ctx.snapshot.current.relay.budgetTimezone;
  const b = editedBudget("user", current, patch, (p) => periodStart(ctx.now(), p, tz));
  if (isBudgetProblem(b)) throw invalidField(b.field, b.message);
  const { balance, unlimited: _, ...period } = b;
  return { period, balance };
}

export const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id" });

/** Creates the user and its "default" token in one transaction. */
export async function createUser(ctx: Ctx, input: unknown, opts: { unlimited?: boolean } = {}) {
  const u = validate(UserCreate, input);
  const passwordHash = await hashPassword(u.password);
  const defaultToken = validate(TokenCreate, { name: "default", unlimited_quota: true });
  // a budgeted user starts with the period's allowance instead of new_user_quota
  const budget = userBudget(ctx, null, { ...u, unlimited: opts.unlimited });
  const row = await ctx.tx(async () => {
    if (await ctx.store.users.byUsername(u.username)) throw conflict(keyed("error.user.taken", { name: u.username }));
    const user = await ctx.store.users.insert({
      username: u.username,
      passwordHash,
      role: u.role,
      quota: budget.balance ?? readSettings(ctx).new_user_quota,
      unlimited: opts.unlimited ?? false,
      ...budget.period,
    });
    await insertToken(ctx, user.id, defaultToken, newTokenKey());
    return user;
  });
  await ctx.snapshot.reloadAll();
  return userView(ctx, row);
}

/** The console language the person chose (one of the catalogs' codes, checked by the caller). */
export async function setLanguage(ctx: Ctx, actor: Actor, language: string) {
  await ctx.store.users.update(actor.id, { language });
}

/** How the person reads the console: language, currency and time zone ("" = not chosen: the
 * cookie, browser or server default decides). */
export async function setDisplay(ctx: Ctx, actor: Actor, input: unknown) {
  const { language, currency, time_zone } = validate(Display, input);
  await ctx.store.users.update(actor.id, { language, currency, timeZone: time_zone });
}

export async function register(ctx: Ctx, input: unknown) {
  if (!readSettings(ctx).register_enabled) throw forbidden(keyed("error.user.signUpOff"));
  const { username, password } = validate(Register, input);
  return createUser(ctx, { username, password, role: USER_ROLE.user });
}

async function findUser(ctx: Ctx, id: number) {
  const row = await ctx.store.users.byId(id);
  if (!row) throw notFound(keyed("error.user.notFound", { id }));
  return row;
}

export async function getUser(ctx: Ctx, id: number) {
  await rollDue(ctx);
  return userView(ctx, await findUser(ctx, id));
}

export async function listUsers(ctx: Ctx, page: Page, keyword = "") {
  await rollDue(ctx);
  const { items, total } = await ctx.store.users.page(page.offset, page.size, keyword.trim());
  return { items: items.map((u) => userView(ctx, u)), total, page: page.p, page_size: page.size };
}

/** The last enabled admin may not be demoted, disabled or deleted: someone must be able to sign in. */
async function keepOneAdmin(ctx: Ctx, target: UserRow, next: { role?: string; status?: number; deleted?: boolean }) {
  const staysAdmin =
    !next.deleted &&
    (next.role ?? target.role) === USER_ROLE.admin &&
    (next.status ?? target.status) === USER_STATUS.enabled;
  const wasActiveAdmin = target.role === USER_ROLE.admin && target.status === USER_STATUS.enabled;
  if (wasActiveAdmin && !staysAdmin && (await ctx.store.users.otherActiveAdmins(target.id)) === 0) {
    throw conflict(keyed("error.user.lastAdmin"));
  }
}

/** An admin's edit. A budget set or changed moves the balance (a new period starts full; a new
 * allowance within the period moves it by the difference), written as an adjustment log row. */
export async function updateUser(ctx: Ctx, input: unknown, actor?: Actor) {
  const u = validate(UserUpdate, input);
  const passwordHash = u.password === undefined ? undefined : await hashPassword(u.password);
  await rollDue(ctx); // the budget is edited from the current period
  const row = await ctx.tx(async () => {
    const current = await findUser(ctx, u.id);
    await keepOneAdmin(ctx, current, u);
    const budget = userBudget(ctx, budgetState("user", current), u);
    const updated = (await ctx.store.users.update(u.id, {
      role: u.role,
      status: u.status,
      unlimited: u.unlimited,
      passwordHash,
      ...rateLimitColumns(u),
      ...budget.period,
    }))!;
    if (budget.balance === undefined || budget.balance === updated.quota) return updated;
    const content = `budget by ${actor?.username ?? "an admin"}: ${updated.budgetPeriod} allowance $${unitsToUsd(updated.periodQuota)}`;
    return applyBalanceChange(ctx, u.id, budget.balance - updated.quota, { type: LOG_TYPE.admin, content });
  });
  if (u.password !== undefined || u.status === USER_STATUS.disabled) await ctx.store.sessions.deleteForUser(u.id);
  await ctx.snapshot.putUser(row);
  return userView(ctx, row);
}

export async function deleteUser(ctx: Ctx, actor: Actor, id: number) {
  if (id === actor.id) throw conflict(keyed("error.user.deleteSelf"));
  await ctx.tx(async () => {
    await keepOneAdmin(ctx, await findUser(ctx, id), { deleted: true });
    await ctx.store.users.delete(id);
  });
  await ctx.snapshot.removeUser(id);
}

/** Inside a transaction: adds `delta` to the balance (never below 0) and writes its log row (top-up 1,
 * admin 3) with the balance after it in `other.balance_after`. Returns the updated user. */
export async function applyBalanceChange(
  ctx: Ctx,
  id: number,
  delta: number,
  log: { type: number; content: string; ip?: string; other?: Record<string, unknown> },
) {
  const before = await findUser(ctx, id);
  const after = await ctx.store.users.addQuota(id, delta);
  if (!after) throw conflict(keyed("error.user.negative", { quota: before.quota, take: -delta }));
  const other = JSON.stringify({ ...log.other, balance_after: after.quota });
  await ctx.store.logs.insert({
    createdAt: Date.now(),
    type: log.type,
    userId: id,
    username: after.username,
    quota: delta,
    content: log.content,
    ip: log.ip ?? "",
    other,
  });
  return after;
}

/** Adds quota (top-up, log type 1) or adjusts it either way (admin, log type 3), never below 0. On a
 * budgeted user it changes the current period's balance only: the next boundary sets the allowance. */
async function changeBalance(ctx: Ctx, id: number, delta: number, type: number, content: string) {
  await rollDue(ctx); // a budgeted balance is changed in its current period
  const row = await ctx.tx(() => applyBalanceChange(ctx, id, delta, { type, content }));
  await ctx.snapshot.putUser(row);
  return userView(ctx, row);
}

export function topUp(ctx: Ctx, actor: Actor, id: number, input: unknown) {
  const { quota } = validate(TopUp, input);
  return changeBalance(ctx, id, quota, LOG_TYPE.topup, `top-up by ${actor.username}`);
}

export function adjustBalance(ctx: Ctx, actor: Actor, id: number, input: unknown) {
  const { delta, reason } = validate(Adjust, input);
  return changeBalance(ctx, id, delta, LOG_TYPE.admin, `adjustment by ${actor.username}: ${reason}`);
}

/** A user changes their own password; their other sessions end, this one stays. */
export async function changeOwnPassword(ctx: Ctx, actor: Actor, input: unknown, keepSessionHash?: string) {
  const { current_password, password } = validate(SelfUpdate, input);
  const user = await findUser(ctx, actor.id);
  if (!(await Bun.password.verify(current_password, user.passwordHash))) {
    throw invalidField("current_password", keyed("error.user.wrongPassword"));
  }
  const row = (await ctx.store.users.update(user.id, { passwordHash: await hashPassword(password) }))!;
  await ctx.store.sessions.deleteForUser(user.id, keepSessionHash);
  return userView(ctx, row);
}

/** CLI: a new random password for `username`, returned once. */
export async function resetPassword(ctx: Ctx, username: string) {
  const user = await ctx.store.users.byUsername(username);
  if (!user) throw invalidField("username", keyed("error.user.noSuchName", { name: username }));
  const password = randomBase62(20);
  await ctx.store.users.update(user.id, { passwordHash: await hashPassword(password) });
  await ctx.store.sessions.deleteForUser(user.id);
  return password;
}
