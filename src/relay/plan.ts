// How one channel serves one call: natively (the body goes as it came, model mapped), or by
// translation through the chat pivot to the format the channel speaks; null when it cannot.
// And the upstream body that follows from the plan.
import type { ChannelEntry } from "../core/snapshot";
import type { CallBody } from "./body";
import { providerFor } from "./providers";
import { asksOverCap, capOutput } from "./output-cap";
import type { Endpoint, Provider } from "./providers/types";
import { CODECS, PIVOT_TARGETS, translation, type Translation } from "./translate";

export type Plan = { provider: Provider; upstream: Endpoint; translation: Translation | null };

export function planFor(endpoint: Endpoint, channel: ChannelEntry): Plan | null {
  const provider = providerFor(channel.type);
  if (!provider) return null;
  const serves = provider.serves(channel);
  if (serves.has(endpoint)) return { provider, upstream: endpoint, translation: null };
  if (!CODECS[endpoint]) return null;
  for (const target of PIVOT_TARGETS) {
    if (!serves.has(target)) continue;
    const t = translation(endpoint, target);
    if (t) return { provider, upstream: target, translation: t };
  }
  return null;
}

export const canServe = (endpoint: Endpoint) => (channel: ChannelEntry) => planFor(endpoint, channel) !== null;

/** What the client sent, as the relay holds it. */
export type Inbound = { body: CallBody; text: string | null; form: FormData | null; stream: boolean };

/** The body for the upstream: the client's text when nothing needs rewriting, else the body with
 * the model mapped (native) or translated, its output ask lowered to the channel's cap.
 * Translation may throw a 400 naming what it cannot carry. */
export function upstreamBody(plan: Plan, inbound: Inbound, channel: ChannelEntry, upstreamModel: string): string | FormData {
  const { body, text, form, stream } = inbound;
  const cap = channel.maxOutputTokens;
  if (form) {
    form.set("model", upstreamModel);
    return form;
  }
  if (plan.translation) {
    const translated = capOutput(plan.translation.request(body, upstreamModel, stream), cap);
    return plan.provider.prepareBody(plan.upstream, translated, upstreamModel, stream);
  }
  if (text !== null && upstreamModel === body.model && !stream && !asksOverCap(body, cap)) return text;
  return plan.provider.prepareBody(plan.upstream, capOutput({ ...body }, cap), upstreamModel, stream);
}
