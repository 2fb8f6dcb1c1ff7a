// Opens the SQLite database: pragmas, migrations, then foreign keys (only AFTER migrating: a table
// rebuild with foreign keys on would cascade-delete child rows), then an integrity check.
import { Database } from "bun:sqlite";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { applyMigrations, MigrationError } from "./migrate";
import * as schema from "./schema";

export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

export function openSqlite(path: string): Database {
  const sqlite = new Database(path, { create: true, strict: true });
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA busy_timeout = 5000");
  sqlite.run("PRAGMA foreign_keys = OFF");
  return sqlite;
}

export function openDatabase(path: string): Db {
  const sqlite = openSqlite(path);
  applyMigrations(sqlite);
  sqlite.run("PRAGMA foreign_keys = ON");
  const broken = sqlite.query("PRAGMA foreign_key_check").all();
  if (broken.length > 0) {
    throw new MigrationError(`foreign key check failed after migrating: ${JSON.stringify(broken.slice(0, 3))}`);
  }
  return drizzle({ client: sqlite, schema }) as Db;
}
