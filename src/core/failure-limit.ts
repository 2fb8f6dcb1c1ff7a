// A limit on failures, per key, in a sliding window: the redemption throttle (per user and per client
// address) uses it so that nobody can try codes until one works. Pure: state in memory, the clock
// passed in. An attempt counts as a failure from the moment it begins (parallel tries cannot slip
// past the limit) and is forgotten if it succeeds. A refusal says how long to wait.

export type FailureLimits = { max: number; windowMs: number; maxKeys: number };
export type LimitVerdict = { ok: true; keys: string[]; at: number } | { ok: false; retryAfterSec: number };

export class FailureLimiter {
  private failures = new Map<string, number[]>();

  constructor(private readonly limits: FailureLimits) {}

  /** May an attempt under all of `keys` begin at `now`? If so it is counted as failed until `succeeded`. */
  begin(keys: string[], now: number): LimitVerdict {
    const { max, windowMs } = this.limits;
    let waitMs = 0;
    for (const key of keys) {
      const list = this.recent(key, now);
      if (list.length >= max) waitMs = Math.max(waitMs, list[list.length - max] + windowMs - now);
    }
    if (waitMs > 0) return { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
    this.bound(now);
    return { ok: true, keys, at: now };
  }

  /** The attempt worked: it was no failure. */
  succeeded(verdict: Extract<LimitVerdict, { ok: true }>) {
    for (const key of verdict.keys) {
      const list = this.failures.get(key) ?? [];
      const i = list.indexOf(verdict.at);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.failures.delete(key);
    }
  }

  /** The failures of `key` within the window (older ones are dropped). */
  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Memory stays bounded: past `maxKeys`, expired keys go, then the oldest ones. */
  private bound(now: number) {
    if (this.failures.size <= this.limits.maxKeys) return;
    for (const key of [...this.failures.keys()]) this.recent(key, now);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.limits.maxKeys) break;
      this.failures.delete(key);
    }
  }
}
