// Quota leases (PostgreSQL, several instances): how large a slice of a balance an instance takes into
// memory, and until when it may admit calls against it. Pure: numbers in, numbers out.
//
// A slice is what the waiting calls need, plus headroom for the instance's recent demand while the
// balance is large; when the balance is nearly spent the headroom is 0, so every call takes exactly
// its hold from PostgreSQL (one conditional UPDATE each) and calls spread over instances can never
// together admit more than the balance, nor leave money stranded in one instance while another refuses.

export const LEASE = {
  /** a lease lives this long on PostgreSQL's clock unless renewed (each take renews it too) */
  ttlMs: 15_000,
  /** the instance renews its leases this often */
  renewMs: 4_000,
  /** it stops admitting this long before the lease would expire: the renewal's round trip and the
   * two clocks' drift over one ttl fit in it many times over */
  marginMs: 3_000,
  /** headroom: the demand of this long, beyond what the waiting calls need */
  horizonMs: 2_000,
  /** never more headroom than this share of what the balance had left, divided by the instances */
  shareDivisor: 4,
  /** below this many waiting needs × instances left in the balance, no headroom (per-call takes) */
  lowFactor: 8,
  /** free amounts of a lease unused this long go back to the balance */
  idleMs: 2_000,
};

export type LeaseSettings = typeof LEASE;

/** The same timings for a lease of `ttlMs` (tests: a dead instance's lease expires in seconds). */
export function scaledLease(ttlMs: number): LeaseSettings {
  const k = ttlMs / LEASE.ttlMs;
  return {
    ...LEASE,
    ttlMs,
    renewMs: Math.round(LEASE.renewMs * k),
    marginMs: Math.round(LEASE.marginMs * k),
    idleMs: Math.round(LEASE.idleMs * k),
  };
}

/** What to ask for: `need` (what the waiting calls lack) plus headroom; `remain` is the balance the
 * last take saw (undefined: never taken, so no headroom: demand must show itself first). */
export function sliceFor(
  o: { need: number; remain: number | undefined; demandPerSec: number; instances: number },
  s: LeaseSettings = LEASE,
): number {
  const need = Math.max(0, Math.ceil(o.need));
  if (o.remain === undefined || o.demandPerSec <= 0) return need;
  const instances = Math.max(1, o.instances);
  if (o.remain < need * s.lowFactor * instances) return need;
  const headroom = Math.min((o.demandPerSec * s.horizonMs) / 1000, o.remain / (s.shareDivisor * instances));
  return need + Math.max(0, Math.floor(headroom));
}

/** Until when (on the instance's own monotonic clock) a lease renewed by a statement sent at `sentAt`
 * admits calls: PostgreSQL set its expiry at now() + ttl at some moment after `sentAt`, so sentAt + ttl
 * is never later than the true expiry as long as the clocks run at about the same rate. */
export const admitUntil = (sentAt: number, s: LeaseSettings = LEASE) => sentAt + s.ttlMs - s.marginMs;

/** Demand per second, decaying: each amount counts fully now and half after `halfLifeMs`. */
export class Demand {
  private rate = 0;
  private at = 0;
  constructor(private readonly halfLifeMs = 2_000) {}

  add(amount: number, now: number) {
    this.rate = this.decayed(now) + (amount * 1000 * Math.LN2) / this.halfLifeMs;
    this.at = now;
  }

  /** the amount per second this demand stands for at `now` */
  perSec(now: number): number {
    return this.decayed(now);
  }

  private decayed(now: number) {
    return this.rate === 0 ? 0 : this.rate * 2 ** (-(now - this.at) / this.halfLifeMs);
  }
}
