// The ledger on PostgreSQL: the same events as the SQLite ledger (ledger-slice.ts works out what a
// slice writes), written by group commit in one transaction per slice: log rows in multi-row INSERTs,
// balances and counters, daily and hourly rollups, and the quota leases' charges and returns. Each
// transaction carries this instance's batch number (ledger_batches), so a slice retried after a commit
// whose answer was lost is not written twice; a slice that fails stays queued, in order, until the
// database takes it: the database is always a prefix of what happened, and nothing queued is lost
// while the process lives. Holds live in the instance's leases, not in rows (services/leases.ts).
import type { SQL } from "bun";
import { type HourlyRow, hourlyUpsertSql, hourlyValues } from "../hourly";
import { dailyUpsertSql, dailyValues, type LedgerEvent, summarize, type Who } from "../ledger-slice";
import { LOG_COLUMNS, type NewLog } from "../logs";
import type { Settlement } from "../../core/quota";
import {
  type AccountKind as LeaseKind,
  applyLeaseOps,
  claimBatch,
  type LeaseOp,
  lockAccounts,
  mergeLeaseOps,
} from "./leases";

const SLICE = 256;
/** rows per multi-row statement (log rows: 25 values each, hourly rows 13) */
const ROWS_PER_INSERT = 200;
const pg = (i: number) => `$${i + 1}`;
const DAILY = dailyUpsertSql(pg);
const LOG_NAMES = LOG_COLUMNS.map(([c]) => `"${c}"`).join(", ");

/** A statement's text per row count, made once (as the SQLite ledger's LogRows keeps its statements). */
const texts = (make: (rows: number) => string) => {
  const made = new Map<number, string>();
  return (rows: number) => {
    let text = made.get(rows);
    if (!text) made.set(rows, (text = make(rows)));
    return text;
  };
};
const logInsert = texts(
  (rows) =>
    `INSERT INTO logs (${LOG_NAMES}) VALUES ${Array.from(
      { length: rows },
      (_, r) => `(${LOG_COLUMNS.map((_, i) => pg(r * LOG_COLUMNS.length + i)).join(", ")})`,
    ).join(", ")}`,
);
const hourlyUpsert = texts((rows) => hourlyUpsertSql(pg, rows, (a, b) => `apiyi_merge_histogram(${a}, ${b})`));

/** A charge against the instance's leases: how much of a settlement came out of each (0 when that
 * account is unlimited and holds nothing), and the budget period each lease belonged to (0: none). */
export type LeaseSpend = { token: number; user: number; tokenPeriod?: number; userPeriod?: number };
/** What goes back to an account's balance from a kept hold (a video job's), if the account is still in
 * the hold's budget period (kept-holds.ts). */
type Refund = { kind: "refund"; account: LeaseKind; id: number; amount: number; period: number };
export type PgEvent = LedgerEvent | { kind: "lease"; op: LeaseOp } | Refund;
type Event = PgEvent;

export class PgLedger {
  private queue: Event[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: { seq: number; slice: Event[] } | null = null;
  private flushing: Promise<boolean> | null = null;
  private seq = 0;

  constructor(
    private readonly sql: SQL,
    private readonly instance: string,
    private readonly everyMs = 20,
    /** told about every failed write (metrics, /readyz) */
    private readonly onError: (e: Error) => void = (e) => console.error("ledger:", e.message),
  ) {}

  get depth() {
    return this.queue.length + (this.pending?.slice.length ?? 0);
  }

  /** true while a slice is being written */
  get writing() {
    return this.flushing !== null;
  }

  /** slices written so far */
  batches = 0;
  /** charges that found their lease reclaimed and their balance short: counted here, not as used */
  shortfall = 0;

  /** What the queue (and a slice being written) will still take out of this instance's lease of the
   * account: charges and returns not yet in the database. */
  outstanding(kind: LeaseKind, id: number, period: number): number {
    let out = 0;
    for (const list of [this.pending?.slice ?? [], this.queue])
      for (const e of list)
        if (e.kind === "lease" && e.op.kind === kind && e.op.id === id && e.op.period === period)
          out += e.op.spent + e.op.returned;
    return out;
  }

  /** A call settled: its charge and counters, and what of it came out of each lease. The balance columns
   * move only with the leases (taken, charged, given back), so the settlement's refunds are not written
   * (they went back into the lease in memory) and no balance delta is (a budget period's roll is
   * written apart: store/pg/budget-rolls.ts). */
  settle(who: Who, s: Settlement, spent: LeaseSpend, row: NewLog | null, into?: Event[]) {
    this.emit({ kind: "settle", s: { ...s, tokenDelta: 0, userDelta: 0 }, held: false, row, ...who }, into);
    if (spent.token > 0) this.emit(leaseOp("token", who.tokenId, spent.tokenPeriod ?? 0, spent.token, 0), into);
    if (spent.user > 0) this.emit(leaseOp("user", who.userId, spent.userPeriod ?? 0, spent.user, 0), into);
  }

  /** Queues `e`, or adds it to `into` (the events of a step written in its own transaction). */
  private emit(e: Event, into: Event[] | undefined) {
    if (into) into.push(e);
    else this.enqueue(e);
  }

  /** A kept hold settled (a video job's: kept-holds.ts): its charge and counters, and what it did not
   * use back to each balance it came from (`refunds`, with the hold's periods). */
  settleKept(
    who: Who,
    s: Settlement,
    refunds: { token: number; user: number; tokenPeriod: number; userPeriod: number },
    row: NewLog | null,
    into?: Event[],
  ) {
    this.emit({ kind: "settle", s: { ...s, tokenDelta: 0, userDelta: 0 }, held: false, row, ...who }, into);
    if (refunds.token > 0)
      this.emit(
        { kind: "refund", account: "token", id: who.tokenId, amount: refunds.token, period: refunds.tokenPeriod },
        into,
      );
    if (refunds.user > 0)
      this.emit(
        { kind: "refund", account: "user", id: who.userId, amount: refunds.user, period: refunds.userPeriod },
        into,
      );
  }

  /** What a lease gives back to its account's balance (services/leases.ts). */
  giveBack(kind: LeaseKind, id: number, amount: number, period = 0) {
    if (amount > 0) this.enqueue(leaseOp(kind, id, period, 0, amount));
  }

  /** A call record that moves no money (a refusal). */
  push(row: NewLog, into?: Event[]) {
    this.emit({ kind: "log", row }, into);
  }

  /** Writes `events` in the caller's open transaction `tx` (a step that must commit with them: a video
   * job's end), as a batch of its own. */
  async writeInto(tx: SQL, events: Event[]): Promise<void> {
    if (events.length === 0) return;
    this.shortfall += await this.write(tx, ++this.seq, events);
  }

  /** Writes everything queued now; false when the database refused (it stays queued). */
  async flushAll(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.depth > 0) if (!(await this.flushSlice())) return false;
    return true;
  }

  private enqueue(e: Event) {
    this.queue.push(e);
    this.later(this.everyMs);
  }

  /** A flush in `ms`, unless one is due already (the timer is forgotten when it fires: a flush asked for
   * while a slice was being written then still gets its turn). */
  private later(ms: number) {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flushSlice();
    }, ms);
  }

  /** One slice at a time; a failed one is kept under its number and retried first. */
  private flushSlice(): Promise<boolean> {
    this.flushing ??= this.writeNext().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeNext(): Promise<boolean> {
    if (!this.pending) {
      if (this.queue.length === 0) return true;
      this.pending = { seq: ++this.seq, slice: this.queue.splice(0, SLICE) };
    }
    const { seq, slice } = this.pending;
    try {
      const shortfall = await this.sql.begin((tx) => this.write(tx, seq, slice));
      this.shortfall += shortfall;
      this.pending = null;
      this.batches++;
    } catch (e) {
      this.onError(e as Error);
      this.later(Math.max(this.everyMs, 250));
      return false;
    }
    if (this.depth > 0) this.later(this.queue.length >= SLICE ? 0 : this.everyMs);
    return true;
  }

  /** Writes the slice; returns the shortfall of charges that found their lease gone and balance short. */
  private async write(tx: SQL, seq: number, slice: Event[]): Promise<number> {
    if (!(await claimBatch(tx, this.instance, seq))) return 0; // committed before; its answer was lost
    const ops: LeaseOp[] = [];
    const refunds: Refund[] = [];
    const events: LedgerEvent[] = [];
    for (const e of slice)
      if (e.kind === "lease") ops.push(e.op);
      else if (e.kind === "refund") refunds.push(e);
      else events.push(e);
    const w = summarize(events);
    const leaseOps = mergeLeaseOps(ops).sort(byAccount);
    const idsOf = (kind: LeaseKind, sums: Map<number, unknown>) => [
      ...sums.keys(),
      ...leaseOps.filter((o) => o.kind === kind).map((o) => o.id),
      ...refunds.filter((r) => r.account === kind).map((r) => r.id),
    ];
    await lockAccounts(tx, idsOf("token", w.tokens), idsOf("user", w.users));
    // a charge whose lease was reclaimed meanwhile and whose balance is short is not counted as used
    let shortfall = 0;
    for (const { kind, id, short } of await applyLeaseOps(tx, this.instance, leaseOps)) {
      shortfall += short;
      const sums = (kind === "token" ? w.tokens : w.users).get(id);
      if (sums) sums.used -= short;
    }
    for (const r of refunds) {
      const [table, column] = r.account === "token" ? ["tokens", "remain_quota"] : ["users", "quota"];
      await tx.unsafe(`UPDATE ${table} SET ${column} = ${column} + $1 WHERE id = $2 AND period_start = $3`, [
        r.amount,
        r.id,
        r.period,
      ]);
    }
    for (let at = 0; at < w.rows.length; at += ROWS_PER_INSERT) {
      const rows = w.rows.slice(at, at + ROWS_PER_INSERT);
      await tx.unsafe(logInsert(rows.length), rows.flatMap(logValues));
    }
    for (const [id, t] of [...w.tokens].sort(byId))
      await tx`UPDATE tokens SET used_quota = used_quota + ${t.used}, request_count = request_count + ${t.calls}, accessed_time = GREATEST(accessed_time, ${t.at}) WHERE id = ${id}`;
    for (const [id, u] of [...w.users].sort(byId))
      await tx`UPDATE users SET used_quota = used_quota + ${u.used}, request_count = request_count + ${u.calls}
        WHERE id = ${id}`;
    for (const r of w.rollups.map(dailyValues).sort(byKey)) await tx.unsafe(DAILY, [...r]);
    const hours = w.hourly.rows().sort((a, b) => byKey(hourKey(a), hourKey(b)));
    for (let at = 0; at < hours.length; at += ROWS_PER_INSERT) {
      const rows = hours.slice(at, at + ROWS_PER_INSERT);
      await tx.unsafe(
        hourlyUpsert(rows.length),
        rows.flatMap((h) => [...hourlyValues(h)]),
      );
    }
    return shortfall;
  }

  /** Waits (up to `waitMs`) for the queue to be written. */
  async stop(waitMs = 5000) {
    const until = Date.now() + waitMs;
    while (this.depth > 0 && Date.now() < until) if (!(await this.flushAll())) await Bun.sleep(100);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

const leaseOp = (kind: LeaseKind, id: number, period: number, spent: number, returned: number): Event => ({
  kind: "lease",
  op: { kind, id, period, spent, returned },
});

// rows are locked in one order by every instance, so two instances' slices cannot deadlock on them
const byId = (a: [number, unknown], b: [number, unknown]) => a[0] - b[0];
const byAccount = (a: LeaseOp, b: LeaseOp) => (a.kind === b.kind ? a.id - b.id : a.kind === "token" ? -1 : 1);
const byKey = (a: readonly unknown[], b: readonly unknown[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return String(a[i]) < String(b[i]) ? -1 : 1;
  return 0;
};
const hourKey = (h: HourlyRow) => [h.dim, h.span, h.hour, h.key];

/** A log row's values in LOG_COLUMNS' order. */
const logValues = (row: NewLog) => LOG_COLUMNS.map(([, key, fallback]) => row[key] ?? fallback);
