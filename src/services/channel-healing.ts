// What the scheduled channel test's results do to a channel (the rules are core/healing.ts): a pass
// brings the probed key back, re-enables a channel disabled automatically and starts its breaker over
// (a new health epoch, followed by the server); any result is recorded as the channel's last probe
// (when, whether every probe passed, the first failure's cause), and as its last success or failure.
// Results about keys that were replaced meanwhile, or a channel an admin disabled meanwhile, are dropped.
import { applyProbes, type Healed } from "../core/healing";
import type { KeyState } from "../core/snapshot";
import { CHANNEL_STATUS } from "../core/status";
import { parseHealth, type ChannelHealth } from "../store/channel-health";
import type { Ctx } from "./context";

/** One probe's result: which key, whether it passed, and the cause in words when it failed. */
export type ProbeResultOf = { index: number; ok: boolean; cause: string };

export async function recordHealing(
  ctx: Ctx,
  channel: { id: number; keysSealed: string },
  results: ProbeResultOf[],
): Promise<Healed | null> {
  if (!results.length) return null;
  const at = ctx.now();
  const healed = await ctx.tx(async () => {
    const row = await ctx.store.channels.byId(channel.id);
    if (!row || row.keysSealed !== channel.keysSealed || row.status === CHANNEL_STATUS.disabled) return null;
    const h = applyProbes(row.status, JSON.parse(row.keyStates) as KeyState[], results);
    const failed = results.find((r) => !r.ok);
    const cause = failed ? `key #${failed.index + 1}: ${failed.cause}`.slice(0, 500) : "";
    const health: ChannelHealth = {
      ...parseHealth(row.health),
      last_probe_at: at,
      last_probe_ok: !failed,
      last_probe_error: cause,
      ...(failed ? { last_error: cause, last_error_at: at } : {}),
      ...(h.passed ? { breaker: "closed", open_until: 0, recent_failures: 0, last_ok_at: at } : {}),
    };
    await ctx.store.channels.update(channel.id, {
      health: JSON.stringify(health),
      ...(h.passed
        ? {
            keyStates: JSON.stringify(h.keyStates),
            status: h.status,
            statusReason: h.reEnabled ? "" : row.statusReason,
            healthEpoch: row.healthEpoch + 1,
          }
        : {}),
    });
    return h;
  });
  if (healed?.passed) await ctx.snapshot.reloadChannels(); // a failure changes only the health column
  return healed;
}
