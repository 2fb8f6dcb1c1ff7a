// The SQL of `apiyi backup`: copy a live database with VACUUM INTO, and check a copy.
import { Database } from "bun:sqlite";

/** Writes a consistent copy of the database at `dbPath` into `target` (an empty file). VACUUM INTO
 * reads one snapshot in a read transaction: in WAL mode the server goes on writing meanwhile, and the
 * copy is the database as of one committed transaction (a standalone file, rollback-journal mode). */
export function vacuumInto(dbPath: string, target: string) {
  const db = new Database(dbPath, { readwrite: true, create: false });
  try {
    db.run("PRAGMA busy_timeout = 5000");
    db.query("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
}

/** Checks a copy (SQLite's quick_check) and counts what it holds, for the report line. */
export function describeCopy(path: string): { problem: string | null; users: number; tokens: number; logs: number } {
  const db = new Database(path, { readonly: true });
  try {
    const check = (db.query("PRAGMA quick_check").all() as { quick_check: string }[]).map((r) => r.quick_check);
    const count = (table: string) => (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      problem: check.join("; ") === "ok" ? null : check.slice(0, 3).join("; "),
      users: count("users"),
      tokens: count("tokens"),
      logs: count("logs"),
    };
  } finally {
    db.close();
  }
}
