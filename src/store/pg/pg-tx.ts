// Transactions for the PostgreSQL stores: a store method reads and writes through `db()`, which is the
// open transaction of the task that called it (AsyncLocalStorage) or else the pool. `run` opens one
// transaction on a connection of its own; a transaction begun inside another joins it. Other tasks go on
// meanwhile on other connections (PostgreSQL isolates them), unlike SQLite's gate (store/sqlite-tx.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "bun";
import { sql } from "drizzle-orm";
import type { PgDb } from "../../db/pg/client";
import { LOCK, LOCK_SPACE } from "../../db/pg/locks";

/** What a store method may run statements on: the pool or a transaction (same query builder). */
export type PgQuery = Pick<PgDb, "select" | "insert" | "update" | "delete" | "execute"> & {
  $client?: unknown;
};

export class PgTx {
  private readonly inside = new AsyncLocalStorage<{ tx: PgQuery; open: boolean }>();

  constructor(private readonly root: PgDb) {}

  /** The current task's transaction, or the pool (also for work the transaction started without awaiting
   * it, a timer or an alert, that runs after it ended: it inherits the context, not the transaction). */
  db(): PgQuery {
    const t = this.inside.getStore();
    return t?.open ? t.tx : this.root;
  }

  /** Bun's client of the current task's open transaction (for statements drizzle does not build), or null. */
  raw(): SQL | null {
    const t = this.inside.getStore();
    return t?.open ? ((t.tx as unknown as { session: { client: SQL } }).session.client ?? null) : null;
  }

  /** One transaction that first takes the services' advisory lock: the services' transactions run one at
   * a time across the cluster, as SQLite's BEGIN IMMEDIATE makes them on one machine, so a check and the
   * write that depends on it (a name not taken, the last admin kept) hold. The hot path's ledger and
   * leases never take it: their writes are conditional, each statement exact by itself. */
  run<T>(body: () => Promise<T> | T): Promise<T> {
    if (this.inside.getStore()?.open) return Promise.resolve(body());
    return this.root.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${LOCK.services})`);
      const context = { tx: tx as unknown as PgQuery, open: true };
      try {
        return await this.inside.run(context, async () => body());
      } finally {
        context.open = false;
      }
    });
  }
}
