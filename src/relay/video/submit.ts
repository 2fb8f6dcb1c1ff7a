// Submitting a video job (POST /v1/videos, and Gemini's :predictLongRunning through the same steps):
// the key's checks, the model's video price, a hold of the seconds asked (or the model's default) at
// the highest multiplier of the key's groups, then the channels in routing order until one accepts.
// An out-of-credit answer or a retryable failure tries the next channel (neither disables one); a
// refusal of the request itself ends the submit. An upstream that cannot make what is asked (a size
// Veo has not, a field it has no place for) is passed over; when no channel can, its 400 (naming
// the field) is the answer. The accepted job is written with its hold (SQLite: the holds row keyed by
// the job's id; PostgreSQL: the hold moves from the instance's quota lease into the job's row in the
// same transaction) and stays on that channel and upstream key; the poller takes it from there.
import { checkModelAllowed, tokenGroups } from "../../core/access";
import { holdMultiplier } from "../../core/hold-policy";
import { refusals } from "../../core/refusals";
import { candidates } from "../../core/routing";
import type { ChannelEntry, TokenEntry, UserEntry } from "../../core/snapshot";
import { CHANNEL_STATUS } from "../../core/status";
import { videoHold } from "../../core/video/billing";
import { newVideoId } from "../../core/video/ids";
import { nextPollAt } from "../../core/video/schedule";
import { AppError } from "../../errors";
import type { Runtime } from "../../runtime";
import { liveEntries } from "../checks/hold";
import { pickKey } from "../plan/upstream-keys";
import type { CallRecord } from "../settle/record";
import { providerFor } from "../wire";
import type { UpstreamRequest, VideoAsk, VideoUpstream } from "./contract";
import { releaseVideoHold } from "./end";
import type { ClientAsk } from "./openai-shape";
import { videoRequest } from "./upstream";

type Who = { token: TokenEntry; user: UserEntry };

const videoOf = (c: ChannelEntry): VideoUpstream | undefined => providerFor(c.type)?.video;

/** The upstream's submit request, or its refusal of an ask it cannot make (a size, an image…). */
function askOf(video: VideoUpstream, channel: ChannelEntry, key: string, job: VideoAsk): UpstreamRequest | AppError {
  try {
    return video.submit(channel, key, job);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

/** The price and the hold (refusals: not a video model here, no price, a bad ask, no balance). */
async function holdVideo(rt: Runtime, call: CallRecord, who: Who, ask: ClientAsk, groups: string[], jobId: string) {
  const snap = rt.ctx.snapshot.current;
  const refusal = checkModelAllowed(who.token, ask.model);
  if (refusal) throw refusal;
  const served = groups.some((g) =>
    snap.routes
      .get(g)
      ?.get(ask.model)
      ?.some((c) => !!videoOf(c)),
  );
  if (!served) throw refusals.modelNotFound(ask.model);
  const price = snap.prices.get(ask.model)?.video;
  if (!price) throw refusals.priceNotSet(ask.model);
  const multiplier = holdMultiplier(snap.routes, snap.groupsByName, groups, ask.model);
  const held = videoHold(price, { seconds: ask.seconds ?? undefined, size: ask.size || undefined }, multiplier);
  if (held instanceof AppError) throw held;
  const live = liveEntries(rt, who.token, who.user);
  const taking = rt.ctx.accounts.reserve(
    rt.ctx.accounts.view(live.token, live.user),
    held.units,
    `${held.seconds} s of ${ask.model}`,
  );
  const hold = taking instanceof Promise ? await taking : taking;
  if (hold instanceof AppError) throw hold;
  rt.ctx.ledger.hold({ requestId: jobId, tokenId: who.token.id, userId: who.user.id }, hold);
  call.model = ask.model;
  return { price, held, hold };
}

/** Submits the job; returns its row as written, or throws the refusal (its hold released). */
export async function submitVideo(
  rt: Runtime,
  call: CallRecord,
  who: Who,
  ask: ClientAsk,
  inbound: "openai" | "gemini",
) {
  const snap = rt.ctx.snapshot.current;
  const groups = tokenGroups(who.token);
  const id = newVideoId();
  const { price, held, hold } = await holdVideo(rt, call, who, ask, groups, id);
  let last: { status: number; cause: string } | null = null;
  let refused: AppError | null = null;
  let tried = 0;
  for (const { channel, group } of candidates(snap.routes, groups, ask.model)) {
    const video = videoOf(channel);
    if (!video || channel.status !== CHANNEL_STATUS.enabled || channel.balanceLow) continue;
    if (tried >= snap.relay.maxAttempts) break;
    const keyIndex = pickKey(channel);
    if (keyIndex < 0) continue;
    const upstreamModel = channel.mapping.get(ask.model) ?? ask.model;
    const job = { ...ask, model: upstreamModel, seconds: held.seconds };
    const request = askOf(video, channel, channel.keys[keyIndex]!, job);
    if (request instanceof AppError) {
      refused = request; // this upstream cannot make it: another may
      continue;
    }
    tried++;
    const started = performance.now();
    const r = await videoRequest(channel, request);
    const upstreamId = r.ok ? video.submitted(r.json) : null;
    call.attempts.push({
      channel_id: channel.id,
      status: r.status,
      ms: Math.round(performance.now() - started),
      ...(r.ok ? {} : { error: "video_submit", cause: r.cause }),
    });
    Object.assign(call, { group, channelId: channel.id, upstreamModel });
    if (r.ok && upstreamId) {
      const now = rt.ctx.clock.nowMs();
      const multiplierMicros = snap.groupsByName.get(group)?.multiplierMicros ?? 1_000_000;
      const row = {
        id,
        userId: who.user.id,
        tokenId: who.token.id,
        requestId: call.requestId,
        inbound,
        model: ask.model,
        upstreamModel,
        group,
        channelId: channel.id,
        keyIndex,
        upstreamId,
        state: "queued",
        prompt: ask.prompt.slice(0, 2000),
        size: ask.size,
        seconds: held.seconds,
        price: JSON.stringify({ ...price, held }),
        multiplierMicros,
        holdUnits: held.units,
        ip: call.ip,
        attempts: JSON.stringify(call.attempts),
        nextPollAt: nextPollAt(now, 0),
        createdAt: now,
        updatedAt: now,
      };
      await rt.ctx.ledger.flushed(); // the hold is on disk before the job that owns it
      await rt.ctx.tx(async () => {
        // on PostgreSQL the hold leaves this instance's lease for the job's row, in the same transaction
        const kept = await rt.ctx.accounts.keep(rt.ctx.accounts.view(who.token, who.user), hold);
        await rt.ctx.store.videos.insert({ ...row, hold: JSON.stringify(kept) });
      });
      return (await rt.ctx.store.videos.byId(id))!;
    }
    // the channel's fault, not the request's (out of credit, a bad or unauthorized key, a missing
    // route, overload, a network failure): the next channel may take it
    const channelFault =
      video.unfunded(r.status, r.text) || [0, 401, 403, 404, 429].includes(r.status) || r.status >= 500;
    if (r.ok || channelFault) {
      last = { status: r.ok ? 502 : r.status, cause: r.ok ? "the upstream accepted the job without an id" : r.cause };
      continue;
    }
    releaseVideoHold(rt, who, id, hold);
    throw new AppError(r.status, "upstream_refused", `the upstream refused the video job: ${r.cause}`, null);
  }
  releaseVideoHold(rt, who, id, hold);
  if (!last) throw refused ?? refusals.modelNotFound(ask.model);
  throw new AppError(
    502,
    "upstream_error",
    `no channel accepted the video job; last: ${last.cause}`,
    null,
    "server_error",
  );
}
