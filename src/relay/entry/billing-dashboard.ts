// The balance endpoints chat clients call with only their sk- key (authenticated like /v1 calls, neither
// billed nor logged): OpenAI's old billing pair, at /v1/dashboard/billing/… and without /v1 (NextChat),
// with OpenAI-shaped errors; and new-api's GET /api/usage/token/, with new-api's {success, message}
// errors. The numbers come from services/key-balance.ts.
import { AppError } from "../../errors";
import { countAnonymous } from "../../http/anonymous-limit";
import { billingSubscription, billingUsage, tokenUsage } from "../../services/key-balance";
import type { Runtime } from "../../runtime";
import { authenticate } from "../checks/auth";
import { requestIp } from "../pipeline";
import { errorResponse } from "./errors";

type Handler = (req: Bun.BunRequest<string>, server: Bun.Server<unknown>) => Promise<Response>;
type Reader = (rt: Runtime, who: Awaited<ReturnType<typeof authenticate>>, req: Request) => unknown | Promise<unknown>;

const NO_STORE = { "cache-control": "no-store" };

/** An OpenAI-style endpoint: the reply as is, errors in OpenAI's shape. */
const openai =
  (rt: Runtime, read: Reader): Handler =>
  async (req, server) => {
    const requestId = crypto.randomUUID();
    try {
      const ip = requestIp(rt, req, server);
      countAnonymous("balance", ip);
      const who = await authenticate(rt, req, ip);
      return Response.json(await read(rt, who, req), { headers: { "x-request-id": requestId, ...NO_STORE } });
    } catch (e) {
      return errorResponse(e, requestId);
    }
  };

/** new-api's token usage: `{code: true, message: "ok", data}`; a refusal is `{success: false, message}`. */
const newApi =
  (rt: Runtime): Handler =>
  async (req, server) => {
    try {
      const ip = requestIp(rt, req, server);
      countAnonymous("balance", ip);
      const { token, user } = await authenticate(rt, req, ip);
      const data = await tokenUsage(rt.ctx, token, user);
      return Response.json({ code: true, success: true, message: "ok", data }, { headers: NO_STORE });
    } catch (e) {
      if (!(e instanceof AppError)) return errorResponse(e, crypto.randomUUID()); // logged, a 500
      return Response.json({ success: false, message: e.message }, { status: e.status, headers: e.headers });
    }
  };

const subscription: Reader = (rt, { token, user }) => billingSubscription(rt.ctx, token, user);
const usage: Reader = (rt, { token }, req) => billingUsage(rt.ctx, token, new URL(req.url).searchParams);

export function billingRoutes(rt: Runtime): Record<string, { GET: Handler }> {
  const routes: Record<string, { GET: Handler }> = {};
  for (const prefix of ["/v1", ""]) {
    routes[`${prefix}/dashboard/billing/subscription`] = { GET: openai(rt, subscription) };
    routes[`${prefix}/dashboard/billing/usage`] = { GET: openai(rt, usage) };
  }
  routes["/api/usage/token"] = { GET: newApi(rt) };
  routes["/api/usage/token/"] = { GET: newApi(rt) };
  return routes;
}
