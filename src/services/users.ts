// User accounts: create (by an admin, by sign-up, or at first start), edit, delete, balance changes.
// Every new user gets a token named "default". Balance changes and their log row commit together.
import { RateLimitPatch, rateLimitColumns, rateLimitView } from "./rate-limit-schema";
import { z } from "zod";
import { newTokenKey, randomBase62 } from "../core/keys";
import { USER_ROLE, USER_STATUS } from "../core/status";
import type { UserRow } from "../db/schema";
import { conflict, forbidden, invalidField, notFound } from "../errors";
import { LOG_TYPE } from "../store/logs";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { readSettings } from "./settings";
import { TokenCreate } from "./token-schema";
import { insertToken } from "./tokens";
import { validate } from "./validate";

export const Username = z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, "3–32 letters, digits, _ . -");
export const Password = z.string().min(8, "at least 8 characters").max(128, "at most 128 characters");
const Role = z.enum(USER_ROLE);

export const UserCreate = z.object({ username: Username, password: Password, role: Role.default(USER_ROLE.user) });
export const Register = z.object({ username: Username, password: Password });
export const UserUpdate = z.object({
  id: z.number().int().positive(),
  role: Role.optional(),
  status: z
    .union([z.literal(USER_STATUS.enabled), z.literal(USER_STATUS.disabled)])
    .optional()
    .describe("1 enabled, 2 disabled"),
  unlimited: z.boolean().optional(),
  password: Password.optional(),
  ...RateLimitPatch.shape,
});
export const SelfUpdate = z.object({
  current_password: z.string().min(1, "give your current password").max(128),
  password: Password,
});
export const TopUp = z.object({
  quota: z
    .number()
    .int()
    .refine((q) => q > 0, "must be a positive number of quota units; use /adjust to take quota away")
    .refine((q) => q <= Number.MAX_SAFE_INTEGER / 2, "is too large"),
});
export const Adjust = z.object({
  delta: z
    .number()
    .int()
    .refine((d) => d !== 0 && Math.abs(d) <= Number.MAX_SAFE_INTEGER / 2, "must be a non-zero integer"),
  reason: z.string().trim().min(1, "say why").max(200),
});

export const userView = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  status: u.status,
  quota: u.quota,
  used_quota: u.usedQuota,
  unlimited: u.unlimited,
  request_count: u.requestCount,
  has_access_token: u.accessTokenHash !== null,
  ...rateLimitView(u),
  created_at: u.createdAt,
});

export const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id" });

/** Creates the user and its "default" token in one transaction. */
export async function createUser(ctx: Ctx, input: unknown, opts: { unlimited?: boolean } = {}) {
  const u = validate(UserCreate, input);
  const passwordHash = await hashPassword(u.password);
  const defaultToken = validate(TokenCreate, { name: "default", unlimited_quota: true });
  const row = ctx.tx(() => {
    if (ctx.store.users.byUsername(u.username)) throw conflict(`username "${u.username}" is taken`);
    const user = ctx.store.users.insert({
      username: u.username,
      passwordHash,
      role: u.role,
      quota: readSettings(ctx).new_user_quota,
      unlimited: opts.unlimited ?? false,
    });
    insertToken(ctx, user.id, defaultToken, newTokenKey());
    return user;
  });
  ctx.snapshot.reloadAll();
  return userView(row);
}

export async function register(ctx: Ctx, input: unknown) {
  if (!readSettings(ctx).register_enabled)
    throw forbidden("sign-up is disabled on this server; ask an admin for an account");
  const { username, password } = validate(Register, input);
  return createUser(ctx, { username, password, role: USER_ROLE.user });
}

function findUser(ctx: Ctx, id: number) {
  const row = ctx.store.users.byId(id);
  if (!row) throw notFound(`user ${id}`);
  return row;
}

export const getUser = (ctx: Ctx, id: number) => userView(findUser(ctx, id));

export function listUsers(ctx: Ctx, page: Page, keyword = "") {
  const { items, total } = ctx.store.users.page(page.offset, page.size, keyword.trim());
  return { items: items.map(userView), total, page: page.p, page_size: page.size };
}

/** The last enabled admin may not be demoted, disabled or deleted: someone must be able to sign in. */
function keepOneAdmin(ctx: Ctx, target: UserRow, next: { role?: string; status?: number; deleted?: boolean }) {
  const staysAdmin =
    !next.deleted &&
    (next.role ?? target.role) === USER_ROLE.admin &&
    (next.status ?? target.status) === USER_STATUS.enabled;
  const wasActiveAdmin = target.role === USER_ROLE.admin && target.status === USER_STATUS.enabled;
  if (wasActiveAdmin && !staysAdmin && ctx.store.users.otherActiveAdmins(target.id) === 0) {
    throw conflict("this is the last enabled admin; make another admin first");
  }
}

export async function updateUser(ctx: Ctx, input: unknown) {
  const u = validate(UserUpdate, input);
  const passwordHash = u.password === undefined ? undefined : await hashPassword(u.password);
  const row = ctx.tx(() => {
    keepOneAdmin(ctx, findUser(ctx, u.id), u);
    return ctx.store.users.update(u.id, {
      role: u.role,
      status: u.status,
      unlimited: u.unlimited,
      passwordHash,
      ...rateLimitColumns(u),
    })!;
  });
  if (u.password !== undefined || u.status === USER_STATUS.disabled) ctx.store.sessions.deleteForUser(u.id);
  ctx.snapshot.putUser(row);
  return userView(row);
}

export function deleteUser(ctx: Ctx, actor: Actor, id: number) {
  if (id === actor.id) throw conflict("you cannot delete yourself");
  ctx.tx(() => {
    keepOneAdmin(ctx, findUser(ctx, id), { deleted: true });
    ctx.store.users.delete(id);
  });
  ctx.snapshot.removeUser(id);
}

/** Inside a transaction: adds `delta` to the balance (never below 0) and writes its log row (top-up 1,
 * admin 3) with the balance after it in `other.balance_after`. Returns the updated user. */
export function applyBalanceChange(
  ctx: Ctx,
  id: number,
  delta: number,
  log: { type: number; content: string; ip?: string; other?: Record<string, unknown> },
) {
  const before = findUser(ctx, id);
  const after = ctx.store.users.addQuota(id, delta);
  if (!after) throw conflict(`the balance is ${before.quota} units; taking ${-delta} would make it negative`);
  const other = JSON.stringify({ ...log.other, balance_after: after.quota });
  ctx.store.logs.insert({
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

/** Adds quota (top-up, log type 1) or adjusts it either way (admin, log type 3), never below 0. */
function changeBalance(ctx: Ctx, id: number, delta: number, type: number, content: string) {
  const row = ctx.tx(() => applyBalanceChange(ctx, id, delta, { type, content }));
  ctx.snapshot.putUser(row);
  return userView(row);
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
  const user = findUser(ctx, actor.id);
  if (!(await Bun.password.verify(current_password, user.passwordHash))) {
    throw invalidField("current_password", "is not your current password");
  }
  const row = ctx.store.users.update(user.id, { passwordHash: await hashPassword(password) })!;
  ctx.store.sessions.deleteForUser(user.id, keepSessionHash);
  return userView(row);
}

/** CLI: a new random password for `username`, returned once. */
export async function resetPassword(ctx: Ctx, username: string) {
  const user = ctx.store.users.byUsername(username);
  if (!user) throw invalidField("username", `no user named "${username}"`);
  const password = randomBase62(20);
  ctx.store.users.update(user.id, { passwordHash: await hashPassword(password) });
  ctx.store.sessions.deleteForUser(user.id);
  return password;
}
