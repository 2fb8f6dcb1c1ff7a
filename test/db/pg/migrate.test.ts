// PostgreSQL migrations (issue 17): N instances starting together migrate once (an advisory lock in the
// migration's transaction), the first start's setup runs once under the same lock, a second run applies
// nothing, a database written by a newer apiyi is refused, and the migrated schema has exactly the
// SQLite schema's tables, columns and indexes. Also the --database flag's checks, which need no server:
// a password on the command line, a URL that is not postgres://, and a server that cannot be reached.
import { expect, test } from "bun:test";
import { openSqlite } from "../../../src/db/open";
import { applyMigrations } from "../../../src/db/migrate";
import { connectPostgres } from "../../../src/db/pg/client";
import { applyPgMigrations, PG_MIGRATIONS } from "../../../src/db/pg/migrate";
import { describePg, onDatabase, usePgDatabase } from "../../support/postgres";
import { cli, scratchDirs } from "../../support/server";

const newDir = scratchDirs("apiyi-pg-migrate-");

describePg("PostgreSQL migrations", () => {
  const db = usePgDatabase();

  test("three `apiyi migrate` started together apply the migrations once; a fourth applies nothing", async () => {
    const runs = await Promise.all([0, 1, 2].map(() => cli(["migrate", "--database", db.url], { cwd: newDir() })));
    for (const r of runs) expect({ code: r.code, err: r.stderr }).toEqual({ code: 0, err: "" });
    const count = () =>
      onDatabase(db.url, async (sql) => (await sql`SELECT id FROM drizzle.__drizzle_migrations`).length);
    expect(await count()).toBe(PG_MIGRATIONS.length);
    const again = await cli(["migrate", "--database", db.url], { cwd: newDir() });
    expect(again.code).toBe(0);
    expect(await count()).toBe(PG_MIGRATIONS.length);
  });

  test("the setup under the migration lock runs once when three pools start at the same moment", async () => {
    const pools = [0, 1, 2].map(() => connectPostgres(db.url, 2));
    try {
      // read, wait, then insert: without the lock all three would read "none yet" and insert
      const setup = async (tx: Bun.SQL) => {
        const [row] = await tx`SELECT count(*)::int AS n FROM settings WHERE key = 'test_boot'`;
        await Bun.sleep(50);
        if (row.n === 0) await tx`INSERT INTO settings (key, value) VALUES ('test_boot', '1')`;
      };
      const applied = await Promise.all(pools.map((p) => applyPgMigrations(p, { setup })));
      expect(applied).toEqual([0, 0, 0]);
      const [row] = await pools[0]`SELECT count(*)::int AS n FROM settings WHERE key = 'test_boot'`;
      expect(row.n).toBe(1);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  test("the tables, columns (name, type family, null-ness) and indexes match the SQLite schema's", async () => {
    const lite = openSqlite(":memory:");
    applyMigrations(lite);
    const liteTables = lite
      .query<{ name: string }, []>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations' ORDER BY name",
      )
      .all()
      .map((t) => t.name);
    const liteColumns = liteTables.flatMap((t) =>
      lite
        .query<{ name: string; type: string; notnull: number }, []>(`PRAGMA table_info("${t}")`)
        .all()
        .map(
          (c) =>
            `${t}.${c.name} ${c.type.toLowerCase() === "text" ? "text" : "int"} ${c.notnull ? "not null" : "null"}`,
        ),
    );
    const liteIndexes = liteTables.flatMap((t) =>
      lite
        .query<{ name: string; origin: string }, []>(`PRAGMA index_list("${t}")`)
        .all()
        .filter((i) => i.origin === "c")
        .map((i) => i.name),
    );
    await onDatabase(db.url, async (sql) => {
      // leases, ledger_batches and the rate-limit counters are PostgreSQL's own (one SQLite process needs none)
      const tables =
        await sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN ('leases', 'ledger_batches', 'rate_slots', 'rate_flight') ORDER BY table_name`;
      expect(tables.map((t: { name: string }) => t.name)).toEqual(liteTables);
      const columns =
        await sql`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ('leases', 'ledger_batches', 'rate_slots', 'rate_flight')`;
      const family = (type: string) => (type === "text" ? "text" : "int"); // bigint, boolean
      expect(
        columns
          .map(
            (c: Record<string, string>) =>
              `${c.table_name}.${c.column_name} ${family(c.data_type)} ${c.is_nullable === "NO" ? "not null" : "null"}`,
          )
          .sort(),
      ).toEqual(liteColumns.sort());
      const indexes =
        await sql`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_pk' AND tablename NOT IN ('leases', 'ledger_batches', 'rate_slots', 'rate_flight')`;
      expect(indexes.map((i: { name: string }) => i.name).sort()).toEqual(liteIndexes.sort());
    });
    lite.close();
  });

  test("a database migrated by a newer apiyi is refused, and left as it was", async () => {
    await onDatabase(
      db.url,
      (sql) => sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('future', 9999999999999)`,
    );
    const r = await cli(["migrate", "--database", db.url], { cwd: newDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("written by a newer apiyi");
    await onDatabase(db.url, (sql) => sql`DELETE FROM drizzle.__drizzle_migrations WHERE hash = 'future'`);
  });
});

test("--database with a password on the command line is refused before anything connects", async () => {
  const r = await cli(["migrate", "--database", "postgres://apiyi:hunter2-secret@127.0.0.1:1/apiyi"], {
    cwd: newDir(),
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("APIYI_DATABASE_URL");
  expect(r.stderr).not.toContain("hunter2-secret");
});

test("--database that is not a postgres:// URL names the flag and what to write", async () => {
  for (const [value, says] of [
    ["mysql://u@h/db", "must start with postgres://"],
    ["postgres://u@h:5432/", "must name a database"],
    ["not a url", "must be a URL such as postgres://"],
  ]) {
    const r = await cli(["migrate", "--database", value], { cwd: newDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--database: ${says}`);
  }
});

test("an unreachable PostgreSQL fails in one line naming it, its password hidden", async () => {
  const r = await cli(["migrate"], {
    cwd: newDir(),
    env: { APIYI_DATABASE_URL: "postgres://apiyi:hunter2-secret@127.0.0.1:1/apiyi" },
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("cannot reach PostgreSQL at postgres://apiyi:***@127.0.0.1:1/apiyi");
  expect(r.stderr + r.stdout).not.toContain("hunter2-secret");
});

test("a malformed APIYI_DATABASE_URL is refused without echoing its password", async () => {
  const r = await cli(["migrate"], {
    cwd: newDir(),
    env: { APIYI_DATABASE_URL: "mysql://apiyi:hunter2-secret@db.internal/apiyi" },
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("APIYI_DATABASE_URL: must start with postgres://");
  expect(r.stderr).toContain("apiyi:***@db.internal");
  expect(r.stderr + r.stdout).not.toContain("hunter2-secret");
});
