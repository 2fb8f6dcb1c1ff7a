// How a management-API route is declared: access level, docs (zod schemas shared with the services,
// so /openapi.json describes exactly what is validated) and a handler returning the reply's data.
// Authentication runs before the body is read, so an anonymous caller never learns how bodies are checked.
import type { Context, Elysia } from "elysia";
import type { z } from "zod";
import { AppError, apiErrorBody, badRequest, forbidden, unauthorized } from "../errors";
import type { Actor } from "../services/actor";
import { authenticate, SESSION_COOKIE } from "../services/auth";
import type { Ctx } from "../services/context";

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
};

export type Call<A extends Access> = {
  ctx: Ctx;
  actor: A extends "public" ? Actor | null : Actor;
  body: unknown;
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  ip: string;
  cookies: Record<string, string>;
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

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the request body is not valid JSON");
  }
}

export function errorReply(err: unknown, set: { status?: number | string }) {
  if (!(err instanceof AppError)) {
    console.error("unexpected error:", err);
    err = new AppError(500, "internal_error", "internal error; the server log has details");
  }
  set.status = (err as AppError).status;
  return apiErrorBody(err as AppError);
}

/** A route table bound to one Elysia app; `specs` feeds the OpenAPI document. */
export function routeTable(app: Elysia, ctx: Ctx) {
  const specs: RouteSpec[] = [];
  function add<A extends Access>(spec: RouteSpec & { access: A }, handler: Handler<A>) {
    specs.push(spec);
    app.route(
      spec.method,
      spec.path,
      (async ({ request, query, params, set, server }: Context) => {
        try {
          const cookies = parseCookies(request.headers.get("cookie"));
          const cred = { accessToken: accessTokenFrom(request.headers.get("authorization")), sessionId: cookies[SESSION_COOKIE] };
          // a stale cookie of a disabled account must not block public routes such as login
          const actor = spec.access === "public" ? tryAuthenticate(ctx, cred) : authenticate(ctx, cred);
          if (spec.access !== "public" && !actor) throw unauthorized();
          if (spec.access === "admin" && actor?.role !== "admin") throw forbidden("admins only");
          const body = spec.method === "GET" || spec.method === "DELETE" ? {} : await readJsonBody(request);
          ctx.ledger.flushAll(); // balances and logs read here include every call that has finished
          const headers: Record<string, string> = {};
          const ip = server?.requestIP(request)?.address ?? "";
          const data = await handler({ ctx, actor: actor as Call<A>["actor"], body, query, params, ip, cookies, headers });
          Object.assign(set.headers, headers);
          set.status = spec.creates ? 201 : 200;
          return { success: true, message: "", data: data ?? null };
        } catch (err) {
          return errorReply(err, set);
        }
      }) as never,
      { parse: "none" } as never,
    );
  }
  return { add, specs };
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
  if (id <= 0) throw new AppError(404, "not_found", `${name} "${params[name]}" not found`);
  return id;
}
