// Which channels a call may try, in order: the token's groups in order (default, then fallbacks);
// inside a group the highest priority tier first, weighted random inside a tier; never the same
// channel twice. Pure but for the random source, which callers may replace in tests.
import type { ChannelEntry, RouteIndex } from "./snapshot";
import { CHANNEL_STATUS } from "./status";

export type Candidate = { channel: ChannelEntry; group: string };

/** True when some group of the token has at least one channel (of any status) for the model that
 * `can` accepts (by default any). */
export function isServed(
  routes: RouteIndex,
  groups: string[],
  model: string,
  can: (c: ChannelEntry) => boolean = () => true,
): boolean {
  return groups.some((g) => routes.get(g)?.get(model)?.some(can) ?? false);
}

/** Weighted random order of one priority tier (weight 0 goes last, in id order). */
export function weightedOrder(tier: ChannelEntry[], random = Math.random): ChannelEntry[] {
  if (tier.length === 1) return tier;
  const pool = [...tier];
  const out: ChannelEntry[] = [];
  while (pool.length) {
    const total = pool.reduce((sum, c) => sum + Math.max(0, c.weight), 0);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      while (pick < pool.length - 1 && (r -= Math.max(0, pool[pick].weight)) >= 0) pick++;
    }
    out.push(pool.splice(pick, 1)[0]);
  }
  return out;
}

/** The candidates, lazily: a call that succeeds at once never orders the rest. */
export function* candidates(
  routes: RouteIndex,
  groups: string[],
  model: string,
  random = Math.random,
): Generator<Candidate> {
  const seen = new Set<number>();
  for (const group of groups) {
    const list = routes.get(group)?.get(model);
    if (!list) continue;
    for (let i = 0; i < list.length; ) {
      let j = i;
      while (j < list.length && list[j].priority === list[i].priority) j++;
      for (const channel of weightedOrder(list.slice(i, j), random)) {
        if (seen.has(channel.id)) continue;
        seen.add(channel.id);
        yield { channel, group };
      }
      i = j;
    }
  }
}

/** Models a token can reach through its groups (enabled channels only), within its whitelist, that
 * `billable` accepts (its billing mode can bill them). */
export function reachableModels(
  routes: RouteIndex,
  groups: string[],
  whitelist: Set<string>,
  billable: (model: string) => boolean,
): string[] {
  const out = new Set<string>();
  for (const g of groups) {
    for (const [model, list] of routes.get(g) ?? []) {
      if (
        (whitelist.size === 0 || whitelist.has(model)) &&
        list.some((c) => c.status === CHANNEL_STATUS.enabled) &&
        billable(model)
      )
        out.add(model);
    }
  }
  return [...out].sort();
}
