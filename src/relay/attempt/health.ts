// What the relay does with what it learns about a channel, all of it off the request path (a channel
// disabled automatically also queues an admin alert, services/alerts.ts):
// - a key the upstream rejects leaves rotation at once in memory (status 3; no live key left → the
//   channel is disabled, 3); a key whose account is out of credit cools down (2); a cooled key that
//   works again is back (1). The key states are saved and the snapshot's channels reloaded;
// - the breaker and the last failure's cause are saved in the channel's `health` column at most once a
//   second per channel, so that the CLI (another process) can show them. A healthy channel writes nothing.
// The writes are not awaited by the call; a channel's writes land one after another, in the order they
// were made: each carries the whole state as this process last knew it, so an older one landing after a
// newer one (PostgreSQL's pool runs statements side by side) would undo it.
import type { ChannelEntry } from "../../core/snapshot";
import type { ChannelHealth } from "../../store/channel-health";
import type { Runtime } from "../../runtime";
import { coolKey, retireKey } from "../plan/upstream-keys";
import { CHANNEL_STATUS, KEY_STATUS } from "../../core/status";

/** per channel: the end of its last write */
const writing = new Map<number, Promise<void>>();

/** Runs `write` after the channel's writes made before it; a failure is logged (and the next goes on). */
function inOrder(id: number, what: string, write: () => Promise<unknown>) {
  const done = (writing.get(id) ?? Promise.resolve()).then(write).then(
    () => {},
    (e) => console.error(`channel ${id}: could not save ${what}:`, (e as Error).message),
  );
  writing.set(id, done);
  void done.then(() => {
    if (writing.get(id) === done) writing.delete(id);
  });
}

function saveKeys(rt: Runtime, channel: ChannelEntry, deadReason = "") {
  const states = [...channel.keyStates];
  const { id, keysSealed } = channel;
  // the next turn of the event loop: off the call's path (SQLite's store writes as soon as it is called)
  setTimeout(
    () =>
      inOrder(id, "key states", async () => {
        await rt.ctx.store.health.saveKeyStates(id, keysSealed, states, deadReason);
        await rt.ctx.snapshot.reloadChannels();
      }),
    0,
  );
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
    const { epoch, health } = r;
    inOrder(id, "its health", () => rt.ctx.store.health.saveHealth(id, epoch, health));
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
