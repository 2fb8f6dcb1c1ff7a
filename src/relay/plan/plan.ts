// How one channel serves one call: natively (the body goes as it came, model mapped), or by
// translation through the chat pivot to the format the channel speaks; null when it cannot.
// And the upstream body that follows from the plan.
import type { ChannelEntry } from "../../core/snapshot";
import type { CallBody } from "../checks/body";
import { providerFor } from "../wire";
import { asksOutput, asksOverCap, capOutput, limitOutput, limitText } from "./output-cap";
import type { Endpoint, Provider } from "../wire/contract";
import { canTranslate, PIVOT_TARGETS, translation, type Translation } from "../wire/translate";

export type Plan = { provider: Provider; upstream: Endpoint; translation: Translation | null };

/** What the channel is sent for this endpoint: the endpoint itself when it speaks it, else the
 * first pivot target it speaks that can carry a translation; null when none. */
function upstreamFor(endpoint: Endpoint, serves: ReadonlySet<Endpoint>): Endpoint | null {
  if (serves.has(endpoint)) return endpoint;
  return PIVOT_TARGETS.find((target) => serves.has(target) && canTranslate(endpoint, target)) ?? null;
}

export function planFor(endpoint: Endpoint, channel: ChannelEntry): Plan | null {
  const provider = providerFor(channel.type);
  const upstream = provider && upstreamFor(endpoint, provider.serves(channel));
  if (!provider || !upstream) return null;
  return { provider, upstream, translation: upstream === endpoint ? null : translation(endpoint, upstream) };
}

/** Can the channel serve the endpoint at all (decided without building a translation)? */
export const canServe = (endpoint: Endpoint) => (channel: ChannelEntry) => {
  const provider = providerFor(channel.type);
  return !!provider && upstreamFor(endpoint, provider.serves(channel)) !== null;
};

/** What the client sent, as the relay holds it. */
export type Inbound = { body: CallBody; text: string | null; form: FormData | null; stream: boolean };

/** The body for the upstream: the client's text when nothing needs rewriting, else the body with
 * the model mapped (native) or translated, its output ask lowered to the channel's cap, and held to
 * `holdLimit` (the output the hold covers; null: the call's own ask stands), in the upstream
 * format's field. Translation may throw a 400 naming what it cannot carry. */
export function upstreamBody(
  plan: Plan,
  inbound: Inbound,
  channel: ChannelEntry,
  upstreamModel: string,
  holdLimit: number | null = null,
): string | FormData {
  const { body, text, form, stream } = inbound;
  const cap = channel.maxOutputTokens;
  if (form) {
    form.set("model", upstreamModel);
    return form;
  }
  // the hold's limit, no higher than the channel's cap; applied to the body the upstream gets
  const limit = holdLimit === null ? null : cap > 0 ? Math.min(holdLimit, cap) : holdLimit;
  const shape = <T extends Record<string, unknown>>(b: T): T =>
    limit === null ? capOutput(b, cap) : limitOutput(b, plan.upstream, limit);
  if (plan.translation) {
    const translated = shape(plan.translation.request(body, upstreamModel, stream));
    return plan.provider.prepareBody(plan.upstream, translated, upstreamModel, stream);
  }
  if (text !== null && upstreamModel === body.model && !stream && !asksOverCap(body, limit ?? cap)) {
    if (limit === null || asksOutput(body)) return text;
    const spliced = limitText(text, body, plan.upstream, limit);
    if (spliced !== null) return spliced;
  }
  return plan.provider.prepareBody(plan.upstream, shape({ ...body }), upstreamModel, stream);
}
