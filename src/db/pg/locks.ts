// PostgreSQL advisory lock keys: one namespace for apiyi (the first int, "apiy") and one number per
// job, so N instances agree on who migrates, who bootstraps and who runs the once-per-cluster work.
export const LOCK_SPACE = 0x61706979;

export const LOCK = {
  /** schema migrations and the first-start setup (held for the transaction that applies them) */
  migrate: 1,
  /** the cluster's leader, which runs the work that must run once (held for its session) */
  leader: 2,
  /** the services' transactions (held for each): one at a time across the cluster, as SQLite's write
   * lock makes them on one machine, so their read-then-write checks hold (store/pg/pg-tx.ts) */
  services: 3,
} as const;
