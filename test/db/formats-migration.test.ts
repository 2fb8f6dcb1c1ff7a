// Migration 0006 adds channels.supports_responses, channels.api_version and prices.cache_write_micros:
// a database made before it keeps every channel and price as it was, the new columns take their
// defaults (false, '', NULL), and a server on the upgraded data dir shows them through the API
// (cache_write falling back to the input price) and can set them. (The later 0007 runs too: its
// max_output_tokens takes 0 here; output-cap-migration.test.ts covers it; so do the later health and
// balance columns, at their defaults.)
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { KeyRing } from "../../src/core/keys";
import { KEY_STATUS } from "../../src/core/status";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { openSqlite } from "../../src/db/open";
import { expectReply } from "../support/expect";
import { ADMIN_PASSWORD, cli, client, login, scratchDirs, startServer } from "../support/server";
import { CHANNEL_COLUMNS_SINCE_0008 } from "../support/channel-columns";

const SECRET = "formats-migration-secret-0123456789abcdefghij";
const newDir = scratchDirs("apiyi-formats-");
type Row = Record<string, unknown>;

const columns = (db: Database, table: string) =>
  db
    .query<{ name: string }, []>(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name);

test("channels and prices made before 0006 keep their values; the new columns take their defaults", async () => {
  const dir = newDir();
  const before = MIGRATIONS.findIndex((m) => m.tag.startsWith("0006"));
  expect(before).toBeGreaterThan(0);
  const old = openSqlite(join(dir, "apiyi.db"));
  expect(applyMigrations(old, before)).toBe(before);
  expect(columns(old, "channels")).not.toContain("supports_responses");
  expect(columns(old, "channels")).not.toContain("api_version");
  expect(columns(old, "prices")).not.toContain("cache_write_micros");

  const sealed = new KeyRing(SECRET).seal(JSON.stringify(["sk-old-upstream-1", "sk-old-upstream-2"]));
  old.run(
    `INSERT INTO channels (name, type, base_url, keys_sealed, key_states, models, model_mapping, groups, priority, weight, status, status_reason,
       timeout_connect_ms, timeout_first_byte_ms, timeout_idle_ms, created_at)
     VALUES ('old-openai', 'openai', 'https://api.openai.com/v1', ?, '[{"status":1},{"status":3,"reason":"upstream 401","at":1}]',
       '["gpt-4o"]', '{"fast":"gpt-4o-mini"}', '["default"]', 3, 2, 1, '', 5000, 60000, 90000, 1700000000)`,
    [sealed],
  );
  old.run(
    "INSERT INTO prices (model, input_micros, output_micros, cached_input_micros, per_call_micros, hold_cap_tokens, updated_at) VALUES ('old-model', 3000000, 15000000, 300000, NULL, 4096, 1700000000)",
  );
  old.run("INSERT INTO settings (key, value) VALUES ('prices_seeded', 'true')");
  const dump = (db: Database) => ({
    channels: db.query<Row, []>("SELECT * FROM channels ORDER BY id").all(),
    prices: db.query<Row, []>("SELECT * FROM prices ORDER BY model").all(),
  });
  const was = dump(old);
  old.close();

  const r = await cli(["migrate", "--data-dir", dir], { env: { APIYI_SECRET: SECRET } });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });

  const db = new Database(join(dir, "apiyi.db"), { readonly: true });
  try {
    const now = dump(db);
    expect(now.channels).toEqual(
      was.channels.map((c) => ({
        ...c,
        supports_responses: 0,
        api_version: "",
        max_output_tokens: 0,
        ...CHANNEL_COLUMNS_SINCE_0008,
      })),
    );
    // (later migrations add: source, "admin" for every row that was there: see 0013; video, null: 0016)
    expect(now.prices).toEqual(
      was.prices.map((p) => ({ ...p, cache_write_micros: null, source: "admin", video: null })),
    );
    expect(db.query("SELECT typeof(supports_responses) AS sr, typeof(api_version) AS av FROM channels").get()).toEqual({
      sr: "integer",
      av: "text",
    });
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
  } finally {
    db.close();
  }

  // a server on the upgraded data dir shows the defaults and takes new values
  const server = await startServer({ dataDir: dir, env: { APIYI_SECRET: SECRET } });
  try {
    const admin = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
    const [c] = expectReply(await admin.get("/api/channel/"), 200).items;
    expect(c).toMatchObject({
      name: "old-openai",
      type: "openai",
      base_url: "https://api.openai.com/v1",
      key_count: 2,
      supports_responses: false,
      api_version: "",
      model_mapping: { fast: "gpt-4o-mini" },
      priority: 3,
      weight: 2,
      timeout_idle_ms: 90000,
    });
    expect(c.key_states.map((k: { status: number }) => k.status)).toEqual([KEY_STATUS.usable, KEY_STATUS.dead]);
    expect(expectReply(await admin.put("/api/channel/", { id: c.id, supports_responses: true }), 200)).toMatchObject({
      supports_responses: true,
      key_count: 2,
    });
    const price = expectReply(await admin.get("/api/pricing/"), 200).items.find(
      (p: { model: string }) => p.model === "old-model",
    );
    expect(price).toMatchObject({
      input: "3",
      output: "15",
      cached_input: "0.3",
      cache_write: "3",
      hold_cap_tokens: 4096,
    });
  } finally {
    await server.stop();
  }
});
