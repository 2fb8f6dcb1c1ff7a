// One /v1 call from request to response: checks (in the documented order, nothing forwarded and no
// balance touched on a refusal), then the failover loop over the token's groups and channels, then
// the metered response. Every call that got as far as a known token leaves a log row.
import { checkModelAllowed, tokenGroups } from "../core/access";
import { clientIp } from "../core/ip";
import { redact } from "../core/redact";
import { refusals } from "../core/refusals";
import { candidates, isServed } from "../core/routing";
import { AppError } from "../errors";
import { readCallBody, type CallBody } from "./body";
import { authenticate } from "./auth";
import { holdFor } from "./billing";
import { attemptUpstream, type AttemptFailed } from "./attempt";
import { finishCall, newCall, type CallRecord } from "./call-log";
import { errorResponse } from "./errors";
import { retireUpstreamKey } from "./health";
import { providerFor } from "./providers";
import type { Endpoint } from "./providers/types";
import { respondJson, respondStream } from "./respond";
import type { Runtime } from "./runtime";
import { pickKey } from "./upstream-keys";

const STREAMABLE = new Set<Endpoint>(["chat", "completions"]);

export async function relayCall(rt: Runtime, req: Request, server: Bun.Server<unknown>, endpoint: Endpoint): Promise<Response> {
  const ip = clientIp(server.requestIP(req)?.address ?? "", req.headers.get("x-forwarded-for"), rt.ctx.snapshot.current.relay.trustedProxies);
  const call = newCall(endpoint, ip);
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    const { token, user } = authenticate(rt, req, ip, call);
    server.timeout(req, 0); // upstream timeouts govern from here, not Bun's 10 s idle limit
    const { body, text } = await readCallBody(req, rt.maxBodyBytes);
    call.model = body.model;
    call.stream = body.stream === true && STREAMABLE.has(endpoint);
    const groups = tokenGroups(token);
    const refusal =
      checkModelAllowed(token, body.model) ??
      (isServed(rt.ctx.snapshot.current.routes, groups, body.model) ? null : refusals.modelNotFound(body.model));
    if (refusal) throw refusal;
    call.billing = await holdFor(rt, { requestId: call.requestId, token, user }, body, groups);
    return await forward(rt, req, call, body, text, groups, endpoint);
  } catch (e) {
    const err = e instanceof AppError ? e : refusals.internal();
    if (!(e instanceof AppError)) console.error("relay:", e);
    finishCall(rt, call, { status: err.status, errorCode: err.code, message: err.message });
    return errorResponse(err, call.requestId);
  }
}

async function forward(rt: Runtime, req: Request, call: CallRecord, body: CallBody, text: string, groups: string[], endpoint: Endpoint) {
  const snap = rt.ctx.snapshot.current;
  let last: AttemptFailed | null = null;
  let tried = 0;
  for (const { channel, group } of candidates(snap.routes, groups, body.model)) {
    if (tried >= snap.relay.maxAttempts || req.signal.aborted) break;
    const provider = providerFor(channel.type);
    if (channel.status !== 1 || !provider || !rt.breakers.allow(channel.id, Date.now())) continue;
    const keyIndex = pickKey(channel);
    if (keyIndex < 0) continue;
    tried++;
    const upstreamModel = channel.mapping.get(body.model) ?? body.model;
    // a body that needs no rewriting (same model, no stream options to add) goes as the client sent it
    const payload = upstreamModel === body.model && !call.stream ? text : provider.prepareBody(endpoint, { ...body }, upstreamModel, call.stream);
    const r = await attemptUpstream(provider, channel, channel.keys[keyIndex], endpoint, payload, req.signal);
    call.attempts.push({ channel_id: channel.id, status: r.ok ? r.response.status : r.status, ms: Math.round(r.ms), ...(r.ok ? {} : { error: r.failure }) });
    rt.metrics.attempt(channel.id, r.ok ? null : r.failure);
    Object.assign(call, { group, channelId: channel.id, upstreamModel });
    if (r.ok) {
      rt.breakers.success(channel.id);
      return call.stream
        ? respondStream(rt, call, body, r.response, r.abort, channel.timeouts.idleMs)
        : respondJson(rt, call, provider, body, r.response, r.abort, channel.timeouts.idleMs);
    }
    if (r.failure === "client_gone") throw refusals.clientGone(); // not the channel's fault: no breaker count
    if (r.failure === "key_invalid") {
      retireUpstreamKey(rt, channel, keyIndex, `the upstream answered ${r.status}: ${redact(provider.errorMessage(r.body) ?? "", channel.keys)}`);
      continue;
    }
    if (r.failure !== "client") rt.breakers.failure(channel.id, Date.now());
    if (r.failure === "client" || r.failure === "server") {
      const message = redact(provider.errorMessage(r.body) ?? `the upstream answered ${r.status}`, channel.keys);
      throw new AppError(r.status, "upstream_error", message, null);
    }
    last = r;
  }
  if (tried === 0) throw refusals.noChannel();
  if (last?.status === 429) throw refusals.rateLimited(last.retryAfter);
  throw refusals.upstream();
}
