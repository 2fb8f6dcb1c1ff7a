// Who is calling the management API: a console session (cookie) or a user's access token, and the
// CSRF token derived from a session. Login checks the password with argon2id under the sign-in
// throttle (core/sign-in-throttle.ts: per client address and account, plus a per-account delay), and
// never says whether it was the username or the password that was wrong.
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { newAccessToken, newSessionId, sha256Hex } from "../core/keys";
import { SignInThrottle, type Verdict } from "../core/sign-in-throttle";
import { USER_STATUS } from "../core/status";
import type { UserRow } from "../db/schema";
import { AppError, forbidden, keyed, unauthorized } from "../errors";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import { userView } from "./users";
import { validate } from "./validate";

export const SESSION_COOKIE = "apiyi_session";
export const SESSION_TTL_SEC = 7 * 24 * 3600;

export const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) });

/** One per process, like the sessions it guards. */
const throttle = new SignInThrottle();
let dummyHash: string | null = null;

function tooManyAttempts(v: Extract<Verdict, { ok: false }>) {
  const seconds = v.retryAfterSec;
  const message =
    v.scope === "address" ? keyed("login.tooManyAddress", { seconds }) : keyed("login.tooManyAccount", { seconds });
  // param names the scope ("address" or "account"): the console says it in the reader's language
  return new AppError(429, "too_many_attempts", message, v.scope, undefined, {
    "retry-after": String(v.retryAfterSec),
  });
}

/** The CSRF token of a session: what the console's pages carry and API cookie clients send as X-CSRF-Token. */
export const csrfFor = (ctx: Ctx, sessionId: string) => ctx.keys.hash(`csrf:${sessionId}`);

export function csrfMatches(ctx: Ctx, sessionId: string, sent: string | null | undefined): boolean {
  const want = Buffer.from(csrfFor(ctx, sessionId));
  const got = Buffer.from(sent ?? "");
  return got.length === want.length && timingSafeEqual(got, want);
}

const toActor = (u: UserRow): Actor => ({ id: u.id, username: u.username, role: u.role });

/** `ip`: the client's address as resolved through trusted proxies (http/client-ip.ts). */
export async function login(ctx: Ctx, input: unknown, ip: string) {
  const { username, password } = validate(Login, input);
  // counted as failed before the slow check, so parallel guesses cannot pass a limit
  const verdict = throttle.begin(ip, username, Date.now());
  if (!verdict.ok) throw tooManyAttempts(verdict);
  const user = await ctx.store.users.byUsername(username);
  // verify against a dummy hash for unknown users, so timing does not reveal which usernames exist
  dummyHash ??= await Bun.password.hash(newAccessToken(), { algorithm: "argon2id" });
  const ok = await Bun.password.verify(password, user?.passwordHash ?? dummyHash);
  if (!user || !ok) throw unauthorized(keyed("login.wrong"));
  throttle.succeeded(verdict.attempt);
  if (user.status !== USER_STATUS.enabled) throw forbidden(keyed("login.disabled"));
  const sessionId = newSessionId();
  await ctx.store.sessions.insert(sha256Hex(sessionId), user.id, ctx.now() + SESSION_TTL_SEC);
  return { sessionId, user: userView(ctx, user) };
}

export async function logout(ctx: Ctx, sessionId: string | undefined) {
  if (sessionId) await ctx.store.sessions.delete(sha256Hex(sessionId));
}

/** The enabled user behind a session cookie or an access token, or null. */
export async function authenticate(
  ctx: Ctx,
  cred: { sessionId?: string; accessToken?: string },
): Promise<Actor | null> {
  let user: UserRow | undefined;
  if (cred.accessToken) {
    user = await ctx.store.users.byAccessTokenHash(ctx.keys.hash(cred.accessToken));
  } else if (cred.sessionId) {
    const session = await ctx.store.sessions.get(sha256Hex(cred.sessionId));
    if (session && session.expiresAt > ctx.now()) user = await ctx.store.users.byId(session.userId);
  }
  if (!user) return null;
  if (user.status !== USER_STATUS.enabled) throw forbidden(keyed("login.disabled"));
  return toActor(user);
}

/** Creates or replaces the caller's access token; the plaintext is returned this once. */
export async function rotateAccessToken(ctx: Ctx, actor: Actor) {
  const token = newAccessToken();
  const row = (await ctx.store.users.update(actor.id, { accessTokenHash: ctx.keys.hash(token) }))!;
  return { access_token: token, user: userView(ctx, row) };
}

export async function sweepExpiredSessions(ctx: Ctx) {
  await ctx.store.sessions.deleteExpired(ctx.now());
}
