// Test support: the PostgreSQL the suite may use. .ci/run sets APIYI_TEST_DATABASE_URL (a database
// made for the run); each file that needs PostgreSQL gets a fresh database of its own from it, dropped
// after the file. Without the variable those suites are skipped, and say why once.
import { afterAll, beforeAll, describe } from "bun:test";
import { SQL } from "bun";

export const PG_BASE_URL = process.env.APIYI_TEST_DATABASE_URL || undefined;

const SKIP_REASON =
  "APIYI_TEST_DATABASE_URL is not set, so the PostgreSQL suites are skipped (.ci/run sets it; by hand: APIYI_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)";
let told = false;

/** `describe` when a PostgreSQL is given, else a skipped describe and the reason, printed once. */
export function describePg(name: string, body: () => void) {
  if (PG_BASE_URL) return describe(name, body);
  if (!told) console.log(`(skip) ${SKIP_REASON}`);
  told = true;
  return describe.skip(`${name} [skipped: no APIYI_TEST_DATABASE_URL]`, body);
}

/** `base` with another database name (same user, password, host and options). */
export function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

let made = 0;

/** A fresh, empty database for this file (created in beforeAll, dropped in afterAll, connections and all). */
export function usePgDatabase(): { readonly url: string; readonly name: string } {
  const name = `apiyi_t_${process.pid}_${Date.now().toString(36)}_${made++}`;
  const state = { url: "", name };
  beforeAll(async () => {
    if (!PG_BASE_URL) return;
    await admin((sql) => sql.unsafe(`CREATE DATABASE "${name}"`));
    state.url = withDatabase(PG_BASE_URL, name);
  });
  afterAll(async () => {
    if (!PG_BASE_URL || !state.url) return;
    await admin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
  return state;
}

/** Runs `work` on a short-lived connection to the run's own database (CREATE / DROP DATABASE). */
export async function admin<T>(work: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL({ url: PG_BASE_URL, max: 1, connectionTimeout: 5 });
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

/** `sql` whose first transaction commits and then reports an error, as when the connection dies right
 * after COMMIT: the caller cannot tell whether it was written. */
export function losingFirstCommitAnswer(sql: SQL): SQL {
  let lose = true;
  return new Proxy(sql, {
    get(target, key) {
      if (key !== "begin") return Reflect.get(target, key);
      return async (fn: (tx: SQL) => Promise<unknown>) => {
        const result = await target.begin(fn);
        if (lose) {
          lose = false;
          throw new Error("connection lost after COMMIT");
        }
        return result;
      };
    },
  });
}

/** A short-lived pool on `url` for a test's own checks. */
export async function onDatabase<T>(url: string, work: (sql: SQL) => Promise<T>): Promise<T> {
  const sql = new SQL({ url, max: 2, connectionTimeout: 5 });
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}
