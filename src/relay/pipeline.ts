// One call on any surface, from request to response: checks (in the documented order, nothing
// forwarded and no balance touched on a refusal), then the failover loop (relay/attempt/failover.ts), then
// the metered response. Every call that got as far as a known token leaves a log row. The body is
// read under the body deadline (Bun's idle timer raised meanwhile); only once it is in do the
// upstream timeouts take over from Bun's idle limit.
import { checkModelAllowed, tokenGroups } from "../core/access";
import { refusals } from "../core/refusals";
import { isServed } from "../core/routing";
import { AppError } from "../errors";
import { requestClientIp } from "../http/client-ip";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import { authenticate } from "./checks/auth";
import { holdFor } from "./checks/hold";
import { type CallRate, rateScopes, takeRate } from "./checks/rate";
import { readCallBody, readFormBody, type CallBody } from "./checks/body";
import { finishCall } from "./settle/finish";
import { newCall, type CallRecord } from "./settle/record";
import type { EndpointSpec } from "./entry/endpoints";
import { callError, errorResponse } from "./entry/errors";
import { forward } from "./attempt/failover";
import { canServe, type Inbound } from "./plan/plan";
import type { Runtime } from "../runtime";

/** What the path says about the call (Gemini: the model, and whether it streams). */
export type PathFacts = { model?: string; stream?: boolean };

export const requestIp = (rt: Runtime, req: Request, server: Bun.Server<unknown>) =>
  requestClientIp(rt.ctx, req, server);

/** Checks 6–7: the body, read within the size limit and the body deadline. Once it is in, Bun's idle
 * timer is turned off: the upstream timeouts govern from here (a model may think for minutes). */
export async function readInbound(
  rt: Runtime,
  req: Request,
  server: Bun.Server<unknown>,
  spec: EndpointSpec,
  facts: PathFacts,
  requestId: string,
): Promise<Inbound> {
  const limits = { maxBytes: rt.maxBodyBytes, deadlineMs: rt.ctx.snapshot.current.relay.bodyTimeoutMs };
  try {
    let inbound: Inbound;
    if (spec.body === "multipart") {
      const { body, form } = await readFormBody(req, limits, server);
      inbound = { body, text: null, form, stream: false };
    } else {
      const { body, text } = await readCallBody(req, limits, server, facts.model);
      if (facts.stream) body.stream = true;
      inbound = { body, text, form: null, stream: spec.streamable && body.stream === true };
    }
    server.timeout(req, 0);
    return inbound;
  } catch (e) {
    // a client that hung up mid-body leaves one line (and its 499 row, when its key was known), no stack
    if (e instanceof AppError && e.status === 499)
      console.warn(`relay ${requestId}: the client closed the connection while sending the request body`);
    throw e;
  }
}

/** Refusals that may only mean that this server has not seen a write of another process yet (a
 * channel or a price the CLI added a moment ago): they are decided again once after catching up. */
const MAYBE_STALE = new Set(["model_not_found", "endpoint_not_supported", "model_price_not_set"]);

/** Whether `e` is such a refusal and the configuration did change (and was reloaded) since. */
export const staleRefusal = async (rt: Runtime, e: unknown) =>
  e instanceof AppError && MAYBE_STALE.has(e.code) && (await rt.ctx.snapshot.catchUp());

/** Checks 8–9: the key may use the model, and some group of it has a channel that can answer this
 * kind of request (natively or by translation). */
export function checkRoute(rt: Runtime, spec: EndpointSpec, token: TokenEntry, body: CallBody, groups: string[]) {
  const routes = rt.ctx.snapshot.current.routes;
  const refusal =
    checkModelAllowed(token, body.model) ??
    (isServed(routes, groups, body.model) ? null : refusals.modelNotFound(body.model)) ??
    (isServed(routes, groups, body.model, canServe(spec.endpoint))
      ? null
      : refusals.endpointNotServed(body.model, spec.path));
  if (refusal) throw refusal;
}

/** Checks 8–11: the route, then billing and the hold. */
function admit(
  rt: Runtime,
  spec: EndpointSpec,
  call: CallRecord,
  who: { token: TokenEntry; user: UserEntry },
  body: CallBody,
  groups: string[],
) {
  checkRoute(rt, spec, who.token, body, groups);
  return holdFor(rt, { requestId: call.requestId, ...who }, body, groups, spec);
}

/** The call's rate limits as it took them: kept for its end, and told in every answer's headers. */
function reportRate(rt: Runtime, call: CallRecord, spec: EndpointSpec, r: CallRate) {
  call.rate = r;
  call.headers = spec.surface.rateHeaders(r, rt.ctx.clock.nowMs());
}

export async function relayCall(
  rt: Runtime,
  req: Request,
  server: Bun.Server<unknown>,
  spec: EndpointSpec,
  facts: PathFacts = {},
): Promise<Response> {
  const ip = requestIp(rt, req, server);
  const call = newCall(spec.endpoint, ip);
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    if (rt.ctx.cluster && !rt.ctx.cluster.up) throw refusals.databaseUnavailable();
    const { token, user } = await authenticate(rt, req, ip, call);
    const inbound = await readInbound(rt, req, server, spec, facts, call.requestId);
    call.model = inbound.body.model;
    call.stream = inbound.stream;
    const groups = tokenGroups(token);
    try {
      call.billing = await admit(rt, spec, call, { token, user }, inbound.body, groups);
    } catch (e) {
      if (!(await staleRefusal(rt, e))) throw e;
      call.billing = await admit(rt, spec, call, { token, user }, inbound.body, groups);
    }
    const scopes = rateScopes(rt, token, user);
    if (scopes.length) await takeRate(rt, scopes, call.billing, (r) => reportRate(rt, call, spec, r));
    return await forward(rt, req, call, spec, inbound, groups);
  } catch (e) {
    const err = callError(e, call.requestId);
    finishCall(rt, call, { status: err.status, errorCode: err.code, message: err.message });
    return errorResponse(err, call.requestId, spec.surface, call.headers);
  }
}
