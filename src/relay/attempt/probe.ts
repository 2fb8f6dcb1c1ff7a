// The channel test (POST /api/channel/:id/test, the console's Test button, `apiyi channel test`): one
// minimal call in the channel's own format through the same guarded attempt as a relayed call,
// reporting status, latency and, when it failed, the cause in words (connection refused to host:port,
// TLS, timeout, DNS, a refused redirect or address, the upstream's own error). It uses the channel's
// next usable key, or when none is left its first key: a Test is how an admin checks that a fixed
// upstream account works again, and a pass re-enables a channel disabled automatically. Never shows a key.
import { z } from "zod";
import { notFound } from "../../errors";
import type { Ctx } from "../../services/context";
import { recordTestResult } from "../../services/channels";
import { validate } from "../../services/validate";
import { attemptUpstream } from "./attempt";
import { providerFor } from "../wire";
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

export async function probeChannel(ctx: Ctx, id: number, input: unknown): Promise<ProbeResult> {
  const { model: asked } = validate(ProbeInput, input);
  const channel = ctx.snapshot.current.channelsById.get(id);
  if (!channel) throw notFound(`channel ${id}`);
  const provider = providerFor(channel.type);
  const model = asked ?? [...channel.models][0];
  const usable = pickKey(channel);
  const keyIndex = Math.max(usable, 0);
  if (!provider || !channel.keys.length)
    return {
      ok: false,
      status: 0,
      latency_ms: 0,
      model,
      message: "the channel has no upstream key",
      re_enabled: false,
    };
  const upstreamModel = channel.mapping.get(model) ?? model;
  const probe = provider.probe(model);
  const body = provider.prepareBody(probe.endpoint, probe.body, upstreamModel, false);
  const call = { endpoint: probe.endpoint, model: upstreamModel, stream: false, headers: new Headers(), body };
  const r = await attemptUpstream(
    provider,
    channel,
    channel.keys[keyIndex],
    call,
    AbortSignal.timeout(channel.timeouts.firstByteMs),
  );
  if (r.ok) await r.response.arrayBuffer();
  const message = r.ok ? "ok" : r.cause;
  const re_enabled = recordTestResult(ctx, id, r.ok, message);
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
