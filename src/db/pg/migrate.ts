// Applies the embedded PostgreSQL migrations (migrations/pg/) in one transaction that first takes an
// advisory lock: N instances starting together queue on it, the first applies, the others find nothing
// left. DDL is transactional in PostgreSQL, so a failure leaves the schema as it was. drizzle's own
// bookkeeping table (drizzle.__drizzle_migrations) is used, so drizzle-kit agrees on what is applied.
import type { SQL } from "bun";
import { embeddedMigrations } from "../embed-migrations" with { type: "macro" };
import { MigrationError } from "../migrate";
import { LOCK, LOCK_SPACE } from "./locks";

export const PG_MIGRATIONS = embeddedMigrations("pg");

/** Work done under the migration lock, in its transaction, after the schema is current (the first
 * start's setup: it then runs once for the whole cluster). */
export type UnderLock = (tx: SQL) => Promise<void>;

/** Applies every migration not yet applied; returns how many it applied. */
export async function applyPgMigrations(sql: SQL, opts: { setup?: UnderLock } = {}): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${LOCK.migrate})`;
    await tx`CREATE SCHEMA IF NOT EXISTS drizzle`;
    await tx`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`;
    const [last] = await tx`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`;
    const lastMillis = last ? Number(last.created_at) : -1;
    if (lastMillis > (PG_MIGRATIONS.at(-1)?.folderMillis ?? 0))
      throw new MigrationError("this database was written by a newer apiyi; run that version or restore a backup");
    let applied = 0;
    for (const m of PG_MIGRATIONS) {
      if (m.folderMillis <= lastMillis) continue;
      for (const stmt of m.sql) if (stmt.trim()) await tx.unsafe(stmt);
      await tx`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${m.hash}, ${m.folderMillis})`;
      applied++;
    }
    if (opts.setup) await opts.setup(tx);
    return applied;
  });
}
