// The channel test (POST /api/channel/:id/test): one minimal call in the channel's own format, reporting
// status and latency. It uses the channel's next usable key and never shows it.
import { z } from "zod";
import { redact } from "../core/redact";
import { notFound } from "../errors";
import type { Ctx } from "../services/context";
import { validate } from "../services/validate";
import { attemptUpstream } from "./attempt";
import { providerFor } from "./providers";
import { pickKey } from "./upstream-keys";

export const ProbeInput = z.object({ model: z.string().min(1).max(200).optional().describe("default: the channel's first model") });

export async function probeChannel(ctx: Ctx, id: number, input: unknown) {
  const { model: asked } = validate(ProbeInput, input);
  const channel = ctx.snapshot.current.channelsById.get(id);
  if (!channel) throw notFound(`channel ${id}`);
  const provider = providerFor(channel.type);
  const model = asked ?? [...channel.models][0];
  const keyIndex = pickKey(channel);
  if (!provider || keyIndex < 0) return { ok: false, status: 0, latency_ms: 0, model, message: "the channel has no usable upstream key" };
  const upstreamModel = channel.mapping.get(model) ?? model;
  const probe = provider.probe(model);
  const body = provider.prepareBody(probe.endpoint, probe.body, upstreamModel, false);
  const call = { endpoint: probe.endpoint, model: upstreamModel, stream: false, headers: new Headers(), body };
  const r = await attemptUpstream(provider, channel, channel.keys[keyIndex], call, AbortSignal.timeout(channel.timeouts.firstByteMs));
  if (r.ok) await r.response.arrayBuffer();
  const message = r.ok ? "ok" : redact(provider.errorMessage(r.body) ?? (r.status ? `the upstream answered ${r.status}` : r.failure), channel.keys);
  return { ok: r.ok, status: r.ok ? r.response.status : r.status, latency_ms: Math.round(r.ms), model, message };
}
