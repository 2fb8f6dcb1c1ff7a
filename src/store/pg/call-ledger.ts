// The CallLedger (store/call-ledger.ts) on PostgreSQL: the relay's events go to the instance's PgLedger.
// A hold lives in the instance's quota lease, not in a row, so taking one writes nothing; a settlement
// carries what left each lease (the hold minus what went back into it); a kept hold's (a video job's)
// carries what goes back to each balance. A budget period's roll is written at once, by the first
// instance that sees it (store/pg/budget-rolls.ts). `atomically` runs its step in one services'
// transaction and writes the events the step made in that same transaction.
import type { AccountKind, Roll } from "../../core/budget";
import type { Hold, Settlement } from "../../core/quota";
import type { CallLedger } from "../call-ledger";
import type { Who } from "../ledger-slice";
import type { NewLog } from "../logs";
import type { PgEvent, PgLedger } from "./ledger";
import type { PgTx } from "./pg-tx";
import { AsyncLocalStorage } from "node:async_hooks";
import { RowsOnTheWay } from "../rows-on-the-way";
import { rollAccount } from "./budget-rolls";
import { refusals } from "../../core/refusals";
import type { SQL } from "bun";

export class PgCallLedger implements CallLedger {
  private readonly onTheWay = new RowsOnTheWay();
  private readonly rolling = new Map<string, Promise<void>>();
  /** the events of an `atomically` step, written in its transaction */
  private readonly capture = new AsyncLocalStorage<PgEvent[]>();

  constructor(
    private readonly ledger: PgLedger,
    private readonly sql: SQL,
    private readonly tx: PgTx,
  ) {}

  get depth() {
    return this.ledger.depth;
  }

  hold(_who: Who, _hold: Hold) {}

  settle(who: Who, s: Settlement, hold: Hold | null, row: NewLog | null) {
    const into = this.capture.getStore();
    if (hold?.kept) {
      const refunds = {
        token: s.tokenDelta,
        user: s.userDelta,
        tokenPeriod: hold.tokenPeriod,
        userPeriod: hold.userPeriod,
      };
      return this.ledger.settleKept(who, s, refunds, row, into);
    }
    const spent = hold
      ? {
          token: hold.tokenAmount - s.tokenDelta,
          user: hold.userAmount - s.userDelta,
          tokenPeriod: hold.tokenPeriod,
          userPeriod: hold.userPeriod,
        }
      : { token: 0, user: 0, tokenPeriod: 0, userPeriod: 0 };
    this.ledger.settle(who, s, spent, row, into);
  }

  /** Rolls the account in PostgreSQL (one write per account and period, however many calls ask). */
  roll(account: AccountKind, id: number, roll: Roll): Promise<void> {
    const key = `${account}:${id}:${roll.periodStart}`;
    let writing = this.rolling.get(key);
    if (!writing) {
      writing = rollAccount(this.sql, account, id, roll.periodStart).then(
        () => void this.rolling.delete(key),
        (e) => {
          this.rolling.delete(key);
          console.error("budget roll:", (e as Error).message);
          throw refusals.databaseUnavailable(); // the call may retry; the roll is done by whoever comes next
        },
      );
      this.rolling.set(key, writing);
    }
    return writing;
  }

  push(row: NewLog) {
    this.ledger.push(row, this.capture.getStore());
  }

  async flushed() {
    await this.ledger.flushAll();
  }

  /** `step` in one services' transaction, with the events it made written in the same transaction. */
  atomically<T>(step: () => Promise<T> | T): Promise<T> {
    return this.tx.run(() =>
      this.capture.run([], async () => {
        const result = await step();
        await this.ledger.writeInto(this.tx.raw()!, this.capture.getStore()!);
        return result;
      }),
    );
  }

  expectRow(): () => void {
    return this.onTheWay.expect();
  }

  async stop(waitMs = 5000) {
    const until = Date.now() + waitMs;
    await this.onTheWay.arrived(until);
    await this.ledger.stop(Math.max(0, until - Date.now()));
  }
}
