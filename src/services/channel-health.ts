// What the channel list shows of a channel's health, for people: its state in one word and why
// (core/channel-state.ts), the breaker as this process knows it (the server) or as the server last
// saved it (the CLI), the last success (in the server also the last answer it saw) and the last
// failure with its cause, the scheduled test's last run, the latency median over the last hour (live
// in the server, as last saved in the CLI), and the upstream balance.
import { channelState } from "../core/channel-state";
import { balanceApi, parseSavedBalance } from "../core/upstream-balance";
import type { ChannelRow } from "../db/schema";
import { parseHealth } from "../store/channel-health";
import type { Ctx } from "./context";

/** Saved latency older than this is not shown (the server saves it every minute while it runs). */
const LATENCY_STALE_S = 3600;

function latency(ctx: Ctx, id: number, saved: ReturnType<typeof parseHealth>) {
  if (ctx.latencies.has(id)) {
    const s = ctx.latencies.summary(id, Date.now());
    return { latency_p50_ms: s?.p50_ms ?? null, latency_samples: s?.samples ?? 0 };
  }
  const fresh = saved.latency_p50_ms != null && ctx.now() - (saved.latency_at ?? 0) < LATENCY_STALE_S;
  return {
    latency_p50_ms: fresh ? saved.latency_p50_ms! : null,
    latency_samples: fresh ? (saved.latency_samples ?? 0) : 0,
  };
}

export function healthView(ctx: Ctx, row: ChannelRow) {
  const now = ctx.clock.nowMs();
  const saved = parseHealth(row.health);
  ctx.breakers.sync(row.id, row.healthEpoch);
  const live = ctx.breakers.has(row.id);
  const savedBreaker =
    saved.breaker === "open" && (saved.open_until ?? 0) <= now ? "half_open" : (saved.breaker ?? "closed");
  return {
    breaker: live ? ctx.breakers.state(row.id, now) : savedBreaker,
    recent_failures: live ? ctx.breakers.recentFailures(row.id, now) : (saved.recent_failures ?? 0),
    /** unix ms; 0 when closed */
    open_until: live ? ctx.breakers.openUntil(row.id) : (saved.open_until ?? 0),
    last_error: saved.last_error ?? "",
    last_error_at: saved.last_error_at ?? 0,
    /** unix s: the last success, saved or (in the server) the last answer seen */
    last_ok_at: Math.max(saved.last_ok_at ?? 0, Math.floor(ctx.latencies.lastAt(row.id) / 1000)),
    /** the scheduled channel test's last run here (unix s; 0 never), whether it passed, the cause if not */
    last_probe_at: saved.last_probe_at ?? 0,
    last_probe_ok: saved.last_probe_ok ?? null,
    last_probe_error: saved.last_probe_error ?? "",
    ...latency(ctx, row.id, saved),
  };
}

export type HealthView = ReturnType<typeof healthView>;

/** The upstream balance: the API it is read with, the last reading (amount in the upstream's currency),
 * the last failure to read it, and whether the channel is out of rotation for it (balance_threshold). */
export function balanceView(row: ChannelRow) {
  const b = parseSavedBalance(row.balance);
  return {
    /** the API used (balance_source, auto resolved by host), or null: none */
    api: balanceApi(row.balanceSource, row.type, row.baseUrl),
    amount: b.micros === undefined ? null : b.micros / 1_000_000,
    currency: b.currency ?? "",
    /** unix s of the last reading; 0 never */
    at: b.at ?? 0,
    error: b.error ?? "",
    error_at: b.error_at ?? 0,
    low: b.low === true,
  };
}

/** The state in one word and its explanation. */
export function stateView(row: ChannelRow, health: HealthView) {
  const b = parseSavedBalance(row.balance);
  return channelState({
    status: row.status,
    statusReason: row.statusReason,
    breaker: health.breaker,
    openUntil: health.open_until,
    balance: {
      low: b.low === true,
      micros: b.micros,
      currency: b.currency,
      thresholdMicros: row.balanceThresholdMicros,
    },
  });
}

/** Saves this process's latency medians into the channels' health (the CLI shows them); a channel
 * whose window emptied is saved as none. */
export async function saveLatencySummaries(ctx: Ctx) {
  const now = Date.now();
  const rows = ctx.latencies.known().map((id) => {
    const s = ctx.latencies.summary(id, now);
    return {
      id,
      p50: s?.p50_ms ?? null,
      samples: s?.samples ?? 0,
      lastOk: Math.floor(ctx.latencies.lastAt(id) / 1000),
    };
  });
  if (rows.length) await ctx.store.health.saveLatencies(rows, ctx.now());
}
