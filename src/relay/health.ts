// What the relay does when an upstream rejects its key: the key leaves rotation at once in memory,
// and off the request path the key's state (and, with no key left, the channel's status) is saved
// and the snapshot's channels are reloaded.
import type { ChannelEntry } from "../core/snapshot";
import { saveKeyStates } from "../store/channel-health";
import type { Runtime } from "./runtime";
import { retireKey } from "./upstream-keys";

export function retireUpstreamKey(rt: Runtime, channel: ChannelEntry, index: number, reason: string) {
  retireKey(channel, index, reason);
  if (channel.keyStates.every((s) => s.status !== 1)) channel.status = 3;
  const states = [...channel.keyStates];
  setTimeout(() => {
    try {
      saveKeyStates(rt.ctx.db, channel.id, channel.keysSealed, states);
      rt.ctx.snapshot.reloadChannels();
    } catch (e) {
      console.error(`channel ${channel.id}: could not save key states:`, (e as Error).message);
    }
  }, 0);
}
