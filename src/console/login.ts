// /login, /logout and /: a plain form post (works without JavaScript), the session cookie, and a
// redirect to where the person was going (only paths on this site).
import type { Context, Elysia } from "elysia";
import { LoginPage, RegisterPage } from "../../views/console/login";
import { parseCookies } from "../api/route";
import { AppError } from "../errors";
import { login, logout, SESSION_COOKIE, SESSION_TTL_SEC } from "../services/auth";
import { register } from "../services/users";
import type { Ctx } from "../services/context";
import { readSettings } from "../services/settings";
import { consoleUser, sameOrigin } from "./guard";

/** Only local paths: "/token", never "//evil.example" or "https://…". */
const safeNext = (next: unknown) => (typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/token");

const cookie = (request: Request, value: string, maxAge: number) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https" ? "; Secure" : ""}`;

const page = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } });

export function loginRoutes(app: Elysia, ctx: Ctx) {
  app.get("/", () => Response.redirect("/token", 302));
  app.get("/login", ({ request, query }: Context) => {
    if (consoleUser(ctx, request)) return Response.redirect(safeNext(query.next), 302);
    return page(LoginPage({ next: safeNext(query.next), registerEnabled: readSettings(ctx).register_enabled }) as string);
  });

  app.post(
    "/login",
    (async ({ request, server }: Context) => {
      const form = new URLSearchParams(await request.text());
      const next = safeNext(form.get("next"));
      const username = form.get("username") ?? "";
      if (!sameOrigin(request)) return page("refused: sign in from this site's own page", 403);
      try {
        const ip = server?.requestIP(request)?.address ?? "";
        const { sessionId } = await login(ctx, { username, password: form.get("password") ?? "" }, ip);
        return new Response(null, { status: 303, headers: { location: next, "set-cookie": cookie(request, sessionId, SESSION_TTL_SEC) } });
      } catch (e) {
        const error = e instanceof AppError ? e.message : "sign-in failed";
        const status = e instanceof AppError ? e.status : 500;
        return page(LoginPage({ next, error, username, registerEnabled: readSettings(ctx).register_enabled }) as string, status);
      }
    }) as never,
    { parse: "none" } as never,
  );

  // sign-up: only while an admin has it switched on; then signed in at once
  app.get("/register", ({ request }: Context) => {
    if (!readSettings(ctx).register_enabled) return Response.redirect("/login", 302);
    if (consoleUser(ctx, request)) return Response.redirect("/token", 302);
    return page(RegisterPage({}) as string);
  });
  app.post(
    "/register",
    (async ({ request, server }: Context) => {
      if (!sameOrigin(request)) return page("refused: sign up from this site's own page", 403);
      const form = new URLSearchParams(await request.text());
      const input = { username: form.get("username") ?? "", password: form.get("password") ?? "" };
      try {
        await register(ctx, input);
        const { sessionId } = await login(ctx, input, server?.requestIP(request)?.address ?? "");
        return new Response(null, { status: 303, headers: { location: "/token", "set-cookie": cookie(request, sessionId, SESSION_TTL_SEC) } });
      } catch (e) {
        const error = e instanceof AppError ? e.message : "sign-up failed";
        return page(RegisterPage({ error, username: input.username }) as string, e instanceof AppError ? e.status : 500);
      }
    }) as never,
    { parse: "none" } as never,
  );

  app.post(
    "/logout",
    (async ({ request }: Context) => {
      const user = consoleUser(ctx, request);
      const form = new URLSearchParams(await request.text());
      if (user && form.get("_csrf") === user.csrf && sameOrigin(request)) logout(ctx, parseCookies(request.headers.get("cookie"))[SESSION_COOKIE]);
      return new Response(null, { status: 303, headers: { location: "/login", "set-cookie": cookie(request, "", 0) } });
    }) as never,
    { parse: "none" } as never,
  );
}
