// Upstream keys of a channel: round-robin over the usable ones; a key the upstream calls invalid is
// taken out of rotation at once (in memory) and the change is persisted off the request path.
import type { ChannelEntry } from "../core/snapshot";

const turns = new Map<number, number>();

/** The index of the next usable key, or -1 when the channel has none left. */
export function pickKey(channel: ChannelEntry): number {
  const n = channel.keys.length;
  const start = turns.get(channel.id) ?? 0;
  for (let i = 0; i < n; i++) {
    const index = (start + i) % n;
    if (channel.keyStates[index].status === 1) {
      turns.set(channel.id, index + 1);
      return index;
    }
  }
  return -1;
}

/** Marks the key unusable in this process's snapshot; the caller persists it. */
export function retireKey(channel: ChannelEntry, index: number, reason: string, now = Date.now()) {
  channel.keyStates[index] = { status: 3, reason, at: Math.floor(now / 1000) };
}
