// The failover loop of one call: candidates in routing order (a session's pinned channel first),
// skipping channels that are off, broken, keyless or cannot serve the call's format; one attempt
// each up to max_attempts; a key the upstream rejects is retired, one out of credit cools down (both
// fail over, core/upstream-errors.ts decides which); the first success is answered. When nothing
// served, the client is told why in words that fit: rate limited, overloaded, the upstream's
// credentials rejected, its account out of credit or below the operator's balance threshold (never as
// the client's own quota), or failed. A served attempt's time to the upstream's answer feeds the
// channel's latency ring (core/latency.ts).
import { pinnedFirst } from "../../core/affinity";
import { redact } from "../../core/redact";
import { refusals } from "../../core/refusals";
import { candidates } from "../../core/routing";
import type { ChannelEntry } from "../../core/snapshot";
import { AppError } from "../../errors";
import { CHANNEL_STATUS, KEY_STATUS } from "../../core/status";
import { attemptUpstream, type AttemptFailed, type AttemptOk } from "./attempt";
import type { CallRecord } from "../settle/record";
import type { EndpointSpec } from "../entry/endpoints";
import {
  coolUpstreamKey,
  noteChannelFailure,
  noteChannelSuccess,
  restoreUpstreamKey,
  retireUpstreamKey,
} from "./health";
import { planFor, upstreamBody, type Inbound, type Plan } from "../plan/plan";
import { respondBinary, respondJson, respondStream, type ReplyPlan } from "../respond/respond";
import type { Runtime } from "../../runtime";
import { sessionOf } from "../plan/session";
import { usageOf } from "../wire";
import { keylessReason, pickKey } from "../plan/upstream-keys";

/** The session's pinned upstream key, when it is still usable. */
function keyFor(channel: ChannelEntry, pinned: { channelId: number; keyIndex: number } | undefined): number {
  if (pinned?.channelId === channel.id && channel.keyStates[pinned.keyIndex]?.status === KEY_STATUS.usable)
    return pinned.keyIndex;
  return pickKey(channel);
}

export async function forward(
  rt: Runtime,
  req: Request,
  call: CallRecord,
  spec: EndpointSpec,
  inbound: Inbound,
  groups: string[],
) {
  const snap = rt.ctx.snapshot.current;
  const session = sessionOf(req.headers, inbound.body);
  // per model too: Claude Code sends its small model (haiku) and its main one under one session id
  const affinityKey = session && call.token ? `${call.token.id}\u0000${inbound.body.model}\u0000${session}` : null;
  const pinned = affinityKey ? rt.affinity.get(affinityKey) : undefined;
  let last: AttemptFailed | null = null;
  let untranslatable: AppError | null = null;
  let tried = 0;
  // why candidates were skipped: a breaker (transient), or no live key (dead, or out of credit)
  let breakerOpen = false;
  let keyless: "dead" | "unfunded" | null = null;
  for (const { channel, group } of pinnedFirst(
    candidates(snap.routes, groups, inbound.body.model),
    pinned?.channelId,
  )) {
    if (tried >= snap.relay.maxAttempts || req.signal.aborted) break;
    const plan = planFor(spec.endpoint, channel);
    if (!plan || channel.status === CHANNEL_STATUS.disabled) continue;
    if (channel.status !== CHANNEL_STATUS.enabled) {
      keyless ??= "dead";
      continue;
    }
    if (channel.balanceLow) {
      keyless = "unfunded"; // below the operator's threshold for its upstream balance
      continue;
    }
    rt.breakers.sync(channel.id, channel.healthEpoch);
    if (rt.breakers.state(channel.id, rt.ctx.clock.nowMs()) === "open") {
      breakerOpen = true;
      continue;
    }
    const keyIndex = keyFor(channel, pinned);
    if (keyIndex < 0) {
      if (keyless !== "unfunded") keyless = keylessReason(channel);
      continue;
    }
    const upstreamModel = channel.mapping.get(inbound.body.model) ?? inbound.body.model;
    let body: string | FormData;
    try {
      body = upstreamBody(plan, inbound, channel, upstreamModel, call.billing?.outputLimit?.tokens ?? null);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      untranslatable = e; // another channel may speak the client's format natively
      continue;
    }
    // last: a half-open breaker gives out its one probe here, to a call that is sure to be sent
    if (!rt.breakers.allow(channel.id, rt.ctx.clock.nowMs())) continue;
    tried++;
    const upstreamCall = {
      endpoint: plan.upstream,
      model: upstreamModel,
      stream: inbound.stream,
      headers: req.headers,
      body,
    };
    const r = await attemptUpstream(plan.provider, channel, channel.keys[keyIndex], upstreamCall, req.signal, true);
    call.attempts.push({
      channel_id: channel.id,
      status: r.ok ? r.response.status : r.status,
      ms: Math.round(r.ms),
      ...(r.ok ? {} : { error: r.failure, cause: r.cause }),
    });
    rt.metrics.attempt(channel.id, r.ok ? null : r.failure);
    Object.assign(call, { group, channelId: channel.id, upstreamModel, sentUpstream: r.ok || r.sent });
    if (r.ok) {
      rt.ctx.latencies.record(channel.id, r.ms, Date.now());
      rt.breakers.success(channel.id);
      noteChannelSuccess(rt, channel);
      if (channel.keyStates[keyIndex].status !== KEY_STATUS.usable) restoreUpstreamKey(rt, channel, keyIndex);
      if (affinityKey) rt.affinity.set(affinityKey, channel.id, keyIndex);
      return respond(rt, call, spec, inbound, plan, r, channel, req.signal);
    }
    // the client left, the key was refused, or the request was: no verdict on the channel
    const noVerdict =
      r.failure === "client_gone" || r.failure === "key_dead" || r.failure === "unfunded" || r.failure === "client";
    if (noVerdict) rt.breakers.release(channel.id);
    if (r.failure === "client_gone") throw refusals.clientGone(); // not the channel's fault: no breaker count
    if (r.failure === "key_dead" || r.failure === "unfunded") {
      (r.failure === "key_dead" ? retireUpstreamKey : coolUpstreamKey)(rt, channel, keyIndex, r.cause);
      noteChannelFailure(rt, channel, r.cause);
      last = r;
      continue; // the next key or channel may serve; never the client's own quota or key error
    }
    if (r.failure === "client") {
      const message = redact(plan.provider.errorMessage(r.body) ?? `the upstream answered ${r.status}`, channel.keys);
      throw new AppError(r.status, "upstream_error", message, null);
    }
    rt.breakers.failure(channel.id, rt.ctx.clock.nowMs());
    noteChannelFailure(rt, channel, r.cause);
    if (r.failure === "server") {
      const message = redact(plan.provider.errorMessage(r.body) ?? `the upstream answered ${r.status}`, channel.keys);
      throw new AppError(r.status, "upstream_error", message, null);
    }
    last = r;
  }
  if (tried === 0)
    throw (
      untranslatable ??
      (breakerOpen || !keyless
        ? refusals.noChannel()
        : keyless === "dead"
          ? refusals.upstreamKeyRejected()
          : refusals.upstreamUnfunded())
    );
  if (last?.failure === "key_dead") throw refusals.upstreamKeyRejected();
  if (last?.failure === "unfunded") throw refusals.upstreamUnfunded();
  if (last?.status === 429) throw refusals.rateLimited(last.retryAfter);
  if (last?.status === 503 || last?.status === 529) throw refusals.overloaded();
  throw refusals.upstream();
}

function respond(
  rt: Runtime,
  call: CallRecord,
  spec: EndpointSpec,
  inbound: Inbound,
  plan: Plan,
  r: AttemptOk,
  channel: ChannelEntry,
  client: AbortSignal,
) {
  const base: ReplyPlan = {
    usage: usageOf(plan.upstream),
    abortUpstream: r.abort,
    idleMs: channel.timeouts.idleMs,
    secrets: channel.keys,
    client,
  };
  const { body } = inbound;
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  if (spec.binary) return respondBinary(rt, call, r.response, base);
  if (!inbound.stream) {
    const t = plan.translation;
    return respondJson(
      rt,
      call,
      body,
      r.response,
      t ? { ...base, translateJson: (reply) => t.reply(reply, body.model) } : base,
    );
  }
  return respondStream(rt, call, body, r.response, {
    ...base,
    stripUsage: !plan.translation && !includeUsage && (spec.endpoint === "chat" || spec.endpoint === "completions"),
    errorEvent: spec.surface.streamError,
    transform: plan.translation?.stream({ model: body.model, includeUsage }),
  });
}
