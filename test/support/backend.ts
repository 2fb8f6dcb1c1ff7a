// Test support: the database the end-to-end suites run servers on. By default each server has SQLite in
// its data dir; with APIYI_TEST_BACKEND=postgres (and APIYI_TEST_DATABASE_URL) each data dir gets a
// PostgreSQL database of its own instead (the same one again when a test restarts a server on the same
// data dir), so the same suites run against both backends (.ci/run runs the shared ones twice).
import { test } from "bun:test";
import { createHash } from "node:crypto";
import { SQL } from "bun";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { PG_BASE_URL, withDatabase } from "./postgres";

export const ON_POSTGRES = process.env.APIYI_TEST_BACKEND === "postgres" && !!PG_BASE_URL;

/** A test that reads or writes the data dir's SQLite file itself (to plant old rows, or to look for
 * plaintext in it): skipped when the servers run on PostgreSQL. */
export const sqliteOnly = ON_POSTGRES ? test.skip : test;

/** The sealing secret every test server on PostgreSQL shares. */
export const TEST_PG_SECRET = "test-backend-secret-0123456789abcdefghijkl";

const nameOf = (dataDir: string) => `apiyi_s_${createHash("sha1").update(dataDir).digest("hex").slice(0, 20)}`;

async function onServer<T>(work: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL({ url: PG_BASE_URL, max: 1, connectionTimeout: 5 });
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

/** The arguments and environment that put a server on `dataDir` on its PostgreSQL database (made if new);
 * nothing on SQLite, or when the test chose a database itself. */
export async function backendFor(
  dataDir: string,
  args: string[],
): Promise<{ args: string[]; env: Record<string, string> }> {
  if (!ON_POSTGRES || args.includes("--database")) return { args: [], env: {} };
  const name = nameOf(dataDir);
  await onServer(async (sql) => {
    const [found] = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!found) await sql.unsafe(`CREATE DATABASE "${name}"`);
  });
  return { args: ["--database", withDatabase(PG_BASE_URL!, name)], env: { APIYI_SECRET: TEST_PG_SECRET } };
}

/** For a CLI command on a data dir (`--data-dir` or APIYI_DATA_DIR) whose server runs on PostgreSQL: the
 * same database (nothing otherwise). */
export async function cliBackendFor(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ args: string[]; env: Record<string, string> }> {
  const at = args.indexOf("--data-dir");
  const dataDir = at >= 0 ? args[at + 1] : env.APIYI_DATA_DIR;
  if (!ON_POSTGRES || dataDir === undefined || args.includes("--database")) return { args: [], env: {} };
  const name = nameOf(dataDir);
  const found = await onServer(async (sql) => (await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`).length);
  if (!found) return { args: [], env: {} };
  return { args: ["--database", withDatabase(PG_BASE_URL!, name)], env: { APIYI_SECRET: TEST_PG_SECRET } };
}

/** Drops the data dir's database (when the server on it is gone for good). */
export async function dropBackend(dataDir: string) {
  if (!ON_POSTGRES) return;
  await onServer((sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${nameOf(dataDir)}" WITH (FORCE)`));
}

/** Reads the database of the server on `dataDir` (or at a postgres:// URL), whichever backend it runs on:
 * `all(sql, ...args)` with `?` placeholders, numbers as numbers (PostgreSQL's bigints come as strings).
 * Close it when done. */
export function serverRows(dataDir: string) {
  const url = dataDir.startsWith("postgres://")
    ? dataDir
    : ON_POSTGRES
      ? withDatabase(PG_BASE_URL!, nameOf(dataDir))
      : null;
  if (!url) {
    const db = new Database(join(dataDir, "apiyi.db"), { readonly: true });
    return {
      postgres: false,
      all: async <T>(text: string, ...args: (string | number)[]) => db.query(text).all(...args) as T[],
      close: async () => db.close(),
    };
  }
  const sql = new SQL({ url, max: 1 });
  const numeric = /^-?\d+$/;
  return {
    postgres: true,
    all: async <T>(text: string, ...args: (string | number)[]) => {
      let n = 0;
      const rows = (await sql.unsafe(
        text.replace(/\?/g, () => `$${++n}`),
        args,
      )) as Record<string, unknown>[];
      return rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, typeof v === "string" && numeric.test(v) ? Number(v) : v]),
        ),
      ) as T[];
    },
    close: () => sql.close(),
  };
}
export type ServerRows = ReturnType<typeof serverRows>;

/** One read of the server's database (serverRows, opened and closed around it). */
export async function readRows<T>(dataDir: string, text: string, ...args: (string | number)[]): Promise<T[]> {
  const rows = serverRows(dataDir);
  try {
    return await rows.all<T>(text, ...args);
  } finally {
    await rows.close();
  }
}
