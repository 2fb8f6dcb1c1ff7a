// A circuit breaker per channel: N failures within a window open it for a cooldown; after the
// cooldown one probe call is let through and decides; a failed probe doubles the cooldown (capped).
// Pure state with an injected clock.

export type BreakerOptions = { failures: number; windowMs: number; cooldownMs: number; maxCooldownMs: number };
export const BREAKER_DEFAULTS: BreakerOptions = {
  failures: 5,
  windowMs: 60_000,
  cooldownMs: 30_000,
  maxCooldownMs: 600_000,
};

/** openedAt: when the breaker opened from closed (ms; 0 while closed), kept through probes that fail */
type State = { failures: number[]; openUntil: number; cooldownMs: number; probing: boolean; openedAt: number };
export type BreakerState = "closed" | "open" | "half_open";

export class Breakers {
  private readonly states = new Map<number, State>();
  private readonly epochs = new Map<number, number>();
  /** `options` is read at each event, so a change of the settings applies at once */
  constructor(private readonly options: () => BreakerOptions = () => BREAKER_DEFAULTS) {}

  private get opts() {
    return this.options();
  }

  private get(id: number): State {
    let s = this.states.get(id);
    if (!s)
      this.states.set(
        id,
        (s = { failures: [], openUntil: 0, cooldownMs: this.opts.cooldownMs, probing: false, openedAt: 0 }),
      );
    return s;
  }

  /** May a call go to this channel now? Takes the single probe slot when the cooldown is over. */
  allow(id: number, now: number): boolean {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return true;
    if (now < s.openUntil || s.probing) return false;
    s.probing = true;
    return true;
  }

  success(id: number) {
    const s = this.states.get(id);
    if (!s) return;
    s.failures = [];
    s.openUntil = 0;
    s.openedAt = 0;
    s.probing = false;
    s.cooldownMs = this.opts.cooldownMs;
  }

  /** An attempt that says nothing about the channel (the client left, the key or the request was
   * refused) gives a probe it held back, so the next call can probe. */
  release(id: number) {
    const s = this.states.get(id);
    if (s) s.probing = false;
  }

  failure(id: number, now: number) {
    const s = this.get(id);
    if (s.probing) {
      s.probing = false;
      s.cooldownMs = Math.min(s.cooldownMs * 2, this.opts.maxCooldownMs);
      s.openUntil = now + s.cooldownMs;
      return;
    }
    s.failures = s.failures.filter((t) => now - t < this.opts.windowMs);
    s.failures.push(now);
    if (s.failures.length >= this.opts.failures) {
      s.openUntil = now + s.cooldownMs;
      if (s.openedAt === 0) s.openedAt = now;
      s.failures = [];
    }
  }

  state(id: number, now: number): BreakerState {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return "closed";
    return now < s.openUntil ? "open" : "half_open";
  }

  /** Failures counted in the current window (0 while open: they were used to open it). */
  recentFailures(id: number, now: number): number {
    const s = this.states.get(id);
    return s ? s.failures.filter((t) => now - t < this.opts.windowMs).length : 0;
  }

  /** When the channel was recovered (new keys, enable, a passing Test: its epoch changed, maybe by
   * another process such as the CLI), its breaker starts over. Called before a channel is judged. */
  sync(id: number, epoch: number) {
    if (this.epochs.get(id) === epoch) return;
    this.epochs.set(id, epoch);
    this.states.delete(id);
  }

  /** Whether this process has seen the channel fail (else its breaker is closed here). */
  has(id: number): boolean {
    return this.states.has(id);
  }

  /** When an open breaker lets a probe through again (ms), or 0 when it is closed. */
  openUntil(id: number): number {
    return this.states.get(id)?.openUntil ?? 0;
  }

  /** When the breaker opened and has stayed open (or half-open) since (ms), or 0 when it is closed. */
  openedAt(id: number): number {
    return this.states.get(id)?.openedAt ?? 0;
  }

  /** Forget a channel (an admin re-enabled or edited it). */
  reset(id: number) {
    this.states.delete(id);
  }
}
