// Migration 0005 adds the call type to the daily rollups (a table rebuild): existing rollups are kept
// and become consume (type 2) rows, as integers, not the text "type" that drizzle-kit's generated
// copy would have written through SQLite's double-quoted-identifier fallback.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { LOG_TYPE } from "../../src/core/status";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { openSqlite } from "../../src/db/open";
import { cli, scratchDirs } from "../support/server";

const newDir = scratchDirs("apiyi-rollups-");

test("rollups made before 0005 survive it as type 2", async () => {
  const dir = newDir();
  const before = MIGRATIONS.findIndex((m) => m.tag.startsWith("0005"));
  expect(before).toBeGreaterThan(0);
  const old = openSqlite(join(dir, "apiyi.db"));
  applyMigrations(old, before);
  old.run(`INSERT INTO usage_daily (day, user_id, token_id, model, "group", calls, prompt_tokens, cached_tokens, completion_tokens, quota)
           VALUES ('2026-11-01', 1, 2, 'gpt-4o', 'default', 3, 30, 0, 15, 45)`);
  old.close();
  const r = await cli(["migrate", "--data-dir", dir], { env: { APIYI_SECRET: "s".repeat(40) } });
  expect(r.code).toBe(0);
  const db = new Database(join(dir, "apiyi.db"), { readonly: true });
  const rows = db.query("SELECT type, typeof(type) AS t, calls, quota FROM usage_daily").all();
  db.close();
  expect(rows).toEqual([{ type: LOG_TYPE.consume, t: "integer", calls: 3, quota: 45 }]);
});
