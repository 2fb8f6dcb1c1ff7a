// `apiyi copy --to URL`: a real data dir (a server made users, tokens, a channel, prices, sessions; then
// 100,000 log rows and their daily rollups written straight into SQLite) is copied into a fresh
// PostgreSQL database. The test checks on its own, with its own queries: every row of every table is
// the same on both sides (sealed keys byte for byte), the money totals agree, new rows get ids after
// the copied ones. A target that differs (a trigger changes balances) gets nothing committed, exit 1. A
// second copy into the same database, a data dir with a hold, a password in --to and a missing database
// are refused; the output never shows the secret or the URL's password.
import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { onDatabase, describePg, usePgDatabase } from "../../support/postgres";
import { prng } from "../../support/prng";
import {
  ADMIN_PASSWORD,
  call,
  cli,
  login,
  makeUser,
  priceModels,
  scratchDirs,
  startServer,
} from "../../support/server";

const newDir = scratchDirs("apiyi-copy-");
const TABLES = [
  "users",
  "groups",
  "tokens",
  "settings",
  "sessions",
  "channels",
  "logs",
  "prices",
  "holds",
  "usage_daily",
  "usage_hourly",
  "alert_sends",
  "redemptions",
  "video_jobs",
];
const SUMS = [
  "users.quota",
  "users.used_quota",
  "tokens.remain_quota",
  "tokens.used_quota",
  "logs.quota",
  "usage_daily.quota",
];
const MODELS = ["gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash"];
const LOG_ROWS = 100_000;
/** text COPY must escape (tab, newline, carriage return, backslash) next to quotes and non-ASCII */
const AWKWARD = "tab\there\nnext line\\back 'single' \"double\" 中文 ✓\r\nend";
const PG_PASSWORD = "pg-password-never-printed";

/** `url` with a password in it (the test server trusts local connections, so it is not checked). */
const withPassword = (url: string) => Object.assign(new URL(url), { password: PG_PASSWORD }).toString();

const liteQuery = (dbPath: string, sql: string, ...params: string[]) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.query(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

/** A row as text with its columns sorted: SQLite's 0/1 and PostgreSQL's booleans, numbers and
 * bigint-as-text all read the same. */
const normalized = (row: Record<string, unknown>) =>
  JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => {
        const v = row[k];
        return [k, v === null ? null : String(typeof v === "boolean" ? Number(v) : v)];
      }),
  );

/** Every table's rows (normalized and sorted), counts and the money sums of one side. */
async function sideOf(read: (sql: string) => Promise<Record<string, unknown>[]>) {
  const rows: Record<string, string[]> = {};
  for (const t of TABLES) rows[t] = (await read(`SELECT * FROM "${t}"`)).map(normalized).sort();
  const sums: Record<string, string> = {};
  for (const s of SUMS) {
    const [table, column] = s.split(".");
    sums[s] = String((await read(`SELECT coalesce(sum(${column}), 0) AS v FROM "${table}"`))[0].v);
  }
  const counts = Object.fromEntries(TABLES.map((t) => [t, rows[t].length]));
  return { rows, counts, sums };
}

const sqliteSide = (dataDir: string) => sideOf(async (sql) => liteQuery(join(dataDir, "apiyi.db"), sql));
const pgSide = (url: string) => onDatabase(url, (pg) => sideOf((sql) => pg.unsafe(sql)));

/** A data dir made by a real server (users, tokens, a group, a channel, prices, sessions), stopped
 * cleanly, then 100,000 log rows and their daily rollups written straight into the SQLite file. */
async function makeDataDir() {
  const server = await startServer({ dataDir: newDir() });
  try {
    const admin = await login(server.url, "admin", ADMIN_PASSWORD);
    await call(server.url, "POST", "/api/group/", { name: "vip", description: "the vip group" }, admin);
    const channel = { name: "upstream", base_url: "https://api.example.com", key: "sk-up-copy", models: MODELS.join() };
    expect((await call(server.url, "POST", "/api/channel/", channel, admin)).status).toBe(201);
    await priceModels(server.url, admin, MODELS);
    for (const [i, name] of ["ann", "bob"].entries()) {
      const u = await makeUser(server.url, admin, name);
      expect(
        (await call(server.url, "POST", `/api/user/${u.id}/topup`, { quota: 5_000_000 * (i + 1) }, admin)).status,
      ).toBe(200);
      for (const t of ["laptop", "ci"])
        expect((await u.api.post("/api/token/", { name: t, remain_quota: 1_000_000 })).status).toBe(201);
    }
  } finally {
    expect(await server.stop()).toBe(0);
  }
  const db = new Database(join(server.dataDir, "apiyi.db"));
  const tokens = db
    .query("SELECT t.id, t.name, t.user_id, u.username FROM tokens t JOIN users u ON u.id = t.user_id")
    .all() as {
    id: number;
    name: string;
    user_id: number;
    username: string;
  }[];
  const insert = db.query(
    `INSERT INTO logs (created_at, type, user_id, username, token_id, token_name, model, upstream_model, "group", channel_id,
       endpoint, prompt_tokens, cached_tokens, completion_tokens, quota, duration_ms, ttft_ms, is_stream, request_id,
       status_code, ip, content, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'default', 1, '/v1/chat/completions',
       ?, ?, ?, ?, ?, ?, ?, ?, ?, '203.0.113.7', ?, ?)`,
  );
  const random = prng(17);
  const start = Date.now() - 30 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < LOG_ROWS; i++) {
      const t = tokens[i % tokens.length];
      const failed = random() < 0.03;
      const prompt = Math.floor(random() * 4000);
      const completion = failed ? 0 : Math.floor(random() * 1500);
      insert.run(
        start + Math.floor((i * 30 * 86_400_000) / LOG_ROWS),
        failed ? 5 : 2,
        t.user_id,
        t.username,
        t.id,
        t.name,
        MODELS[i % 3],
        MODELS[i % 3],
        prompt,
        Math.floor(prompt / 4),
        completion,
        failed ? 0 : prompt + 2 * completion,
        200 + Math.floor(random() * 5000),
        failed ? 0 : 80,
        i % 2,
        `req-${i}`,
        failed ? 502 : 200,
        i % 997 === 0 ? AWKWARD : "",
        JSON.stringify([{ channel_id: 1, status: failed ? 502 : 200, ms: 120 }]),
      );
    }
    db.run(`INSERT INTO usage_daily (day, user_id, token_id, model, "group", type, calls, prompt_tokens, cached_tokens,
        completion_tokens, quota)
      SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch'), user_id, token_id, model, "group", type, count(*),
        sum(prompt_tokens), sum(cached_tokens), sum(completion_tokens), sum(quota)
      FROM logs WHERE type IN (2, 5) GROUP BY 1, 2, 3, 4, 5, 6`);
    db.run(
      "UPDATE tokens SET used_quota = (SELECT coalesce(sum(quota), 0) FROM logs WHERE token_id = tokens.id AND type IN (2, 5))",
    );
    db.run(
      "UPDATE users SET used_quota = (SELECT coalesce(sum(quota), 0) FROM logs WHERE user_id = users.id AND type IN (2, 5))",
    );
  })();
  db.close();
  return server.dataDir;
}

const maxId = (dataDir: string, table: string) =>
  liteQuery(join(dataDir, "apiyi.db"), `SELECT max(id) AS m FROM ${table}`)[0].m as number;

const secretOf = (dataDir: string) => readFileSync(join(dataDir, "secret"), "utf8").trim();

/** Neither the secret nor the URL's password ever appears in what the command printed. */
function expectNothingSecret(out: { stdout: string; stderr: string }, secret: string) {
  for (const text of [out.stdout, out.stderr]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(PG_PASSWORD);
  }
}

describe("refusals that need no PostgreSQL", () => {
  test("a password in --to is refused before anything is read, and never shown", async () => {
    const r = await cli([
      "copy",
      "--to",
      `postgres://apiyi:${PG_PASSWORD}@127.0.0.1:5432/apiyi`,
      "--data-dir",
      newDir(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("apiyi copy: --to: leave the password out of the command line");
    expect(r.stderr).toContain("APIYI_DATABASE_URL");
    expect(r.stderr + r.stdout).not.toContain(PG_PASSWORD);
  });

  test("a data dir without a database, a target that is not PostgreSQL, no target at all: one line, exit 2", async () => {
    const dir = join(newDir(), "nothing-here");
    const noDb = await cli(["copy", "--to", "postgres://apiyi@127.0.0.1:1/apiyi", "--data-dir", dir]);
    expect({ code: noDb.code, stderr: noDb.stderr }).toEqual({
      code: 2,
      stderr: `apiyi copy: no database at ${join(dir, "apiyi.db")} (is --data-dir right?)\n`,
    });
    const notPg = await cli(["copy", "--to", "mysql://root@127.0.0.1/apiyi", "--data-dir", dir]);
    expect({ code: notPg.code, stderr: notPg.stderr }).toEqual({
      code: 2,
      stderr: "apiyi copy: --to: must start with postgres:// (SQLite needs no flag: leave it out)\n",
    });
    const none = await cli(["copy", "--data-dir", dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toStartWith("apiyi copy: --to URL is required (or APIYI_DATABASE_URL)");
  });
});

describePg("apiyi copy into PostgreSQL", () => {
  const target = usePgDatabase();
  const untouched = usePgDatabase();
  const withEnvSecret = usePgDatabase();
  const wrongSecret = usePgDatabase();
  const tampered = usePgDatabase();
  let dataDir = "";
  beforeAll(async () => {
    dataDir = await makeDataDir();
  }, 60_000);

  test("copies every row of every table, checked, with ids kept and sequences moved past them", async () => {
    const before = await sqliteSide(dataDir);
    expect(before.counts.logs).toBeGreaterThan(LOG_ROWS); // and the server's own rows (top-ups)
    const r = await cli(["copy", "--to", target.url, "--data-dir", dataDir], { timeoutMs: 120_000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "copying logs: 100000 rows…\n" });
    console.log(r.stdout.split("\n")[0]); // the time it took
    expect(r.stdout).toContain(`copied ${join(dataDir, "apiyi.db")} to ${target.url}`);
    expect(r.stdout).toMatch(new RegExp(`^ {2}logs +${before.counts.logs}$`, "m"));
    expect(r.stdout).toContain(`the file ${join(dataDir, "secret")} copied into its data dir as secret, mode 0600`);
    expect(r.stdout).not.toContain("warning");
    expectNothingSecret(r, secretOf(dataDir));

    const after = await pgSide(target.url);
    expect(after.counts).toEqual(before.counts);
    expect(after.sums).toEqual(before.sums);
    for (const t of TABLES) expect({ t, rows: after.rows[t] }).toEqual({ t, rows: before.rows[t] });
    for (const t of ["users", "tokens", "sessions", "channels", "prices", "usage_daily", "groups", "settings"])
      expect({ t, n: before.counts[t] }).not.toEqual({ t, n: 0 });

    const sealed = liteQuery(join(dataDir, "apiyi.db"), "SELECT id, key_sealed FROM tokens ORDER BY id");
    expect(sealed.length).toBeGreaterThanOrEqual(4);
    const awkward = liteQuery(join(dataDir, "apiyi.db"), "SELECT count(*) AS n FROM logs WHERE content = ?", AWKWARD);
    expect(awkward[0].n).toBeGreaterThan(0);
    await onDatabase(target.url, async (pg) => {
      expect(await pg`SELECT id::int AS id, key_sealed FROM tokens ORDER BY id`).toEqual(sealed);
      const [{ n }] = await pg`SELECT count(*)::int AS n FROM logs WHERE content = ${AWKWARD}`;
      expect(n).toBe(awkward[0].n as number);
      // new rows get the next id after the copied ones
      const [user] = await pg`INSERT INTO users (username, password_hash) VALUES ('after-copy', 'x') RETURNING id::int`;
      expect(user.id).toBe(maxId(dataDir, "users") + 1);
      const [log] = await pg`INSERT INTO logs (created_at, type, user_id) VALUES (1, 4, 0) RETURNING id::int`;
      expect(log.id).toBe(maxId(dataDir, "logs") + 1);
    });
  }, 120_000);

  test("a second copy into the same database is refused and changes nothing", async () => {
    const before = await pgSide(target.url);
    const r = await cli(["copy", "--to", target.url, "--data-dir", dataDir], { timeoutMs: 60_000 });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toMatch(
      /^apiyi copy: refusing: the target database is not empty \(\w+ has \d+ rows\); copy into a new database\n$/,
    );
    expect(await pgSide(target.url)).toEqual(before);
  }, 60_000);

  test("when the two sides differ nothing is committed: exit 1, naming the total and both numbers", async () => {
    // a trigger on the target adds 1 to every copied user's balance: the counts agree, Σ users.quota does not
    expect((await cli(["migrate"], { env: { APIYI_DATABASE_URL: tampered.url } })).code).toBe(0);
    await onDatabase(tampered.url, (pg) =>
      pg.unsafe(`CREATE FUNCTION richer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.quota := NEW.quota + 1; RETURN NEW; END $$;
        CREATE TRIGGER richer BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION richer();`),
    );
    const users = liteQuery(join(dataDir, "apiyi.db"), "SELECT count(*) AS n, sum(quota) AS s FROM users")[0];
    const r = await cli(["copy", "--to", tampered.url, "--data-dir", dataDir], { timeoutMs: 60_000 });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: "" });
    expect(r.stderr).toEndWith(
      `apiyi copy: the copy does not match, so nothing was written: Σ users.quota is ${users.s} in SQLite and ${Number(users.s) + Number(users.n)} in PostgreSQL\n`,
    );
    await onDatabase(tampered.url, async (pg) => {
      for (const t of TABLES)
        expect({ t, rows: (await pg.unsafe(`SELECT count(*)::int AS n FROM "${t}"`))[0].n }).toEqual({ t, rows: 0 });
    });
  }, 60_000);

  test("a data dir with a hold is refused before the target is touched", async () => {
    const held = newDir();
    expect((await cli(["migrate", "--data-dir", held])).code).toBe(0);
    const db = new Database(join(held, "apiyi.db"));
    db.run(
      "INSERT INTO holds (request_id, token_id, user_id, token_amount, user_amount, created_at) VALUES ('req-1', 1, 1, 100, 100, 1)",
    );
    db.close();
    const r = await cli(["copy", "--to", untouched.url, "--data-dir", held]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "apiyi copy: refusing: 1 hold(s) of calls in flight: a server is running on this data dir or did not stop cleanly; stop the server (if it crashed, start and stop it once so it releases them)\n",
    );
    await onDatabase(untouched.url, async (pg) => {
      const [{ n }] = await pg`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`;
      expect(n).toBe(0);
    });
  });

  test("with APIYI_SECRET the output says that value is the one (never shows it), and warns when it opens no key", async () => {
    const secret = "s".repeat(20) + "ecret-from-the-environment";
    const dir = newDir();
    const env = { APIYI_SECRET: secret };
    expect(
      (await cli(["admin", "create", "--username", "root", "--password", "root-password", "--data-dir", dir], { env }))
        .code,
    ).toBe(0);
    expect((await cli(["token", "create", "--user", "root", "--name", "k", "--data-dir", dir], { env })).code).toBe(0);

    // the URL from the environment, with a password: shown hidden only
    const right = await cli(["copy", "--data-dir", dir], {
      env: { ...env, APIYI_DATABASE_URL: withPassword(withEnvSecret.url) },
    });
    expect({ code: right.code, stderr: right.stderr }).toEqual({ code: 0, stderr: "" });
    expect(right.stdout).toContain(`to ${withPassword(withEnvSecret.url).replace(PG_PASSWORD, "***")} in `);
    expect(right.stdout).toContain("This copy ran with APIYI_SECRET set: that value is the one.");
    expect(right.stdout).not.toContain("warning");
    expectNothingSecret(right, secret);

    const other = "o".repeat(40);
    const wrong = await cli(["copy", "--to", wrongSecret.url, "--data-dir", dir], { env: { APIYI_SECRET: other } });
    expect(wrong.code).toBe(0);
    expect(wrong.stdout).toContain("warning: that secret does not open the copied keys");
    expectNothingSecret(wrong, other);
  }, 60_000);
});
