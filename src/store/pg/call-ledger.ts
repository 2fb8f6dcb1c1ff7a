// The CallLedger (store/call-ledger.ts) on PostgreSQL: the relay's events go to the instance's PgLedger.
// A hold lives in the instance's quota lease, not in a row, so taking one writes nothing; a settlement
// carries what left each lease (the hold minus what went back into it). A budget period's roll is written
// at once, by the first instance that sees it (store/pg/budget-rolls.ts).
import type { AccountKind, Roll } from "../../core/budget";
import type { Hold, Settlement } from "../../core/quota";
import type { CallLedger } from "../call-ledger";
import type { Who } from "../ledger-slice";
import type { NewLog } from "../logs";
import type { PgLedger } from "./ledger";
import { RowsOnTheWay } from "../rows-on-the-way";
import { rollAccount } from "./budget-rolls";
import type { SQL } from "bun";

export class PgCallLedger implements CallLedger {
  private readonly onTheWay = new RowsOnTheWay();
  private readonly rolling = new Map<string, Promise<void>>();

  constructor(
    private readonly ledger: PgLedger,
    private readonly sql: SQL,
  ) {}

  get depth() {
    return this.ledger.depth;
  }

  hold(_who: Who, _hold: Hold) {}

  settle(who: Who, s: Settlement, hold: Hold | null, row: NewLog | null) {
    const spent = hold
      ? {
          token: hold.tokenAmount - s.tokenDelta,
          user: hold.userAmount - s.userDelta,
          tokenPeriod: hold.tokenPeriod,
          userPeriod: hold.userPeriod,
        }
      : { token: 0, user: 0, tokenPeriod: 0, userPeriod: 0 };
    this.ledger.settle(who, s, spent, row);
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
          throw e;
        },
      );
      this.rolling.set(key, writing);
    }
    return writing;
  }

  push(row: NewLog) {
    this.ledger.push(row);
  }

  async flushed() {
    await this.ledger.flushAll();
  }

  /** `step`, then its events written after it (not in its transaction: the ledger writes on its own). */
  async atomically<T>(step: () => Promise<T> | T): Promise<T> {
    const result = await step();
    await this.ledger.flushAll();
    return result;
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
