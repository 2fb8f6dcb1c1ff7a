// The CallLedger (store/call-ledger.ts) on PostgreSQL: the relay's events go to the instance's PgLedger.
// A hold lives in the instance's quota lease, not in a row, so taking one writes nothing; a settlement
// carries what left each lease (the hold minus what went back into it). Budget periods are refused on
// PostgreSQL for now (services check it), so a roll never reaches here.
import type { AccountKind, Roll } from "../../core/budget";
import type { Hold, Settlement } from "../../core/quota";
import type { CallLedger } from "../call-ledger";
import type { Who } from "../ledger-slice";
import type { NewLog } from "../logs";
import type { PgLedger } from "./ledger";
import { RowsOnTheWay } from "../rows-on-the-way";

export class PgCallLedger implements CallLedger {
  private readonly onTheWay = new RowsOnTheWay();

  constructor(private readonly ledger: PgLedger) {}

  get depth() {
    return this.ledger.depth;
  }

  hold(_who: Who, _hold: Hold) {}

  settle(who: Who, s: Settlement, hold: Hold | null, row: NewLog | null) {
    const spent = hold
      ? { token: hold.tokenAmount - s.tokenDelta, user: hold.userAmount - s.userDelta }
      : { token: 0, user: 0 };
    this.ledger.settle(who, s, spent, row);
  }

  roll(account: AccountKind, id: number, _roll: Roll) {
    throw new Error(`budget periods are not supported on PostgreSQL yet (${account} ${id} has one)`);
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
