// A Bun macro: runs at build (and transpile) time, reads a dialect's migrations (migrations/ for
// SQLite, migrations/pg/ for PostgreSQL) and inlines the SQL into the bundle, so the compiled binary
// carries them and needs no files beside it.
import { readMigrationFiles } from "drizzle-orm/migrator";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type EmbeddedMigration = { tag: string; sql: string[]; folderMillis: number; hash: string };

export function embeddedMigrations(dialect: "sqlite" | "pg"): EmbeddedMigration[] {
  const folder = join(import.meta.dir, "../../migrations", dialect === "pg" ? "pg" : "");
  const journal = JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  return readMigrationFiles({ migrationsFolder: folder }).map((m, i) => ({
    tag: journal.entries[i].tag,
    sql: m.sql,
    folderMillis: m.folderMillis,
    hash: m.hash,
  }));
}
