// The scheduled channel test (every channel_test_minutes, services/../background.ts runs it): for each
// channel that core/healing.ts says needs it (disabled automatically, rejected keys, a breaker not
// closed; never one an admin disabled), one minimal call per key to probe, in the channel's own wire
// format, on its cheapest model (a video-only type: its key check, no model called). A run is
// bounded: each call within channel_test_timeout_seconds (connect, first byte and reply), a channel's
// keys one after another, PROBE_CHANNELS channels at once, so one hanging upstream holds up its own
// channel only. Each call is metered and logged as a system call (log type 4: user 0, billed to
// nobody; its cost at the model's price is in `other`), visible in /admin/logs;
// services/channel-healing.ts records what the results do to the channel.
import { hasTokenPrices, usageCost } from "../../core/billing";
import { cheapestModel, probePlan, type ProbePlan } from "../../core/healing";
import { mapPooled } from "../../core/pool";
import type { ChannelEntry } from "../../core/snapshot";
import { LOG_TYPE } from "../../core/status";
import type { Runtime } from "../../runtime";
import { recordHealing, type ProbeResultOf } from "../../services/channel-healing";
import { readSettings } from "../../services/settings";
import { usageOf } from "../wire";
import { probeKey, type KeyProbe } from "./probe";

/** How many channels a run probes at once. */
export const PROBE_CHANNELS = 4;

export type HealReport = {
  channel_id: number;
  why: ProbePlan["why"];
  probes: number;
  passed: boolean;
  re_enabled: boolean;
};

/** The system call's log row: tokens metered from the reply, the cost it would have at the list price. */
function logProbe(rt: Runtime, channel: ChannelEntry, model: string, keyIndex: number, p: KeyProbe, why: string) {
  const { r } = p;
  const usage = r.ok && p.endpoint !== "key_check" ? usageOf(p.endpoint).fromText(p.text) : null;
  const price = rt.ctx.snapshot.current.prices.get(model);
  const cost = usage && price && hasTokenPrices(price) ? usageCost(usage, price, 1_000_000) : 0;
  const status = r.ok ? r.response.status : r.status;
  const ms = Math.round(r.ms);
  rt.ctx.ledger.push({
    createdAt: Date.now(),
    type: LOG_TYPE.system,
    userId: 0,
    username: "",
    model,
    upstreamModel: p.upstreamModel,
    channelId: channel.id,
    endpoint: p.endpoint,
    promptTokens: usage?.prompt ?? 0,
    cachedTokens: usage?.cached ?? 0,
    completionTokens: usage?.completion ?? 0,
    quota: 0,
    durationMs: ms,
    requestId: Bun.randomUUIDv7(),
    statusCode: status,
    errorCode: r.ok ? "" : r.failure,
    content: `scheduled channel test (${why}), key #${keyIndex + 1}: ${r.ok ? "ok" : r.cause}`.slice(0, 1000),
    attempts: JSON.stringify([
      { channel_id: channel.id, status, ms, ...(r.ok ? {} : { error: r.failure, cause: r.cause }) },
    ]),
    other: JSON.stringify({ channel_test: why, key_index: keyIndex, billed_to: null, usage, cost }),
  });
}

async function healOne(rt: Runtime, channel: ChannelEntry, plan: ProbePlan, deadlineMs: number): Promise<HealReport> {
  const model = cheapestModel(channel.models, rt.ctx.snapshot.current.prices) ?? "";
  const results: ProbeResultOf[] = [];
  for (const index of plan.keys) {
    const p = await probeKey(channel, index, model, deadlineMs);
    logProbe(rt, channel, model, index, p, plan.why);
    results.push({ index, ok: p.r.ok, cause: p.r.ok ? "" : p.r.cause });
  }
  const healed = await recordHealing(rt.ctx, channel, results);
  return {
    channel_id: channel.id,
    why: plan.why,
    probes: results.length,
    passed: healed?.passed ?? false,
    re_enabled: healed?.reEnabled ?? false,
  };
}

/** One run of the scheduled test over every channel that needs it. */
export async function healChannels(rt: Runtime): Promise<HealReport[]> {
  const now = rt.ctx.clock.nowMs();
  const plans: [ChannelEntry, ProbePlan][] = [];
  for (const channel of rt.ctx.snapshot.current.channelsById.values()) {
    rt.breakers.sync(channel.id, channel.healthEpoch);
    const breaker = rt.breakers.state(channel.id, now);
    const plan = channel.models.size ? probePlan({ ...channel, breaker }) : null;
    if (plan) plans.push([channel, plan]);
  }
  const deadlineMs = readSettings(rt.ctx).channel_test_timeout_seconds * 1000;
  const reports = await mapPooled(plans, PROBE_CHANNELS, async ([channel, plan]) => {
    try {
      return await healOne(rt, channel, plan, deadlineMs);
    } catch (e) {
      console.error(`channel ${channel.id}: the scheduled test failed:`, (e as Error).message);
      return null;
    }
  });
  return reports.filter((r): r is HealReport => r !== null);
}
