// What the relay does with what it learns about a channel, all of it off the request path (a channel
// disabled automatically also queues an admin alert, services/alerts.ts):
// - a key the upstream rejects leaves rotation at once in memory (status 3; no live key left → the
//   channel is disabled, 3); a key whose account is out of credit cools down (2); a cooled key that
//   works again is back (1). The key states are saved and the snapshot's channels reloaded;
// - the breaker and the last failure's cause are saved in the channel's `health` column at most once a
//   second per channel, so that the CLI (another process) can show them. A healthy channel writes nothing.
import type { ChannelEntry } from "../../core/snapshot";
import { type ChannelHealth, saveHealth, saveKeyStates } from "../../store/channel-health";
import type { Runtime } from "../../runtime";
import { coolKey, retireKey } from "../plan/upstream-keys";
import { CHANNEL_STATUS, KEY_STATUS } from "../../core/status";

function saveKeys(rt: Runtime, channel: ChannelEntry, deadReason = "") {
  const states = [...channel.keyStates];
  setTimeout(async () => {
    try {
      saveKeyStates(rt.ctx.db, channel.id, channel.keysSealed, states, deadReason);
      await rt.ctx.snapshot.reloadChannels();
    } catch (e) {
      console.error(`channel ${channel.id}: could not save key states:`, (e as Error).message);
    }
  }, 0);
}

export function retireUpstreamKey(rt: Runtime, channel: ChannelEntry, index: number, reason: string) {
  retireKey(channel, index, reason);
  if (channel.keyStates.every((s) => s.status === KEY_STATUS.dead)) {
    const was = channel.status;
    channel.status = CHANNEL_STATUS.autoDisabled;
    if (was === CHANNEL_STATUS.enabled) rt.alerts.channelDisabled(channel, reason);
  }
  saveKeys(rt, channel, reason);
}

export function coolUpstreamKey(rt: Runtime, channel: ChannelEntry, index: number, reason: string) {
  coolKey(channel, index, reason);
  saveKeys(rt, channel);
}

/** A key that was cooling down served a call: it is usable again. */
export function restoreUpstreamKey(rt: Runtime, channel: ChannelEntry, index: number) {
  channel.keyStates[index] = { status: KEY_STATUS.usable };
  saveKeys(rt, channel);
}

type Reported = { epoch: number; health: ChannelHealth; pending: boolean };
/** per channel: what this process has reported (or is about to) */
const reported = new Map<number, Reported>();
const FLUSH_MS = 1000;

function schedule(rt: Runtime, id: number, r: Reported) {
  if (r.pending) return;
  r.pending = true;
  const timer = setTimeout(() => {
    r.pending = false;
    try {
      saveHealth(rt.ctx.db, id, r.epoch, r.health);
    } catch (e) {
      console.error(`channel ${id}: could not save its health:`, (e as Error).message);
    }
  }, FLUSH_MS);
  timer.unref?.();
}

function entry(channel: ChannelEntry): Reported {
  let r = reported.get(channel.id);
  if (!r || r.epoch !== channel.healthEpoch)
    reported.set(channel.id, (r = { epoch: channel.healthEpoch, health: {}, pending: false }));
  return r;
}

/** A failed attempt the channel is to blame for (or whose key is): its cause and the breaker. */
export function noteChannelFailure(rt: Runtime, channel: ChannelEntry, cause: string, now = rt.ctx.clock.nowMs()) {
  const r = entry(channel);
  const breaker = rt.breakers.state(channel.id, now);
  r.health = {
    ...r.health,
    breaker,
    open_until: breaker === "closed" ? 0 : rt.breakers.openUntil(channel.id),
    recent_failures: rt.breakers.recentFailures(channel.id, now),
    last_error: cause.slice(0, 500),
    last_error_at: Math.floor(now / 1000),
  };
  schedule(rt, channel.id, r);
}

/** A success: written only when what was reported still shows trouble (a breaker not closed). */
export function noteChannelSuccess(rt: Runtime, channel: ChannelEntry, now = rt.ctx.clock.nowMs()) {
  const r = reported.get(channel.id);
  if (!r || (r.health.breaker === "closed" && !r.health.recent_failures)) return;
  r.health = { ...r.health, breaker: "closed", open_until: 0, recent_failures: 0, last_ok_at: Math.floor(now / 1000) };
  schedule(rt, channel.id, r);
}
