// Who is calling the management API: a console session (cookie) or a user's access token. Login
// checks the password with argon2id, refuses after 10 failures a minute from one IP, and never says
// whether it was the username or the password that was wrong.
import { z } from "zod";
import { newAccessToken, newSessionId, sha256Hex } from "../core/keys";
import type { UserRow } from "../db/schema";
import { AppError, forbidden, unauthorized } from "../errors";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import { userView } from "./users";
import { validate } from "./validate";

export const SESSION_COOKIE = "apiyi_session";
export const SESSION_TTL_SEC = 7 * 24 * 3600;
const FAILURES_PER_MINUTE = 10;

export const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) });

const failures = new Map<string, number[]>();
let dummyHash: string | null = null;

function tooManyFailures(ip: string, now: number) {
  const recent = (failures.get(ip) ?? []).filter((t) => now - t < 60_000);
  if (recent.length) failures.set(ip, recent);
  else failures.delete(ip); // keep the map as small as the set of recently failing IPs
  return recent.length >= FAILURES_PER_MINUTE;
}

function forgetAttempt(ip: string, at: number) {
  const list = failures.get(ip) ?? [];
  const i = list.indexOf(at);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) failures.delete(ip);
}

const toActor = (u: UserRow): Actor => ({ id: u.id, username: u.username, role: u.role });

export async function login(ctx: Ctx, input: unknown, ip: string) {
  const { username, password } = validate(Login, input);
  const now = Date.now();
  if (tooManyFailures(ip, now)) throw new AppError(429, "too_many_attempts", "too many failed sign-ins; wait a minute");
  // count the attempt as failed before the slow check, so parallel guesses cannot pass the limit
  failures.set(ip, [...(failures.get(ip) ?? []), now]);
  const user = ctx.store.users.byUsername(username);
  // verify against a dummy hash for unknown users, so timing does not reveal which usernames exist
  dummyHash ??= await Bun.password.hash(newAccessToken(), { algorithm: "argon2id" });
  const ok = await Bun.password.verify(password, user?.passwordHash ?? dummyHash);
  if (!user || !ok) throw unauthorized("wrong username or password");
  forgetAttempt(ip, now);
  if (user.status !== 1) throw forbidden("this account is disabled");
  const sessionId = newSessionId();
  ctx.store.sessions.insert(sha256Hex(sessionId), user.id, ctx.now() + SESSION_TTL_SEC);
  return { sessionId, user: userView(user) };
}

export function logout(ctx: Ctx, sessionId: string | undefined) {
  if (sessionId) ctx.store.sessions.delete(sha256Hex(sessionId));
}

/** The enabled user behind a session cookie or an access token, or null. */
export function authenticate(ctx: Ctx, cred: { sessionId?: string; accessToken?: string }): Actor | null {
  let user: UserRow | undefined;
  if (cred.accessToken) {
    user = ctx.store.users.byAccessTokenHash(ctx.keys.hash(cred.accessToken));
  } else if (cred.sessionId) {
    const session = ctx.store.sessions.get(sha256Hex(cred.sessionId));
    if (session && session.expiresAt > ctx.now()) user = ctx.store.users.byId(session.userId);
  }
  if (!user) return null;
  if (user.status !== 1) throw forbidden("this account is disabled");
  return toActor(user);
}

/** Creates or replaces the caller's access token; the plaintext is returned this once. */
export function rotateAccessToken(ctx: Ctx, actor: Actor) {
  const token = newAccessToken();
  const row = ctx.store.users.update(actor.id, { accessTokenHash: ctx.keys.hash(token) })!;
  return { access_token: token, user: userView(row) };
}

export function sweepExpiredSessions(ctx: Ctx) {
  ctx.store.sessions.deleteExpired(ctx.now());
}
