// How a management-API route is declared: access level, docs (zod schemas shared with the services,
// so /openapi.json describes exactly what is validated) and a handler returning the reply's data.
// Every request passes, in this order: authentication (401/403), then for a write sent with the
// session cookie the CSRF checks (403), then the content type (415), then the body, read within the
// management body limit and deadline (413/408), parsed (400) and validated by the handler (422). So an
// anonymous caller never learns how bodies are checked, and a forged write is refused before its
// body is read. A credential in Authorization (an access token) cannot be sent by another site's
// page, so it needs no CSRF token. A refusal's message is in the language the request's Accept-Language
// names, when the console has it (zh-CN); without the header, or naming none, it is English.
import { type Context, Elysia } from "elysia";
import type { z } from "zod";
import { fromAcceptLanguage } from "../core/language";
import { refusals } from "../core/refusals";
import { USER_ROLE } from "../core/status";
import { AppError, apiErrorBody, asAppError, badRequest, forbidden, keyed, unauthorized } from "../errors";
import { requestClientIp } from "../http/client-ip";
import { EN, isLang, LANGUAGE_CODES, type Translator, translator } from "../i18n";
import { errorText } from "../i18n/errors";
import { managementLimits } from "../http/management-limits";
import { sameOrigin } from "../http/origin";
import { isJsonType, readBodyText } from "../http/read-body";
import type { Actor } from "../services/actor";
import { authenticate, csrfFor, csrfMatches, SESSION_COOKIE } from "../services/auth";
import type { Ctx } from "../services/context";
import { readSettings } from "../services/settings";

export type Access = "public" | "user" | "admin";
export type Method = "GET" | "POST" | "PUT" | "DELETE";
export type RouteSpec = {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  /** 201 instead of 200 on success */
  creates?: boolean;
  /** acts for nobody (sign-in, sign-up): a session cookie sent along is not used, so no CSRF token is
   * asked; the same-origin check still applies (login CSRF) */
  anonymous?: boolean;
};

export type Call<A extends Access> = {
  ctx: Ctx;
  actor: A extends "public" ? Actor | null : Actor;
  body: unknown;
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  /** the client's address, through trusted proxies */
  ip: string;
  cookies: Record<string, string>;
  /** the CSRF token of the session this call was made with (null: an access token or no session) */
  csrf: string | null;
  /** response headers (Set-Cookie) */
  headers: Record<string, string>;
};

type Handler<A extends Access> = (call: Call<A>) => unknown | Promise<unknown>;

export function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** `Authorization: <token>` or `Authorization: Bearer <token>` (new-api scripts send either). */
export const accessTokenFrom = (header: string | null) => header?.replace(/^Bearer\s+/i, "").trim() || undefined;

const CSRF_HEADER = "x-csrf-token";
const csrfMissing = () => forbidden(keyed("error.api.csrf", { header: CSRF_HEADER }));
const crossSite = () => forbidden(keyed("error.api.crossSite"));

/** Whether the request carries a body at all (a declared length above 0, or a chunked one). */
const carriesBody = (request: Request) =>
  Number(request.headers.get("content-length") ?? 0) > 0 || request.headers.has("transfer-encoding");

/** The JSON body of a write. A body, or a declared content type, must be application/json (415
 * otherwise: a text/plain or form post is what another site's page can send without asking); a
 * write with neither (`curl -X DELETE`, `POST …/test`) is read as {}. */
async function readJsonBody(ctx: Ctx, spec: RouteSpec, request: Request, server: Context["server"]): Promise<unknown> {
  if (spec.method === "GET") return {};
  const type = request.headers.get("content-type");
  if (type === null && !carriesBody(request)) return {};
  if (!isJsonType(type)) throw refusals.unsupportedMediaType(type, "application/json");
  const text = await readBodyText(request, managementLimits(ctx), server ?? undefined);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(keyed("error.api.badJson"));
  }
}

/** For a write without an access token: the same origin, and the session's CSRF token when a
 * session is what the route acts with. */
function checkCookieWrite(
  ctx: Ctx,
  spec: RouteSpec,
  request: Request,
  sessionId: string | undefined,
  actor: Actor | null,
): void {
  if (!sameOrigin(request, () => readSettings(ctx).public_url)) throw crossSite();
  if (spec.anonymous || !sessionId || !actor) return; // no live session: nothing another site could use
  if (!csrfMatches(ctx, sessionId, request.headers.get(CSRF_HEADER))) throw csrfMissing();
}

/** The language of a refusal: the one Accept-Language names, if the console has it; else English
 * (never the user's or the server's setting: scripts read the English words). */
export function replyTranslator(request: Request): Translator {
  const lang = fromAcceptLanguage(request.headers.get("accept-language") ?? "", LANGUAGE_CODES);
  return isLang(lang) ? translator(lang) : EN;
}

/** The reply for anything a route threw (`where` names the route in the log when it was unexpected),
 * its message in `t`'s language. */
export function errorReply(
  e: unknown,
  set: { status?: number | string; headers?: Record<string, unknown> },
  where = "api",
  t: Translator = EN,
) {
  const err = asAppError(e, where);
  set.status = err.status;
  if (set.headers) Object.assign(set.headers, err.headers); // a 429's Retry-After
  return apiErrorBody(err, errorText(err, t));
}

/** A route table: its routes go on `routes`, which the app takes with `.use` once every module has
 * added its routes (Elysia copies a plugin's routes when it is used); `specs` feeds the OpenAPI document. */
export function routeTable(ctx: Ctx) {
  const specs: RouteSpec[] = [];
  const routes = new Elysia();
  function add<A extends Access>(spec: RouteSpec & { access: A }, handler: Handler<A>) {
    specs.push(spec);
    routes.route(
      spec.method,
      spec.path,
      async ({ request, query, params, set, server }) => {
        try {
          const cookies = parseCookies(request.headers.get("cookie"));
          const accessToken = accessTokenFrom(request.headers.get("authorization"));
          // with an access token the cookie is not looked at (authenticate prefers the token)
          const sessionId = accessToken ? undefined : cookies[SESSION_COOKIE];
          const cred = { accessToken, sessionId };
          // a stale cookie of a disabled account must not block public routes such as login
          const actor = spec.access === "public" ? await tryAuthenticate(ctx, cred) : await authenticate(ctx, cred);
          if (spec.access !== "public" && !actor) throw unauthorized();
          if (spec.access === "admin" && actor?.role !== USER_ROLE.admin) throw forbidden(keyed("error.adminsOnly"));
          if (spec.method !== "GET" && !accessToken) checkCookieWrite(ctx, spec, request, sessionId, actor);
          const body = await readJsonBody(ctx, spec, request, server);
          await ctx.ledger.flushed(); // balances and logs read here include every call that has finished
          const headers: Record<string, string> = {};
          const ip = requestClientIp(ctx, request, server);
          const csrf = sessionId && actor ? csrfFor(ctx, sessionId) : null;
          const data = await handler({
            ctx,
            actor: actor as Call<A>["actor"],
            body,
            query,
            params,
            ip,
            cookies,
            csrf,
            headers,
          });
          Object.assign(set.headers, headers);
          set.status = spec.creates ? 201 : 200;
          return { success: true, message: "", data: data ?? null };
        } catch (err) {
          return errorReply(err, set, `api ${spec.method} ${spec.path}`, replyTranslator(request));
        }
      },
      { parse: "none" }, // bodies are read by readJsonBody, after the access checks
    );
  }
  return { add, specs, routes };
}

function tryAuthenticate(ctx: Ctx, cred: Parameters<typeof authenticate>[1]) {
  try {
    return authenticate(ctx, cred);
  } catch {
    return null;
  }
}

/** Path ids are numbers; anything else is a 404, like an id that does not exist. */
export function idParam(params: Record<string, string>, name = "id"): number {
  const id = /^\d{1,15}$/.test(params[name] ?? "") ? Number(params[name]) : 0;
  if (id <= 0) throw new AppError(404, "not_found", keyed("error.api.noId", { name, value: String(params[name]) }));
  return id;
}
