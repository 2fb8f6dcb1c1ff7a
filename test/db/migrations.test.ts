// Upgrading a database made by an older schema: a SQLite file holding only the FIRST migration and
// rows in that old shape (NULL list columns, no tokens.request_count) is upgraded by the real
// `apiyi migrate` with no row lost and every value kept, new columns get their defaults, foreign keys
// check clean, and a server on the upgraded data dir signs the old users in and serves their tokens.
// Also: a second `migrate` applies nothing, and a database stamped by a newer apiyi is refused.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { KeyRing, maskKey, newTokenKey } from "../../src/core/keys";
import { TOKEN_STATUS } from "../../src/core/status";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { openSqlite } from "../../src/db/open";
import { call, cli, client, login, scratchDirs, startServer } from "../support/server";

const SECRET = "migration-test-secret-0123456789abcdefghijklmnop";
const newDir = scratchDirs("apiyi-migrate-");
// CLI runs happen in an empty folder of their own, so a default ./data never lands in the repository
let cwd: string | undefined;

/** `cli()` from the harness (APIYI_* of the caller dropped, killed after its default timeout) with the test secret set. */
const run = (args: string[], env: Record<string, string> = {}) =>
  cli(args, { env: { APIYI_SECRET: SECRET, ...env }, cwd: (cwd ??= newDir()) });

const USERS = [
  {
    name: "root",
    password: "root-old-password",
    role: "admin",
    quota: 0,
    used: 100,
    unlimited: 1,
    requests: 7,
    status: 1,
  },
  {
    name: "alice",
    password: "alice-old-password",
    role: "user",
    quota: 5_000_000,
    used: 250_000,
    unlimited: 0,
    requests: 3,
    status: 1,
  },
];

type OldToken = {
  user: string;
  name: string;
  status: number;
  remain: number;
  unlimited: number;
  used: number;
  expires: number;
  billing: string;
  group: string;
  fallback: string | null;
  models: string | null;
  ips: string | null;
};
const TOKENS: OldToken[] = [
  {
    user: "root",
    name: "default",
    status: 1,
    remain: 0,
    unlimited: 1,
    used: 0,
    expires: -1,
    billing: "usage_first",
    group: "default",
    fallback: null,
    models: null,
    ips: null,
  },
  {
    user: "root",
    name: "ops",
    status: 2,
    remain: 42,
    unlimited: 0,
    used: 9,
    expires: 1893456000,
    billing: "per_call",
    group: "vip",
    fallback: null,
    models: '["gpt-4o","claude-3"]',
    ips: null,
  },
  {
    user: "alice",
    name: "default",
    status: 1,
    remain: 0,
    unlimited: 1,
    used: 123,
    expires: -1,
    billing: "usage_first",
    group: "default",
    fallback: null,
    models: null,
    ips: null,
  },
  {
    user: "alice",
    name: "scripts",
    status: 1,
    remain: 1_250_000,
    unlimited: 0,
    used: 500,
    expires: -1,
    billing: "usage",
    group: "default",
    fallback: '["vip"]',
    models: null,
    ips: '["10.0.0.0/8","127.0.0.1"]',
  },
  {
    user: "alice",
    name: "laptop",
    status: 1,
    remain: 7,
    unlimited: 0,
    used: 0,
    expires: 1924992000,
    billing: "per_call_first",
    group: "default",
    fallback: null,
    models: null,
    ips: null,
  },
];

/** A data dir whose apiyi.db holds only migration 1 and rows in that old shape. Returns the plain keys. */
async function makeOldDataDir() {
  const dir = newDir();
  const sqlite = openSqlite(join(dir, "apiyi.db"));
  expect(applyMigrations(sqlite, 1)).toBe(1);
  const tokenCols = sqlite
    .query<{ name: string }, []>("PRAGMA table_info(tokens)")
    .all()
    .map((c) => c.name);
  expect(tokenCols).not.toContain("request_count"); // really the old shape

  const ring = new KeyRing(SECRET);
  const keys: Record<string, string> = {};
  sqlite.transaction(() => {
    sqlite.run(
      "INSERT INTO groups (name, description, multiplier_micros, selectable, created_at) VALUES ('default', 'the default group', 1000000, 1, 1700000000)",
    );
    sqlite.run(
      "INSERT INTO groups (name, description, multiplier_micros, selectable, created_at) VALUES ('vip', 'fast lane', 1500000, 0, 1700000001)",
    );
    const userIds: Record<string, number> = {};
    USERS.forEach((u, i) => {
      const hash = Bun.password.hashSync(u.password, { algorithm: "argon2id" });
      sqlite.run(
        "INSERT INTO users (username, password_hash, role, status, quota, used_quota, unlimited, request_count, access_token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [u.name, hash, u.role, u.status, u.quota, u.used, u.unlimited, u.requests, 1700000100 + i],
      );
      userIds[u.name] = Number(sqlite.query<{ id: number }, []>("SELECT last_insert_rowid() AS id").get()!.id);
    });
    TOKENS.forEach((t, i) => {
      const key = newTokenKey();
      keys[`${t.user}/${t.name}`] = key;
      sqlite.run(
        `INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, status, remain_quota, unlimited_quota, used_quota,
           expired_time, billing_mode, "group", fallback_groups, models, allow_ips, created_time, accessed_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          userIds[t.user],
          t.name,
          ring.hash(key),
          ring.seal(key),
          maskKey(key),
          t.status,
          t.remain,
          t.unlimited,
          t.used,
          t.expires,
          t.billing,
          t.group,
          t.fallback,
          t.models,
          t.ips,
          1700000200 + i,
          i % 2 ? 1700000300 + i : 0,
        ],
      );
    });
    sqlite.run(
      `INSERT INTO settings (key, value) VALUES ('register_enabled', 'true'), ('new_user_quota', '12345'), ('theme', '"dark"')`,
    );
  })();
  const before = dump(sqlite);
  sqlite.close();
  return { dir, keys, before };
}

type Row = Record<string, unknown>;
function dump(sqlite: Database) {
  const all = (sql: string) => sqlite.query<Row, []>(sql).all();
  return {
    users: all("SELECT * FROM users ORDER BY id"),
    tokens: all("SELECT * FROM tokens ORDER BY id"),
    groups: all("SELECT * FROM groups ORDER BY name"),
    settings: all("SELECT * FROM settings ORDER BY key"),
    migrations: all("SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at"),
  };
}

const openFile = (dir: string) => new Database(join(dir, "apiyi.db"), { strict: true });

test("an old-schema database is upgraded by `apiyi migrate` with no row lost", async () => {
  const { dir, keys, before } = await makeOldDataDir();
  expect(before.tokens.length).toBe(TOKENS.length);
  expect(before.migrations.length).toBe(1);

  const r = await run(["migrate", "--data-dir", dir]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });

  const db = openFile(dir);
  let after: ReturnType<typeof dump>;
  try {
    after = dump(db);
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!.integrity_check).toBe("ok");
    const types = db.query<Row, []>("SELECT typeof(request_count) AS rc, typeof(models) AS m FROM tokens").all();
    for (const t of types) expect(t).toEqual({ rc: "integer", m: "text" });
  } finally {
    db.close();
  }

  // every migration is recorded, the first one as it was
  expect(after.migrations.length).toBe(MIGRATIONS.length);
  expect(after.migrations[0]).toEqual(before.migrations[0]);

  // users, groups and settings: identical rows (users gain the alert, rate-limit and budget-period
  // columns and the console language, currency and time zone, groups the rate-limit ones, at their defaults)
  const alertDefaults = { alert_threshold: 0, notify_type: "none", webhook_url: "", webhook_secret_sealed: "" };
  const noLimits = { rpm_limit: 0, tpm_limit: 0, rpd_limit: 0, max_parallel_requests: 0 };
  const noBudget = { budget_period: "", period_quota: 0, period_start: 0 };
  const noLanguage = { language: "", currency: "", time_zone: "" };
  expect(after.users).toEqual(
    before.users.map((u) => ({ ...u, ...alertDefaults, ...noLimits, ...noBudget, ...noLanguage })),
  );
  expect(after.groups).toEqual(before.groups.map((g) => ({ ...g, ...noLimits })));
  expect(after.settings).toEqual(before.settings);

  // tokens: every old column keeps its value, NULL lists become '[]', request_count starts at 0
  expect(after.tokens.length).toBe(before.tokens.length);
  before.tokens.forEach((old, i) => {
    const now = after.tokens[i];
    for (const [col, value] of Object.entries(old)) {
      const expected = ["models", "allow_ips", "fallback_groups"].includes(col) && value === null ? "[]" : value;
      expect({ col, value: now[col] }).toEqual({ col, value: expected });
    }
    expect(now.request_count).toBe(0);
    expect(typeof now.request_count).toBe("number");
  });
  expect(after.tokens.find((t) => t.name === "scripts")).toMatchObject({
    fallback_groups: '["vip"]',
    allow_ips: '["10.0.0.0/8","127.0.0.1"]',
    models: "[]",
  });
  expect(after.tokens.find((t) => t.name === "ops")).toMatchObject({
    models: '["gpt-4o","claude-3"]',
    fallback_groups: "[]",
    allow_ips: "[]",
  });

  // a server on the upgraded data dir serves the old users and their tokens
  const server = await startServer({ dataDir: dir, env: { APIYI_SECRET: SECRET, APIYI_ADMIN_PASSWORD: "" } });
  try {
    expect(server.output()).not.toContain("first start");
    const bad = await call(server.url, "POST", "/api/user/login", { username: "alice", password: "not-her-password" });
    expect(bad.status).toBe(401);

    const alice = client(server.url, await login(server.url, "alice", "alice-old-password"));
    const self = await alice.get("/api/user/self");
    expect(self.body.data).toMatchObject({
      username: "alice",
      role: "user",
      quota: 5_000_000,
      used_quota: 250_000,
      unlimited: false,
      request_count: 3,
    });

    const list = await alice.get("/api/token/?p=1&size=50");
    expect(list.status).toBe(200);
    expect(list.body.data.total).toBe(3);
    const byName = Object.fromEntries(list.body.data.items.map((t: { name: string }) => [t.name, t]));
    expect(byName.scripts).toMatchObject({
      remain_quota: 1_250_000,
      unlimited_quota: false,
      used_quota: 500,
      billing_mode: "usage",
      group: "default",
      fallback_groups: ["vip"],
      models: [],
      allow_ips: ["10.0.0.0/8", "127.0.0.1"],
      request_count: 0,
      expired_time: -1,
    });
    expect(byName.laptop).toMatchObject({
      models: [],
      allow_ips: [],
      fallback_groups: [],
      billing_mode: "per_call_first",
      expired_time: 1924992000,
    });
    // the sealed copies written before the upgrade still open
    const revealed = await alice.post(`/api/token/${byName.scripts.id}/key`);
    expect(revealed.body.data.key).toBe(keys["alice/scripts"]);
    // new rows get fresh ids after the table rebuild
    const created = await alice.post("/api/token/", { name: "after-upgrade", unlimited_quota: true });
    expect(created.status).toBe(201);
    expect(created.body.data.id).toBeGreaterThan(Math.max(...before.tokens.map((t) => Number(t.id))));

    const root = client(server.url, await login(server.url, "root", "root-old-password"));
    const settings = await root.get("/api/setting");
    expect(settings.status).toBe(200);
    expect(settings.body.data).toMatchObject({ register_enabled: true, new_user_quota: 12345 });
    const all = await root.get("/api/token/?p=1&size=50");
    expect(all.body.data.total).toBe(TOKENS.length + 1);
    const ops = all.body.data.items.find((t: { name: string; username: string }) => t.name === "ops");
    expect(ops).toMatchObject({
      status: TOKEN_STATUS.disabled,
      remain_quota: 42,
      used_quota: 9,
      group: "vip",
      models: ["gpt-4o", "claude-3"],
      expired_time: 1893456000,
      billing_mode: "per_call",
    });
    const status = await root.get("/api/status");
    expect(status.body.data.snapshot).toMatchObject({ users: 2, tokens: TOKENS.length + 1 });
  } finally {
    await server.stop();
  }
});

test("a second `migrate` applies nothing and keeps every row", async () => {
  const { dir } = await makeOldDataDir();
  expect((await run(["migrate", "--data-dir", dir])).code).toBe(0);
  let first: ReturnType<typeof dump>;
  {
    const db = openFile(dir);
    first = dump(db);
    db.close();
  }
  const again = await run(["migrate", "--data-dir", dir]);
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: "" });
  const db = openFile(dir);
  try {
    const second = dump(db);
    expect(second.migrations.length).toBe(MIGRATIONS.length);
    expect(second).toEqual(first);
    expect(second.users.length).toBe(USERS.length);
    expect(second.tokens.length).toBe(TOKENS.length);
  } finally {
    db.close();
  }
});

test("a database stamped by a newer apiyi is refused with one clear line", async () => {
  const { dir } = await makeOldDataDir();
  expect((await run(["migrate", "--data-dir", dir])).code).toBe(0);
  {
    const db = openFile(dir);
    db.run("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)");
    db.close();
  }
  for (const args of [
    ["migrate", "--data-dir", dir],
    ["serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dir],
  ]) {
    const r = await run(args);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.replace(/\n$/, "").split("\n");
    expect(lines.length).toBe(1);
    expect(r.stderr).toMatch(/newer/i);
    expect(r.stderr).not.toMatch(/^\s*at /m);
  }
  // and nothing was touched
  const db = openFile(dir);
  try {
    const d = dump(db);
    expect(d.users.length).toBe(USERS.length);
    expect(d.tokens.length).toBe(TOKENS.length);
    expect(d.migrations.length).toBe(MIGRATIONS.length + 1);
  } finally {
    db.close();
  }
});
