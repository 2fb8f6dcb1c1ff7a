// The channel test (POST /api/channel/:id/test, the console's Test button, `apiyi channel test`): one
// minimal call in the channel's own format (its output limit suits the upstream's model:
// wire/openai/reasoning.ts) through the same guarded attempt as a relayed call, reporting status,
// latency and, when it failed, the cause in words (connection refused to host:port, TLS, timeout, DNS,
// a refused redirect or address, the upstream's own error). It uses the channel's next usable key, or
// when none is left its first key: a Test is how an admin checks that a fixed upstream account works
// again, and a pass re-enables a channel disabled automatically. Never shows a key.
// `probeKey` is the one call, with a given key, within a deadline (the Test button's: the channel's
// first-byte timeout; the scheduled test (heal.ts) gives its own, shorter one). A type that serves no
// call to probe (video only: dashscope) is tested with its provider's `check`, a cheap keyed request
// (DashScope: the status of a task that does not exist) that shows the key is accepted, no video made.
import { z } from "zod";
import type { ChannelEntry } from "../../core/snapshot";
import { notFound } from "../../errors";
import { readCapped } from "../../net/fetch-small";
import type { Ctx } from "../../services/context";
import { recordTestResult } from "../../services/channels";
import { validate } from "../../services/validate";
import { attemptUpstream, type AttemptFailed, type AttemptOk } from "./attempt";
import { providerFor } from "../wire";
import type { Endpoint, Provider } from "../wire/contract";
import { pickKey } from "../plan/upstream-keys";

export const ProbeInput = z.object({
  model: z.string().min(1).max(200).optional().describe("default: the channel's first model"),
});

export type ProbeResult = {
  ok: boolean;
  status: number;
  latency_ms: number;
  model: string;
  message: string;
  /** the failure's class (core/upstream-errors.ts, or network, timeout, refused) when it failed */
  failure?: string;
  /** the channel was disabled automatically and this pass enabled it again */
  re_enabled: boolean;
};

/** One probe call: what was asked ("key_check": the provider's `check`, no model called), the
 * attempt's outcome, and a passing reply's body (for its usage). */
export type KeyProbe = {
  endpoint: Endpoint | "key_check";
  upstreamModel: string;
  r: AttemptOk | AttemptFailed;
  text: string;
};

/** What the test sends: the provider's minimal call, or its key check (made the provider's one request). */
function testCall(provider: Provider, upstreamModel: string) {
  const call = { model: upstreamModel, stream: false, headers: new Headers() };
  const { check, probe } = provider;
  if (check)
    return {
      endpoint: "key_check" as const,
      provider: { ...provider, request: check },
      call: { ...call, endpoint: "chat" as const, body: "" },
    };
  if (!probe) throw new Error(`upstream type ${provider.type} has neither probe nor check`);
  const p = probe(upstreamModel); // what the upstream accepts depends on its own name
  const body = provider.prepareBody(p.endpoint, p.body, upstreamModel, false);
  return { endpoint: p.endpoint, provider, call: { ...call, endpoint: p.endpoint, body } };
}

/** What a passing key check says: what it proved, and what it did not. */
const KEY_CHECKED = "ok: the upstream accepted the key (a video-only channel is tested without making a video)";

/** A passing probe's reply is a one-token answer; anything longer is not read. */
const REPLY_LIMIT = 64 * 1024;

/** The attempt stopped by the probe's deadline (its signal stands for the attempt's client, so it
 * reads "client_gone"): a timeout of the upstream's, as the channel's own timeouts give one. */
const pastDeadline = (r: AttemptOk | AttemptFailed, deadlineMs: number): AttemptOk | AttemptFailed =>
  r.ok || r.failure !== "client_gone"
    ? r
    : { ...r, failure: "timeout", cause: `timeout: no answer within the channel test's ${deadlineMs} ms` };

/** One minimal call to the channel with its key `keyIndex`, connect, first byte and reply within
 * `deadlineMs` (the channel's own timeouts still apply when shorter). */
export async function probeKey(
  channel: ChannelEntry,
  keyIndex: number,
  model: string,
  deadlineMs = channel.timeouts.firstByteMs,
): Promise<KeyProbe> {
  const upstreamModel = channel.mapping.get(model) ?? model;
  const { endpoint, provider, call } = testCall(providerFor(channel.type)!, upstreamModel);
  const signal = AbortSignal.timeout(deadlineMs);
  const r = pastDeadline(await attemptUpstream(provider, channel, channel.keys[keyIndex], call, signal), deadlineMs);
  const text = r.ok ? await readCapped(r.response, REPLY_LIMIT, "the upstream").catch(() => "") : "";
  return { endpoint, upstreamModel, r, text };
}

export async function probeChannel(ctx: Ctx, id: number, input: unknown): Promise<ProbeResult> {
  const { model: asked } = validate(ProbeInput, input);
  const channel = ctx.snapshot.current.channelsById.get(id);
  if (!channel) throw notFound(`channel ${id}`);
  const model = asked ?? [...channel.models][0];
  if (!providerFor(channel.type) || !channel.keys.length)
    return {
      ok: false,
      status: 0,
      latency_ms: 0,
      model,
      message: "the channel has no upstream key",
      re_enabled: false,
    };
  const { r, endpoint } = await probeKey(channel, Math.max(pickKey(channel), 0), model);
  const message = !r.ok ? r.cause : endpoint === "key_check" ? KEY_CHECKED : "ok";
  const re_enabled = await recordTestResult(ctx, id, r.ok, message);
  if (r.ok) ctx.breakers.reset(id);
  return {
    ok: r.ok,
    status: r.ok ? r.response.status : r.status,
    latency_ms: Math.round(r.ms),
    model,
    message: re_enabled ? "ok; the channel was disabled automatically and is enabled again" : message,
    ...(r.ok ? {} : { failure: r.failure }),
    re_enabled,
  };
}
