// Upstream keys of a channel: round-robin over the usable ones. A key the upstream calls invalid is
// taken out of rotation at once (status 3, in memory; the caller persists it); a key whose account is
// out of credit cools down (status 2) and comes back by itself when its cooldown ends: the next call
// that uses it is the re-test (out of credit again: another cooldown).
import type { ChannelEntry, KeyState } from "../../core/snapshot";
import { KEY_STATUS } from "../../core/status";

const turns = new Map<number, number>();
/** How long a key whose account ran out of credit stays out of rotation before it is tried again. */
export const UNFUNDED_COOLDOWN_S = 600;

/** Usable now: status 1, or out of credit with its cooldown over. */
export const keyUsable = (s: KeyState, nowS: number) =>
  s.status === KEY_STATUS.usable || (s.status === KEY_STATUS.cooling && (s.until ?? 0) <= nowS);

/** The index of the next usable key, or -1 when the channel has none left. */
export function pickKey(channel: ChannelEntry, now = Date.now()): number {
  const n = channel.keys.length;
  const start = turns.get(channel.id) ?? 0;
  const nowS = Math.floor(now / 1000);
  for (let i = 0; i < n; i++) {
    const index = (start + i) % n;
    if (keyUsable(channel.keyStates[index], nowS)) {
      turns.set(channel.id, index + 1);
      return index;
    }
  }
  return -1;
}

/** Marks the key dead in this process's snapshot; the caller persists it. */
export function retireKey(channel: ChannelEntry, index: number, reason: string, now = Date.now()) {
  channel.keyStates[index] = { status: KEY_STATUS.dead, reason, at: Math.floor(now / 1000) };
}

/** Takes the key out of rotation for the cooldown (its account is out of credit). */
export function coolKey(channel: ChannelEntry, index: number, reason: string, now = Date.now()) {
  const at = Math.floor(now / 1000);
  channel.keyStates[index] = { status: KEY_STATUS.cooling, reason, at, until: at + UNFUNDED_COOLDOWN_S };
}

/** Why no key can be used: every key dead, or some only cooling down (out of credit). */
export function keylessReason(channel: ChannelEntry): "dead" | "unfunded" {
  return channel.keyStates.some((s) => s.status === KEY_STATUS.cooling) ? "unfunded" : "dead";
}
