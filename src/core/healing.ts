// Self-healing channels, the pure part: which channels and upstream keys the scheduled channel test
// probes, on which model, and what its results do to the channel. A channel an admin disabled (2) is
// never probed and never changed; one disabled automatically (3) is probed with each of its rejected
// keys and comes back (1) when one passes; an enabled channel is probed with its rejected keys (each
// one that passes is back in rotation) and, while its breaker is not closed, with a usable key (a pass
// closes the breaker). A failure changes nothing: the channel stays down, the cause is recorded.
import { hasTokenPrices, type PriceEntry } from "./billing";
import type { BreakerState } from "./breaker";
import type { KeyState } from "./snapshot";
import { CHANNEL_STATUS, KEY_STATUS } from "./status";

export type HealCandidate = { id: number; status: number; keyStates: KeyState[]; breaker: BreakerState };
/** why: what is wrong with the channel; keys: the key indexes to probe, one call each */
export type ProbePlan = { id: number; why: "auto_disabled" | "dead_keys" | "breaker"; keys: number[] };

const indexesWhere = (states: KeyState[], status: number) => states.flatMap((s, i) => (s.status === status ? [i] : []));

/** What the scheduled test does for one channel, or null when there is nothing to heal. */
export function probePlan(c: HealCandidate): ProbePlan | null {
  if (c.status === CHANNEL_STATUS.disabled || c.keyStates.length === 0) return null;
  const dead = indexesWhere(c.keyStates, KEY_STATUS.dead);
  if (c.status === CHANNEL_STATUS.autoDisabled)
    return { id: c.id, why: "auto_disabled", keys: dead.length ? dead : [0] };
  if (c.breaker !== "closed") {
    const usable = c.keyStates.findIndex((s) => s.status === KEY_STATUS.usable);
    const keys = [...new Set([...(usable >= 0 ? [usable] : []), ...dead])];
    return keys.length ? { id: c.id, why: "breaker", keys } : null;
  }
  return dead.length ? { id: c.id, why: "dead_keys", keys: dead } : null;
}

/** Model names that do not answer a chat call (the test is a one-token chat call). */
const NOT_CHAT = /embed|rerank|moderation|whisper|tts|dall-e|image|audio|speech|transcri|sora|veo/i;

/** The model the test asks for: the channel's cheapest chat model by the price table (input + output
 * price per token), else its first model. */
export function cheapestModel(models: Iterable<string>, prices: ReadonlyMap<string, PriceEntry>): string | undefined {
  let first: string | undefined;
  let best: string | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const m of models) {
    first ??= m;
    const p = prices.get(m);
    if (NOT_CHAT.test(m) || !p || !hasTokenPrices(p)) continue;
    const cost = (p.input ?? 0) + (p.output ?? 0);
    if (cost < bestCost) [best, bestCost] = [m, cost];
  }
  return best ?? first;
}

export type ProbeOutcome = { index: number; ok: boolean };
export type Healed = {
  status: number;
  keyStates: KeyState[];
  /** the channel was disabled automatically and is enabled again */
  reEnabled: boolean;
  /** keys that were out of rotation and are back */
  keysBack: number[];
  /** some probe passed: the channel answers (its breaker closes) */
  passed: boolean;
};

/** The channel after the test's probes, from its state as it is now (it may have changed while the
 * probes ran: an admin's disable wins, and nothing is changed for it). */
export function applyProbes(status: number, keyStates: KeyState[], outcomes: ProbeOutcome[]): Healed {
  const states = keyStates.map((s) => ({ ...s }));
  if (status === CHANNEL_STATUS.disabled)
    return { status, keyStates: states, reEnabled: false, keysBack: [], passed: false };
  const keysBack: number[] = [];
  for (const o of outcomes) {
    if (!o.ok || !states[o.index]) continue;
    if (states[o.index].status !== KEY_STATUS.usable) keysBack.push(o.index);
    states[o.index] = { status: KEY_STATUS.usable };
  }
  const passed = outcomes.some((o) => o.ok && o.index < states.length);
  const reEnabled = status === CHANNEL_STATUS.autoDisabled && passed;
  return { status: reEnabled ? CHANNEL_STATUS.enabled : status, keyStates: states, reEnabled, keysBack, passed };
}
