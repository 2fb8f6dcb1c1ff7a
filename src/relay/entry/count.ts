// Anthropic's count_tokens and Gemini's countTokens: the same key and model checks as a call, then
// the upstream's own counter when the first usable channel has one (anthropic / gemini), else a
// local o200k count of the prompt. Not billed and not logged (Claude Code's /context sends ~13).
import { tokenGroups } from "../../core/access";
import { refusals } from "../../core/refusals";
import { candidates } from "../../core/routing";
import { promptText } from "../../core/text";
import { countTokens } from "../../core/tokenizer";
import { attemptUpstream } from "../attempt/attempt";
import { authenticate } from "../checks/auth";
import { CHANNEL_STATUS } from "../../core/status";
import type { EndpointSpec } from "./endpoints";
import { errorResponse } from "./errors";
import { checkRoute, readInbound, requestIp, staleRefusal, type PathFacts } from "../pipeline";
import { providerFor } from "../wire";
import type { Endpoint } from "../wire/contract";
import type { Runtime } from "../../runtime";
import { pickKey } from "../plan/upstream-keys";

/** The counting endpoint, and how its answer looks when counted locally. */
export type Counter = { spec: EndpointSpec; upstream: Endpoint; local: (tokens: number) => unknown };

export async function countCall(
  rt: Runtime,
  req: Request,
  server: Bun.Server<unknown>,
  counter: Counter,
  facts: PathFacts = {},
): Promise<Response> {
  const requestId = crypto.randomUUID();
  try {
    if (rt.life.draining) throw refusals.shuttingDown();
    const { token } = await authenticate(rt, req, requestIp(rt, req, server));
    const inbound = await readInbound(rt, req, server, counter.spec, facts, requestId);
    const groups = tokenGroups(token);
    try {
      checkRoute(rt, counter.spec, token, inbound.body, groups);
    } catch (e) {
      if (!(await staleRefusal(rt, e))) throw e;
      checkRoute(rt, counter.spec, token, inbound.body, groups);
    }
    const upstream = await upstreamCount(rt, req, counter, inbound.body, groups);
    if (upstream)
      return new Response(upstream, { headers: { "content-type": "application/json", "x-request-id": requestId } });
    return Response.json(counter.local(await countTokens(promptText(inbound.body))), {
      headers: { "x-request-id": requestId },
    });
  } catch (e) {
    return errorResponse(e, requestId, counter.spec.surface); // logs what is unexpected
  }
}

/** The first usable channel's own count, when it has a counter; null otherwise or when it fails. */
async function upstreamCount(
  rt: Runtime,
  req: Request,
  counter: Counter,
  body: Record<string, unknown> & { model: string },
  groups: string[],
) {
  const snap = rt.ctx.snapshot.current;
  for (const { channel } of candidates(snap.routes, groups, body.model)) {
    const provider = providerFor(channel.type);
    // only closed breakers: counting never takes a half-open channel's probe (it reports no outcome)
    if (
      !provider ||
      channel.status !== CHANNEL_STATUS.enabled ||
      rt.breakers.state(channel.id, Date.now()) !== "closed"
    )
      continue;
    if (!provider.serves(channel).has(counter.upstream)) return null;
    const keyIndex = pickKey(channel);
    if (keyIndex < 0) return null;
    const model = channel.mapping.get(body.model) ?? body.model;
    const payload = provider.prepareBody(counter.upstream, { ...body }, model, false);
    const call = { endpoint: counter.upstream, model, stream: false, headers: req.headers, body: payload };
    const r = await attemptUpstream(provider, channel, channel.keys[keyIndex], call, req.signal);
    if (!r.ok) return null;
    return r.response.text().catch(() => null);
  }
  return null;
}
