// /api/user/*: sign-in, sign-up, the caller's own account and access token, and user admin.
import { countAnonymous } from "../http/anonymous-limit";
import { z } from "zod";
import { sha256Hex } from "../core/keys";
import { csrfFor, Login, login, logout, rotateAccessToken, SESSION_COOKIE, SESSION_TTL_SEC } from "../services/auth";
import { PageQuery, readPage } from "../services/paging";
import {
  Adjust,
  adjustBalance,
  changeOwnPassword,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  register,
  Register,
  SelfUpdate,
  TopUp,
  topUp,
  UserCreate,
  UserUpdate,
  updateUser,
} from "../services/users";
import { idParam, type routeTable } from "./route";

const cookie = (value: string, maxAge: number) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;

export function userRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "users";
  const login_ = {
    method: "POST",
    path: "/api/user/login",
    summary: "Sign in; sets the session cookie; data.csrf_token goes in X-CSRF-Token on cookie writes",
    tag,
    access: "public",
    body: Login,
    anonymous: true,
  } as const;
  add(login_, async ({ ctx, body, ip, headers }) => {
    const { sessionId, user } = await login(ctx, body, ip);
    headers["set-cookie"] = cookie(sessionId, SESSION_TTL_SEC);
    return { ...user, csrf_token: csrfFor(ctx, sessionId) };
  });
  add(
    { method: "POST", path: "/api/user/logout", summary: "Sign out", tag, access: "public" },
    async ({ ctx, cookies, headers }) => {
      await logout(ctx, cookies[SESSION_COOKIE]);
      headers["set-cookie"] = cookie("", 0);
    },
  );
  add(
    {
      method: "POST",
      path: "/api/user/register",
      summary: "Sign up (when register_enabled)",
      tag,
      access: "public",
      body: Register,
      creates: true,
      anonymous: true,
    },
    ({ ctx, body, ip }) => {
      countAnonymous("signup", ip);
      return register(ctx, body);
    },
  );
  add(
    {
      method: "GET",
      path: "/api/user/self",
      summary: "Your account: balance, usage, role (and csrf_token with a session cookie)",
      tag,
      access: "user",
    },
    async ({ ctx, actor, csrf }) =>
      csrf ? { ...(await getUser(ctx, actor.id)), csrf_token: csrf } : getUser(ctx, actor.id),
  );
  add(
    {
      method: "PUT",
      path: "/api/user/self",
      summary: "Change your password: {current_password, password}",
      tag,
      access: "user",
      body: SelfUpdate,
    },
    ({ ctx, actor, body, cookies }) => {
      const session = cookies[SESSION_COOKIE];
      return changeOwnPassword(ctx, actor, body, session ? sha256Hex(session) : undefined);
    },
  );
  add(
    {
      method: "POST",
      path: "/api/user/token",
      summary: "Create or rotate your access token (shown once)",
      tag,
      access: "user",
    },
    ({ ctx, actor }) => rotateAccessToken(ctx, actor),
  );

  add(
    {
      method: "GET",
      path: "/api/user/",
      summary: "List users",
      tag,
      access: "admin",
      query: PageQuery.extend({ keyword: z.string().optional() }),
    },
    ({ ctx, query }) => listUsers(ctx, readPage(query), query.keyword),
  );
  add(
    {
      method: "POST",
      path: "/api/user/",
      summary: "Create a user (gets a default token); with budget_period, the balance starts at period_quota",
      tag,
      access: "admin",
      body: UserCreate,
      creates: true,
    },
    ({ ctx, body }) => createUser(ctx, body),
  );
  add({ method: "GET", path: "/api/user/:id", summary: "Get a user", tag, access: "admin" }, ({ ctx, params }) =>
    getUser(ctx, idParam(params)),
  );
  add(
    {
      method: "PUT",
      path: "/api/user/",
      summary: "Change a user's role, status, unlimited flag, password, rate limits or budget period",
      tag,
      access: "admin",
      body: UserUpdate,
    },
    ({ ctx, actor, body }) => updateUser(ctx, body, actor),
  );
  add(
    {
      method: "DELETE",
      path: "/api/user/:id",
      summary: "Delete a user and their tokens (logs stay)",
      tag,
      access: "admin",
    },
    ({ ctx, actor, params }) => deleteUser(ctx, actor, idParam(params)),
  );
  add(
    {
      method: "POST",
      path: "/api/user/:id/topup",
      summary: "Add quota units to a balance (logged as a top-up)",
      tag,
      access: "admin",
      body: TopUp,
    },
    ({ ctx, actor, params, body }) => topUp(ctx, actor, idParam(params), body),
  );
  add(
    {
      method: "POST",
      path: "/api/user/:id/adjust",
      summary: "Adjust a balance up or down, with a reason (never below 0)",
      tag,
      access: "admin",
      body: Adjust,
    },
    ({ ctx, actor, params, body }) => adjustBalance(ctx, actor, idParam(params), body),
  );
}
