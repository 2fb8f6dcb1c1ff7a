// What the relay and the services ask of the ledger, whichever database is behind it: events in (holds,
// settlements with their log rows, refusals' rows, budget rolls), a durable prefix out, and "flush before
// read" for management reads. SQLite's is store/ledger.ts; PostgreSQL's adapter is store/pg/call-ledger.ts.
import type { AccountKind, Roll } from "../core/budget";
import type { Hold, Settlement } from "../core/quota";
import type { Who } from "./ledger-slice";
import type { NewLog } from "./logs";

export type CallLedger = {
  /** events queued and not written yet */
  readonly depth: number;
  /** A call took a hold (SQLite keeps it in a row until settled; PostgreSQL in the instance's lease). */
  hold(who: Who, hold: Hold): void;
  /** The hold's end (`hold` null: none was taken): the charge and counters, with the row that explains them
   * (null for a hold given back whole whose row is written apart). */
  settle(who: Who, s: Settlement, hold: Hold | null, row: NewLog | null): void;
  /** A token's or a user's budget period rolled: queued (SQLite), or written now (PostgreSQL, where
   * another instance may have rolled it first). */
  roll(account: AccountKind, id: number, roll: Roll): void | Promise<void>;
  /** A call record that moves no money (a refusal). */
  push(row: NewLog): void;
  /** Writes everything queued (after an open services' transaction): a read that follows sees every
   * call that has finished. */
  flushed(): Promise<void>;
  /** Runs `step` and writes what it queued with it, in one transaction where the database allows. */
  atomically<T>(step: () => Promise<T> | T): Promise<T>;
  /** A row is on its way; call the returned function once it was queued (or will never be). */
  expectRow(): () => void;
  /** Waits (up to `waitMs`) for rows still being computed, then writes everything queued. */
  stop(waitMs?: number): Promise<void>;
};
