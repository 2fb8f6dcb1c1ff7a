// Migration 0007 adds channels.max_output_tokens: a database made before it keeps every channel as it
// was (0006's supports_responses and api_version included), the new column is an integer 0 (no cap)
// on every row, a second `migrate` applies nothing, and a server on the upgraded data dir shows 0
// through the API and can set, keep and clear a cap.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { KeyRing } from "../../src/core/keys";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { openSqlite } from "../../src/db/open";
import { expectReply } from "../support/expect";
import { ADMIN_PASSWORD, cli, client, login, scratchDirs, startServer } from "../support/server";
import { CHANNEL_COLUMNS_SINCE_0008 } from "../support/channel-columns";

const SECRET = "output-cap-migration-secret-0123456789abcdef";
const newDir = scratchDirs("apiyi-output-cap-");
type Row = Record<string, unknown>;

const columns = (db: Database, table: string) =>
  db
    .query<{ name: string }, []>(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name);
const channelRows = (db: Database) => db.query<Row, []>("SELECT * FROM channels ORDER BY id").all();

test("channels made before 0007 keep their values; max_output_tokens is 0 (no cap) and can then be set", async () => {
  const dir = newDir();
  const cwd = newDir();
  const before = MIGRATIONS.findIndex((m) => m.tag.startsWith("0007"));
  expect(before).toBeGreaterThan(0);
  const old = openSqlite(join(dir, "apiyi.db"));
  expect(applyMigrations(old, before)).toBe(before);
  expect(columns(old, "channels")).toContain("api_version");
  expect(columns(old, "channels")).not.toContain("max_output_tokens");

  const keys = new KeyRing(SECRET);
  const insert = `INSERT INTO channels (name, type, base_url, keys_sealed, key_states, models, model_mapping, groups, priority, weight, status,
      status_reason, timeout_connect_ms, timeout_first_byte_ms, timeout_idle_ms, supports_responses, api_version, created_at)
    VALUES (?, ?, ?, ?, '[{"status":1}]', ?, '{}', '["default"]', ?, 1, ?, '', 5000, 60000, 90000, ?, ?, 1700000000)`;
  old.run(insert, [
    "old-deepseek",
    "openai",
    "https://api.deepseek.com/v1",
    keys.seal('["sk-old-deepseek"]'),
    '["deepseek-chat"]',
    2,
    1,
    1,
    "",
  ]);
  old.run(insert, [
    "old-azure",
    "azure",
    "https://res.openai.azure.com",
    keys.seal('["sk-old-azure"]'),
    '["gpt-4o"]',
    0,
    2,
    0,
    "2024-10-21",
  ]);
  const was = channelRows(old);
  old.close();

  const r = await cli(["migrate", "--data-dir", dir], { env: { APIYI_SECRET: SECRET }, cwd });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });

  const db = new Database(join(dir, "apiyi.db"), { readonly: true });
  try {
    expect(channelRows(db)).toEqual(
      was.map((c) => ({
        ...c,
        max_output_tokens: 0,
        ...CHANNEL_COLUMNS_SINCE_0008,
      })),
    );
    expect(db.query("SELECT DISTINCT typeof(max_output_tokens) AS t FROM channels").all()).toEqual([{ t: "integer" }]);
    const column = db
      .query<Row, []>("PRAGMA table_info(channels)")
      .all()
      .find((c) => c.name === "max_output_tokens");
    expect(column).toMatchObject({ type: "INTEGER", notnull: 1, dflt_value: "0" });
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
  } finally {
    db.close();
  }
  // nothing left to apply
  const again = openSqlite(join(dir, "apiyi.db"));
  try {
    expect(applyMigrations(again)).toBe(0);
  } finally {
    again.close();
  }

  const server = await startServer({ dataDir: dir, env: { APIYI_SECRET: SECRET } });
  try {
    const admin = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
    const items = expectReply(await admin.get("/api/channel/?id_sort=true"), 200).items;
    expect(items.map((c: Row) => [c.name, c.max_output_tokens, c.supports_responses, c.api_version])).toEqual([
      ["old-deepseek", 0, true, ""],
      ["old-azure", 0, false, "2024-10-21"],
    ]);
    const id = items[0].id as number;
    expect(expectReply(await admin.put("/api/channel/", { id, max_output_tokens: 8192 }), 200)).toMatchObject({
      max_output_tokens: 8192,
      key_count: 1,
    });
    expect(expectReply(await admin.put("/api/channel/", { id, priority: 5 }), 200)).toMatchObject({
      max_output_tokens: 8192,
      priority: 5,
    });
    expect(expectReply(await admin.get(`/api/channel/${id}`), 200)).toMatchObject({
      max_output_tokens: 8192,
      supports_responses: true,
    });
    expect(expectReply(await admin.put("/api/channel/", { id, max_output_tokens: 0 }), 200)).toMatchObject({
      max_output_tokens: 0,
    });
  } finally {
    await server.stop();
  }
});
