// Applies the embedded migrations in one IMMEDIATE transaction (so a CLI and a server starting
// together cannot both apply them), in drizzle's own bookkeeping table so drizzle-kit agrees.
import type { Database } from "bun:sqlite";
import { backfillHourly } from "../store/hourly-backfill";
import { embeddedMigrations } from "./embed-migrations" with { type: "macro" };

export const MIGRATIONS = embeddedMigrations("sqlite");

export class MigrationError extends Error {}

/** Tables filled from existing rows when a migration creates them, in that migration's transaction
 * (keyed by the table, not by a migration's tag, so merging migrations does not lose the step). */
const FILLS: { table: string; fill: (sqlite: Database) => unknown }[] = [
  { table: "usage_hourly", fill: backfillHourly },
];
const hasTable = (sqlite: Database, name: string) =>
  sqlite.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== null;

/** Applies every embedded migration not yet applied (or only the first `upTo`, for upgrade tests). */
export function applyMigrations(sqlite: Database, upTo = MIGRATIONS.length): number {
  sqlite.run(
    "CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)",
  );
  let applied = 0;
  sqlite
    .transaction(() => {
      const last = sqlite
        .query<{ created_at: number }, []>(
          "SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1",
        )
        .get();
      const lastMillis = last ? Number(last.created_at) : -1;
      const known = MIGRATIONS.at(-1)?.folderMillis ?? 0;
      if (lastMillis > known) {
        throw new MigrationError("this database was written by a newer apiyi; run that version or restore a backup");
      }
      const missing = FILLS.filter((f) => !hasTable(sqlite, f.table));
      for (const m of MIGRATIONS.slice(0, upTo)) {
        if (m.folderMillis <= lastMillis) continue;
        for (const stmt of m.sql) if (stmt.trim()) sqlite.run(stmt);
        sqlite.run("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)", [m.hash, m.folderMillis]);
        applied++;
      }
      for (const f of missing) if (hasTable(sqlite, f.table)) f.fill(sqlite);
    })
    .immediate();
  return applied;
}
