// Transactions over the one bun:sqlite connection, for services written with await. A transaction's body
// awaits only store calls, which bun:sqlite answers at once, so it runs within one turn of the event loop;
// but other tasks' promise continuations may run between its steps, on the same connection. So a store call
// from outside the open transaction waits for its end (it would otherwise join it, or read what it has not
// committed yet), and the ledger does not flush while one is open (store/ledger.ts). Work a transaction
// starts and does not await (a timer, an alert) inherits its context but runs after it: it is outside.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Database } from "bun:sqlite";

export class SqliteTx {
  private readonly inside_ = new AsyncLocalStorage<{ open: boolean }>();
  /** the open transaction's end, or null */
  private ending: Promise<unknown> | null = null;

  constructor(
    private readonly sqlite: Database,
    /** runs before an outermost transaction begins (the ledger writes its queue first, so a balance read
     * inside is the true one) */
    private readonly beforeBegin: () => void = () => {},
  ) {}

  /** true while a transaction is open (the ledger's timer then waits) */
  get open() {
    return this.ending !== null;
  }

  /** true inside the open transaction's own tasks */
  get inside() {
    return this.inside_.getStore()?.open === true;
  }

  /** Runs a store call: at once inside the open transaction or when none is open, else after it ends. */
  async call<T>(fn: () => T): Promise<T> {
    while (this.ending && !this.inside) await this.ending.catch(() => {});
    return fn();
  }

  /** One transaction that takes the write lock first (BEGIN IMMEDIATE: read-then-write safe across
   * processes). A transaction begun inside another joins it. */
  async run<T>(body: () => Promise<T> | T): Promise<T> {
    if (this.inside) return body();
    while (this.ending) await this.ending.catch(() => {});
    this.beforeBegin();
    const context = { open: true };
    const result = this.inside_.run(context, async () => {
      this.sqlite.run("BEGIN IMMEDIATE");
      try {
        const value = await body();
        this.sqlite.run("COMMIT");
        return value;
      } catch (e) {
        if (this.sqlite.inTransaction) this.sqlite.run("ROLLBACK");
        throw e;
      } finally {
        context.open = false;
      }
    });
    this.ending = result;
    try {
      return await result;
    } finally {
      if (this.ending === result) this.ending = null;
    }
  }
}
