// One call on any surface, from request to response: checks (in the documented order, nothing
// forwarded and no balance touched on a refusal), then the failover loop (relay/forward.ts), then
// the metered response. Every call that got as far as a known token leaves a log row.
import { checkModelAllowed, tokenGroups } from "../core/access";
import { clientIp } from "../core/ip";
import { refusals } from "../core/refusals";
import { isServed } from "../core/routing";
import type { TokenEntry } from "../core/snapshot";
import { AppError } from "../errors";
import { authenticate } from "./auth";
import { holdFor } from "./billing";
import { readCallBody, readFormBody, type CallBody } from "./body";
import { finishCall, newCall } from "./call-log";
import type { EndpointSpec } from "./endpoints";
import { errorResponse } from "./errors";
import { forward } from "./forward";
import { canServe, type Inbound } from "./plan";
import type { Runtime } from "./runtime";

/** What the path says about the call (Gemini: the model, and whether it streams). */
export type PathFacts = { model?: string; stream?: boolean };

export const requestIp = (rt: Runtime, req: Request, server: Bun.Server<unknown>) =>
  clientIp(server.requestIP(req)?.address ?? "", req.headers.get("x-forwarded-for"), rt.ctx.snapshot.current.relay.trustedProxies);

export async function readInbound(rt: Runtime, req: Request, spec: EndpointSpec, facts: PathFacts): Promise<Inbound> {
  if (spec.body === "multipart") {
    const { body, form } = await readFormBody(req, rt.maxBodyBytes);
    return { body, text: null, form, stream: false };
  }
  const { body, text } = await readCallBody(req, rt.maxBodyBytes, facts.model);
  if (facts.stream) body.stream = true;
  return { body, text, form: null, stream: spec.streamable && body.stream === true };
}

/** Checks 8–9: the key may use the model, and some group of it has a channel that can answer this
 * kind of request (natively or by translation). */
export function checkRoute(rt: Runtime, spec: EndpointSpec, token: TokenEntry, body: CallBody, groups: string[]) {
  const routes = rt.ctx.snapshot.current.routes;
  const refusal =
    checkModelAllowed(token, body.model) ??
    (isServed(routes, groups, body.model) ? null : refusals.modelNotFound(body.model)) ??
    (isServed(routes, groups, body.model, canServe(spec.endpoint)) ? null : refusals.endpointNotServed(body.model, spec.path));
  if (refusal) throw refusal;
}

export async function relayCall(rt: Runtime, req: Request, server: Bun.Server<unknown>, spec: EndpointSpec, facts: PathFacts = {}): Promise<Response> {
  const ip = requestIp(rt, req, server);
  const call = newCall(spec.endpoint, ip);
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    const { token, user } = authenticate(rt, req, ip, call);
    server.timeout(req, 0); // upstream timeouts govern from here, not Bun's 10 s idle limit
    const inbound = await readInbound(rt, req, spec, facts);
    call.model = inbound.body.model;
    call.stream = inbound.stream;
    const groups = tokenGroups(token);
    checkRoute(rt, spec, token, inbound.body, groups);
    call.billing = await holdFor(rt, { requestId: call.requestId, token, user }, inbound.body, groups, spec);
    return await forward(rt, req, call, spec, inbound, groups);
  } catch (e) {
    const err = e instanceof AppError ? e : refusals.internal();
    if (!(e instanceof AppError)) console.error("relay:", e);
    finishCall(rt, call, { status: err.status, errorCode: err.code, message: err.message });
    return errorResponse(err, call.requestId, spec.surface);
  }
}
