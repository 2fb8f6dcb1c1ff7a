// The ledger: every money movement and call record of the hot path, written by group commit. Holds,
// settlements, log rows, balance deltas, daily and hourly rollups and the write-behind of tokens' last use go
// in one transaction per slice (at most 256 events; a flush never holds the event loop for long),
// in queue order, so the database always equals a prefix of what happened: after a crash,
// balance + Σ logged costs = initial, once the holds left behind are released at the next start.
// Balances are written as deltas, so writes by other processes (the CLI) compose with them; so is a
// budget period's roll of a token or a user (core/budget.ts), which also records the period's start.
import type { Statement } from "bun:sqlite";
import type { AccountKind, Roll } from "../core/budget";
import type { Hold, Settlement } from "../core/quota";
import type { Db } from "../db/open";
import { hourlyStatements, type HourlyStatements } from "./hourly";
import { dailyUpsertSql, dailyValues, type LedgerEvent as Event, summarize, type Who } from "./ledger-slice";
import { LogRows } from "./log-rows";
import type { NewLog } from "./logs";
import { SqliteTx } from "./sqlite-tx";
import type { CallLedger } from "./call-ledger";
import { RowsOnTheWay } from "./rows-on-the-way";

/** events per transaction: a call is usually two (hold, settle). 128 calls take ~2 ms to write: a
 * flush holds the event loop that long per slice, the next slice waiting for a turn of the loop
 * (bench/ab.ts against 500: p99 -5.3 ms JSON and -9.3 ms SSE at 50 connections, RPS unchanged; 128
 * cut p99 further but cost 6% RPS in per-slice work, the rollups' upserts above all) */
const SLICE = 256;

export class Ledger implements CallLedger {
  private queue: Event[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onTheWay = new RowsOnTheWay();
  private readonly sql: Record<"hold" | "unhold" | "token" | "user" | "rollup", Statement>;
  private readonly logRows: LogRows;
  /** the new period's start, per kind of account */
  private readonly period: Record<AccountKind, Statement>;
  private readonly hourly: HourlyStatements;
  written = 0;

  constructor(
    private readonly db: Db,
    /** how long the first event of a slice may wait: events kept longer outlive the young generation
     * of the garbage collector (promoted, then freed by full collections). At 20 ms instead of 100 the
     * collector's time fell by a quarter (JSON calls at 50 connections, BUN_JSC_logGC), but more calls
     * are still running at a commit, so more holds are written and then deleted: RPS is the same either
     * way (bench/ab.ts: ×0.976–0.997), SSE p99 4.6 ms lower */
    private readonly everyMs = 20,
    /** the services' transactions: a slice waits while one is open, unless written from inside it */
    private readonly gate: SqliteTx = new SqliteTx(db.$client),
  ) {
    const s = db.$client;
    this.hourly = hourlyStatements(s);
    this.logRows = new LogRows(s);
    this.sql = {
      hold: s.prepare(
        "INSERT INTO holds (request_id, token_id, user_id, token_amount, user_amount, created_at, period_start, user_period_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      unhold: s.prepare("DELETE FROM holds WHERE request_id = ?"),
      token: s.prepare(
        "UPDATE tokens SET remain_quota = remain_quota + ?, used_quota = used_quota + ?, request_count = request_count + ?, accessed_time = max(accessed_time, ?) WHERE id = ?",
      ),
      user: s.prepare(
        "UPDATE users SET quota = quota + ?, used_quota = used_quota + ?, request_count = request_count + ? WHERE id = ?",
      ),
      rollup: s.prepare(dailyUpsertSql(() => "?")),
    };
    this.period = {
      token: s.prepare("UPDATE tokens SET period_start = ? WHERE id = ?"),
      user: s.prepare("UPDATE users SET period_start = ? WHERE id = ?"),
    };
  }

  get depth() {
    return this.queue.length;
  }

  private enqueue(e: Event) {
    this.queue.push(e);
    this.timer ??= setTimeout(() => this.flushSlice(), this.everyMs);
  }

  hold(who: Who, hold: Hold) {
    this.enqueue({
      kind: "hold",
      hold,
      at: Date.now(),
      requestId: who.requestId,
      tokenId: who.tokenId,
      userId: who.userId,
    });
  }

  /** `row`: the log row that explains it, or null for a hold given back whole whose row is written apart */
  settle(who: Who, s: Settlement, hold: Hold | null, row: NewLog | null) {
    const held = hold !== null;
    this.enqueue({ kind: "settle", s, held, row, requestId: who.requestId, tokenId: who.tokenId, userId: who.userId });
  }

  /** A token's or a user's budget period rolled: its balance moved by `roll.remainDelta`, a new period began. */
  roll(account: AccountKind, id: number, roll: Roll) {
    this.enqueue({ kind: "roll", account, id, roll });
  }

  /** A call record that moves no money (a refusal). */
  push(row: NewLog) {
    this.enqueue({ kind: "log", row });
  }

  /** Writes everything queued now (before the API reads balances, before a reload). */
  flushAll() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0) if (!this.flushSlice()) break;
  }

  /** Writes everything queued, after the services' open transaction if one is (a read that follows
   * sees every call that has finished). */
  async flushed() {
    await this.gate.call(() => this.flushAll());
  }

  /** Runs `step` (a write elsewhere that goes with the money it queues here, e.g. a video job's end)
   * and writes the queue, in one transaction: after a crash both are on disk or neither is. */
  async atomically<T>(step: () => Promise<T> | T): Promise<T> {
    return this.gate.run(async () => {
      const result = await step();
      this.flushAll(); // nested: each slice is a savepoint of this transaction
      return result;
    });
  }

  /** Writes one slice; false if the database refused it (it stays queued). */
  private flushSlice(): boolean {
    this.timer = null;
    if (this.gate.open && !this.gate.inside) {
      // another task's transaction is open on this connection: writing now would join it
      this.timer = setTimeout(() => this.flushSlice(), 1);
      return false;
    }
    const slice = this.queue.splice(0, SLICE);
    if (slice.length === 0) return true;
    let ok = true;
    try {
      this.db.$client.transaction(() => this.write(slice)).immediate();
      this.written += slice.length;
    } catch (e) {
      ok = false;
      console.error(`ledger: ${slice.length} events not written yet:`, (e as Error).message);
      this.queue.unshift(...slice); // kept in order: a later slice must never pass an earlier one
    }
    if (this.queue.length > 0)
      this.timer ??= setTimeout(() => this.flushSlice(), this.queue.length >= SLICE ? 0 : this.everyMs);
    return ok;
  }

  private write(slice: Event[]) {
    const w = summarize(slice);
    for (const e of w.holds)
      this.sql.hold.run(
        e.requestId,
        e.tokenId,
        e.userId,
        e.hold.tokenAmount,
        e.hold.userAmount,
        e.at,
        e.hold.tokenPeriod,
        e.hold.userPeriod,
      );
    for (const id of w.unholds) this.sql.unhold.run(id);
    for (const p of w.periods) this.period[p.account].run(p.periodStart, p.id);
    this.logRows.write(w.rows);
    for (const [id, t] of w.tokens) this.sql.token.run(t.remain, t.used, t.calls, t.at, id);
    for (const [id, u] of w.users) this.sql.user.run(u.remain, u.used, u.calls, id);
    for (const r of w.rollups) this.sql.rollup.run(...dailyValues(r));
    w.hourly.write(this.hourly);
  }

  /** A row is on its way; call the returned function once it was queued (or will never be). */
  expectRow(): () => void {
    return this.onTheWay.expect();
  }

  /** Waits (up to `waitMs`) for rows still being computed, then writes everything queued. */
  async stop(waitMs = 5000) {
    await this.onTheWay.arrived(Date.now() + waitMs);
    this.flushAll();
  }
}

/** Holds of video jobs still running (relay/video): they live as long as their job, across restarts. */
const LIVE_JOB = "request_id IN (SELECT id FROM video_jobs WHERE state IN ('submitted', 'queued', 'in_progress'))";
const STALE = `holds_stale AS (SELECT * FROM holds WHERE NOT ${LIVE_JOB})`;

/** At start, before serving: holds left by calls that died with the process go back to their owners
 * (to a token or a user only when taken in its current budget period: an earlier period's is gone).
 * A running video job's hold is not stale: the poller settles it when the job ends. */
export function releaseStaleHolds(db: Db): number {
  const s = db.$client;
  return s
    .transaction(() => {
      s.run(
        `WITH ${STALE} UPDATE tokens SET remain_quota = remain_quota + (SELECT coalesce(sum(token_amount), 0) FROM holds_stale h WHERE h.token_id = tokens.id AND h.period_start = tokens.period_start) WHERE id IN (SELECT token_id FROM holds_stale)`,
      );
      s.run(
        `WITH ${STALE} UPDATE users SET quota = quota + (SELECT coalesce(sum(user_amount), 0) FROM holds_stale h WHERE h.user_id = users.id AND h.user_period_start = users.period_start) WHERE id IN (SELECT user_id FROM holds_stale)`,
      );
      return s.run(`DELETE FROM holds WHERE NOT ${LIVE_JOB}`).changes;
    })
    .immediate();
}
