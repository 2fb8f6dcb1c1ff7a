// /login, /logout and /: a plain form post (works without JavaScript), the session cookie, and a
// redirect to where the person was going (only paths on this site). Sign-in and sign-up must come
// from this site's pages (login CSRF); their bodies are read within the management body limit; the
// sign-in throttle sees the client's address through trusted proxies, and its 429 has Retry-After.
// The pages and their refusals are in the visitor's language (console/language.ts).
import { countAnonymous } from "../http/anonymous-limit";
import { type Context, Elysia } from "elysia";
import { LoginPage, RegisterPage } from "../../views/console/login";
import { parseCookies } from "../api/route";
import { asAppError } from "../errors";
import { requestClientIp } from "../http/client-ip";
import { managementLimits } from "../http/management-limits";
import { readBodyText } from "../http/read-body";
import type { Translator } from "../i18n";
import { csrfMatches, login, logout, SESSION_COOKIE, SESSION_TTL_SEC } from "../services/auth";
import { register } from "../services/users";
import type { Ctx } from "../services/context";
import { readSettings } from "../services/settings";
import { consoleUser, sameOrigin } from "./guard";
import { requestTranslator } from "./language";
import { cookieHeader, safeNext } from "./redirects";
import { signInMessage } from "./sign-in-messages";

const cookie = (request: Request, value: string, maxAge: number) =>
  cookieHeader(request, SESSION_COOKIE, value, maxAge);

const page = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } });

type Server = Context["server"];

/** The posted form, within the management body limit (an AppError 413 / 408 / 400 otherwise). */
const readPost = async (ctx: Ctx, request: Request, server: Server) =>
  new URLSearchParams(await readBodyText(request, managementLimits(ctx), server ?? undefined));

/** A refusal as the page's error line, in the reader's language: its status, and its headers (a 429's Retry-After). */
const failure = (t: Translator, e: unknown, where: string) => {
  const err = asAppError(e, where);
  return { error: signInMessage(t, err), status: err.status, headers: err.headers };
};

/** The language of a visitor's page (nobody is signed in on these pages). */
const visitor = (ctx: Ctx, request: Request) => requestTranslator(ctx, request, null);

/** The sign-in routes as a plugin for the app's `.use`; the bodies are read here (`parse: "none"`). */
export const loginRoutes = (ctx: Ctx) =>
  new Elysia()
    .get("/", () => Response.redirect("/token", 302))
    .get("/login", async ({ request, query }) => {
      if (await consoleUser(ctx, request)) return Response.redirect(safeNext(query.next), 302);
      const t = await visitor(ctx, request);
      return page(
        LoginPage({ t, next: safeNext(query.next), registerEnabled: readSettings(ctx).register_enabled }) as string,
      );
    })
    .post(
      "/login",
      async ({ request, server }) => {
        const t = await visitor(ctx, request);
        if (!sameOrigin(ctx, request)) return page(t.t("login.refused"), 403);
        let form = new URLSearchParams();
        try {
          form = await readPost(ctx, request, server);
          const { sessionId } = await login(
            ctx,
            { username: form.get("username") ?? "", password: form.get("password") ?? "" },
            requestClientIp(ctx, request, server),
          );
          return new Response(null, {
            status: 303,
            headers: {
              location: safeNext(form.get("next")),
              "set-cookie": cookie(request, sessionId, SESSION_TTL_SEC),
            },
          });
        } catch (e) {
          const { error, status, headers } = failure(t, e, "console POST /login");
          const view = {
            t,
            next: safeNext(form.get("next")),
            error,
            username: form.get("username") ?? "",
            registerEnabled: readSettings(ctx).register_enabled,
          };
          return page(LoginPage(view) as string, status, headers);
        }
      },
      { parse: "none" },
    )
    // sign-up: only while an admin has it switched on; then signed in at once
    .get("/register", async ({ request }) => {
      if (!readSettings(ctx).register_enabled) return Response.redirect("/login", 302);
      if (await consoleUser(ctx, request)) return Response.redirect("/token", 302);
      return page(RegisterPage({ t: await visitor(ctx, request) }) as string);
    })
    .post(
      "/register",
      async ({ request, server }) => {
        const t = await visitor(ctx, request);
        if (!sameOrigin(ctx, request)) return page(t.t("register.refused"), 403);
        let username = "";
        try {
          countAnonymous("signup", requestClientIp(ctx, request, server));
          const form = await readPost(ctx, request, server);
          const input = { username: (username = form.get("username") ?? ""), password: form.get("password") ?? "" };
          await register(ctx, input);
          const { sessionId } = await login(ctx, input, requestClientIp(ctx, request, server));
          return new Response(null, {
            status: 303,
            headers: { location: "/token", "set-cookie": cookie(request, sessionId, SESSION_TTL_SEC) },
          });
        } catch (e) {
          const { error, status, headers } = failure(t, e, "console POST /register");
          return page(RegisterPage({ t, error, username }) as string, status, headers);
        }
      },
      { parse: "none" },
    )
    .post(
      "/logout",
      async ({ request, server }) => {
        const user = await consoleUser(ctx, request);
        if (user && sameOrigin(ctx, request)) {
          let form: URLSearchParams;
          try {
            form = await readPost(ctx, request, server);
          } catch (e) {
            const t = await requestTranslator(ctx, request, user);
            const { error, status, headers } = failure(t, e, "console POST /logout");
            const view = { t, next: "/token", error, registerEnabled: readSettings(ctx).register_enabled };
            return page(LoginPage(view) as string, status, headers);
          }
          if (csrfMatches(ctx, user.sessionId, form.get("_csrf")))
            await logout(ctx, parseCookies(request.headers.get("cookie"))[SESSION_COOKIE]);
        }
        return new Response(null, {
          status: 303,
          headers: { location: "/login", "set-cookie": cookie(request, "", 0) },
        });
      },
      { parse: "none" },
    );
