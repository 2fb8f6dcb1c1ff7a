// Recent upstream latencies per channel, in memory: a fixed ring of the last answers' times to first
// byte (the upstream's reply headers) with when each came, their median over a window, and when the
// channel last answered. Recording
// is two array writes (the relay does it on every served call); the median is computed when someone
// looks. Pure but for the clock its callers pass in.

/** The sample count one channel keeps: the median is over the last hour, or the last this many answers. */
export const LATENCY_SAMPLES = 512;

/** Nearest-rank median (the lower middle of an even count); null for no values. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

export class LatencyRing {
  private readonly ms: Float64Array;
  private readonly at: Float64Array;
  private next = 0;
  private count = 0;

  constructor(size = LATENCY_SAMPLES) {
    this.ms = new Float64Array(size);
    this.at = new Float64Array(size);
  }

  record(ms: number, at: number) {
    this.ms[this.next] = ms;
    this.at[this.next] = at;
    this.next = (this.next + 1) % this.ms.length;
    if (this.count < this.ms.length) this.count++;
  }

  /** When the latest sample was taken (ms), or 0 without one. */
  lastAt(): number {
    return this.count ? this.at[(this.next + this.at.length - 1) % this.at.length] : 0;
  }

  /** Samples taken at or after `since` (ms). */
  since(since: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.at[i] >= since) out.push(this.ms[i]);
    return out;
  }
}

export type LatencySummary = { p50_ms: number; samples: number };

/** Every channel's ring, made on its first sample. */
export class ChannelLatencies {
  private readonly rings = new Map<number, LatencyRing>();

  record(channelId: number, ms: number, at: number) {
    let ring = this.rings.get(channelId);
    if (!ring) this.rings.set(channelId, (ring = new LatencyRing()));
    ring.record(ms, at);
  }

  /** The median over `windowMs` before `now`, or null without a sample in it. */
  summary(channelId: number, now: number, windowMs = 3_600_000): LatencySummary | null {
    const values = this.rings.get(channelId)?.since(now - windowMs) ?? [];
    const p50 = median(values);
    return p50 === null ? null : { p50_ms: Math.round(p50), samples: values.length };
  }

  /** When the channel last answered (ms), or 0. */
  lastAt(channelId: number): number {
    return this.rings.get(channelId)?.lastAt() ?? 0;
  }

  /** Whether this process has seen the channel answer (else its latency is what the server saved). */
  has(channelId: number): boolean {
    return this.rings.has(channelId);
  }

  /** The channels this process has samples of. */
  known(): number[] {
    return [...this.rings.keys()];
  }
}
