// Quota leases on one instance (PostgreSQL, several instances): holds are served from slices of
// balances taken into memory, so a call costs no round trip while its slice lasts. A call that finds
// too little waits with the others for one take (store/pg/leases.ts), sized by core/lease-policy.ts.
// Charges reach the database with their log rows through the ledger (store/pg/ledger.ts), and so do the
// amounts given back; renewals keep the leases alive; a lease past its admit deadline admits nothing
// until renewed. A lease belongs to its account's budget period: when the account rolls (a take or a
// call shows a newer period), what the old lease had is forgotten here as it was in PostgreSQL.
import { admitUntil, Demand, LEASE, type LeaseSettings, sliceFor } from "../core/lease-policy";
import { type AccountKind, leaseKey, type leaseStore } from "../store/pg/leases";

type Store = ReturnType<typeof leaseStore>;
/** What the leases write through: the ledger (its batches also carry the calls' charges). */
export type LeaseWriter = {
  giveBack(kind: AccountKind, id: number, amount: number, period: number): void;
  flushAll(): Promise<boolean>;
  /** what its queue (and a batch being written) will still take out of this lease */
  outstanding(kind: AccountKind, id: number, period: number): number;
  /** true while a batch is being written (its effect on a lease row is then unknown) */
  readonly writing: boolean;
  /** batches written so far */
  readonly batches: number;
};
type Waiter = { amount: number; done: (ok: boolean) => void; fail: (e: unknown) => void };
type Lease = {
  kind: AccountKind;
  id: number;
  /** taken and neither held by a call nor queued to go back */
  free: number;
  /** held by calls in flight */
  held: number;
  admitUntil: number;
  lastUse: number;
  /** the balance the last take saw */
  remain: number | undefined;
  demand: Demand;
  waiters: Waiter[];
  taking: boolean;
  /** while the balance is short and other instances hold some of it: try again until then (monotonic ms) */
  retryUntil: number | undefined;
  /** the account's budget period (its period start) the lease belongs to; 0 before anything said */
  period: number;
};

/** how long calls wait, near a balance's end, for other instances to give back what they hold unused */
const SHORT_WAIT_MS = 1_000;
/** how often they try again meanwhile */
const SHORT_RETRY_MS = 25;

export class LeaseBook {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly store: Store,
    private readonly writer: LeaseWriter,
    /** a monotonic clock in ms */
    private readonly clock: () => number = () => performance.now(),
    /** how many instances share the balances (headroom is divided among them) */
    private readonly instances: () => number = () => 1,
    private readonly s: LeaseSettings = LEASE,
    /** told when a take found the balance short while other instances hold some of it (they are asked,
     * through PostgreSQL, to give back what they hold unused: giveBackUnused) */
    private readonly onShort: (kind: AccountKind, id: number) => void = () => {},
  ) {}

  /** Another instance is short of this account's balance: what this lease holds unused goes back now. */
  giveBackUnused(kind: AccountKind, id: number) {
    const l = this.leases.get(leaseKey(kind, id));
    if (!l || l.free <= 0 || l.waiters.length > 0 || l.taking) return;
    this.writer.giveBack(l.kind, l.id, l.free, l.period);
    l.free = 0;
  }

  /** Holds `amount` of the account's balance for a call: at once when the lease has it free, else after
   * a take; false when the balance cannot give it. Throws when PostgreSQL cannot be reached. `period`:
   * the budget period the caller sees the account in (a newer one than the lease's ends the lease
   * here); the hold belongs to `periodOf` once it is given. */
  acquire(kind: AccountKind, id: number, amount: number, period = 0): boolean | Promise<boolean> {
    const l = this.lease(kind, id);
    this.moveTo(l, period);
    const now = this.clock();
    l.lastUse = now;
    l.demand.add(amount, now);
    if (l.waiters.length === 0 && now < l.admitUntil && l.free >= amount) {
      l.free -= amount;
      l.held += amount;
      return true;
    }
    return new Promise<boolean>((done, fail) => {
      l.waiters.push({ amount, done, fail });
      this.pump(l);
    });
  }

  /** A call's hold ends: `charged` of it is spent, the rest is free again (both from `held`). The charge
   * itself reaches the database through the ledger's settlement of the call. A hold of a period the
   * lease has left behind changes nothing here (that lease was forgotten). */
  settle(kind: AccountKind, id: number, held: number, charged: number, period = 0) {
    const l = this.lease(kind, id);
    if (period !== l.period) return;
    l.held -= held;
    l.free += held - charged;
  }

  /** Queues the free part of leases unused for idleMs (or of all, `everything`) to go back. */
  private giveBackIdle(everything = false) {
    const now = this.clock();
    for (const l of this.leases.values()) {
      if (l.free <= 0 || l.waiters.length > 0 || l.taking) continue;
      if (!everything && now - l.lastUse < this.s.idleMs) continue;
      this.writer.giveBack(l.kind, l.id, l.free, l.period);
      l.free = 0;
    }
  }

  /** The budget period the account's lease belongs to (0: none said yet). */
  periodOf(kind: AccountKind, id: number): number {
    return this.leases.get(leaseKey(kind, id))?.period ?? 0;
  }

  /** The account is in `period` now: a lease of an older one ended with it (in PostgreSQL too: the roll
   * deleted it), so nothing of it is free or held here any more. An older period than the lease's
   * (a caller that has not heard of the roll yet) changes nothing. */
  private moveTo(l: Lease, period: number) {
    if (period <= l.period) return;
    l.period = period;
    l.free = 0;
    l.held = 0;
    l.remain = undefined;
  }

  private ticking: Promise<boolean> | null = null;

  /** One round of upkeep (the caller runs it every renewMs, and once more at a stop): gives back
   * leases idle for idleMs, has the ledger write what it has queued, then renews. False when the
   * database did not take the ledger's queue. Never two at once. */
  tick(opts: { giveBackAll?: boolean } = {}): Promise<boolean> {
    this.ticking ??= this.upkeep(opts.giveBackAll ?? false).finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async upkeep(giveBackAll: boolean): Promise<boolean> {
    this.giveBackIdle(giveBackAll);
    const written = await this.writer.flushAll();
    await this.renew();
    return written;
  }

  /** Renews every lease and trues up what each has free against what PostgreSQL holds for it (an answer
   * lost after a commit leaves them apart); a lease it no longer has (reclaimed after it expired) has
   * nothing free and admits nothing. */
  private async renew(): Promise<void> {
    const sentAt = this.clock();
    const batches = this.writer.batches;
    const rows = await this.store.renew();
    // a batch written meanwhile may or may not be in what the rows read: true up another time
    const exact = !this.writer.writing && this.writer.batches === batches;
    for (const [key, l] of this.leases) {
      const amount = rows.get(key);
      if (amount === undefined) {
        l.admitUntil = 0;
        l.free = 0;
        continue;
      }
      l.admitUntil = admitUntil(sentAt, this.s);
      if (exact && !l.taking) l.free = Math.max(0, amount - l.held - this.writer.outstanding(l.kind, l.id, l.period));
    }
  }

  /** What the lease has free, and the balance its last take left in the database (undefined: none yet,
   * or none in `period`: a lease of an older period than the caller sees tells nothing of this one). */
  known(kind: AccountKind, id: number, period = 0): { free: number; remain: number | undefined } {
    const l = this.leases.get(leaseKey(kind, id));
    if (!l || period > l.period) return { free: 0, remain: undefined };
    return { free: l.free, remain: l.remain };
  }

  /** What the lease of an account has free (tests, metrics). */
  freeOf(kind: AccountKind, id: number) {
    return this.leases.get(leaseKey(kind, id))?.free ?? 0;
  }

  private lease(kind: AccountKind, id: number): Lease {
    const key = leaseKey(kind, id);
    let l = this.leases.get(key);
    if (!l) {
      l = {
        kind,
        id,
        free: 0,
        held: 0,
        admitUntil: 0,
        lastUse: 0,
        remain: undefined,
        demand: new Demand(),
        waiters: [],
        taking: false,
        retryUntil: undefined,
        period: 0,
      };
      this.leases.set(key, l);
    }
    return l;
  }

  /** Serves waiters in order from what is free; when the first cannot be served, one take for all. */
  private pump(l: Lease) {
    const admits = this.serve(l);
    if (l.waiters.length === 0 || l.taking) return;
    // past its deadline a lease admits nothing from what it has free: the take renews it first
    const have = admits ? l.free : 0;
    const need = l.waiters.reduce((n, w) => n + w.amount, 0) - have;
    const min = Math.max(1, l.waiters[0].amount - have);
    const slice = Math.max(
      min,
      sliceFor(
        { need, remain: l.remain, demandPerSec: l.demand.perSec(this.clock()), instances: this.instances() },
        this.s,
      ),
    );
    l.taking = true;
    const sentAt = this.clock();
    this.store.take(l.kind, l.id, min, slice).then(
      (got) => {
        l.taking = false;
        this.moveTo(l, got.period);
        l.remain = got.remain;
        if (got.taken > 0) {
          l.free += got.taken;
          l.admitUntil = admitUntil(sentAt, this.s);
        }
        if (got.taken >= slice) {
          l.retryUntil = undefined;
          return this.pump(l); // calls that came during the take get one of their own
        }
        // the balance gave less than asked: it has nothing more now
        this.serve(l);
        if (l.waiters.length === 0) return;
        const now = this.clock();
        if (got.others > 0 && (l.retryUntil ??= now + SHORT_WAIT_MS) > now) {
          // other instances hold some of it: pieces too small for their calls come back when asked, and
          // ours goes back too (the next take gathers them), so no call is refused while enough is left
          if (l.free > 0) this.writer.giveBack(l.kind, l.id, l.free, l.period);
          l.free = 0;
          this.onShort(l.kind, l.id);
          setTimeout(() => this.pump(l), SHORT_RETRY_MS);
          return;
        }
        l.retryUntil = undefined;
        for (const w of l.waiters.splice(0)) w.done(false); // whoever is left is refused
      },
      (e) => {
        l.taking = false;
        for (const w of l.waiters.splice(0)) w.fail(e);
      },
    );
  }

  /** Serves waiters in order from what is free while the lease admits; says whether it does. */
  private serve(l: Lease): boolean {
    const admits = this.clock() < l.admitUntil;
    while (admits && l.waiters.length > 0 && l.free >= l.waiters[0].amount) {
      const w = l.waiters.shift()!;
      l.free -= w.amount;
      l.held += w.amount;
      w.done(true);
    }
    return admits;
  }
}
