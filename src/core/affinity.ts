// Session affinity: calls with the same key and the same session go to the same channel and the
// same upstream key while it stays healthy, keeping upstream prompt caches warm and letting
// encrypted reasoning (Codex) round-trip. A bounded in-memory map; entries expire after an idle hour.
import type { Candidate } from "./routing";

export type Pin = { channelId: number; keyIndex: number; at: number };

const MAX_PINS = 50_000;
const TTL_MS = 3_600_000;

export class Affinity {
  private pins = new Map<string, Pin>();

  constructor(
    private readonly max = MAX_PINS,
    private readonly ttlMs = TTL_MS,
  ) {}

  get(key: string, now = Date.now()): Pin | undefined {
    const pin = this.pins.get(key);
    if (pin && now - pin.at > this.ttlMs) {
      this.pins.delete(key);
      return undefined;
    }
    return pin;
  }

  set(key: string, channelId: number, keyIndex: number, now = Date.now()) {
    this.pins.delete(key); // re-inserted last: the map's order is least recently used first
    if (this.pins.size >= this.max) this.pins.delete(this.pins.keys().next().value!);
    this.pins.set(key, { channelId, keyIndex, at: now });
  }

  get size() {
    return this.pins.size;
  }
}

/** The candidates with the pinned channel first, when it is among them; otherwise as they come
 * (and, without a pin, still lazily). */
export function pinnedFirst(all: Iterable<Candidate>, channelId: number | undefined): Iterable<Candidate> {
  if (channelId === undefined) return all;
  const list = [...all];
  const at = list.findIndex((c) => c.channel.id === channelId);
  if (at > 0) list.unshift(...list.splice(at, 1));
  return list;
}
