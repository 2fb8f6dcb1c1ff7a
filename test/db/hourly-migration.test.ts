// Migration 0012 creates the hourly rollups, and the same migration step fills them from the call rows
// an upgraded database already has (store/hourly-backfill.ts): so the admin dashboard shows the past at
// the first start after an upgrade, once. Top-ups and system calls stay out; a fresh database starts empty.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { bucketOf } from "../../src/core/histogram";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { openSqlite } from "../../src/db/open";
import { cli, scratchDirs } from "../support/server";

const newDir = scratchDirs("apiyi-hourly-migration-");
const env = { APIYI_SECRET: "s".repeat(40) };

test("an upgraded database gets hourly rollups of its existing calls", async () => {
  const dir = newDir();
  const before = MIGRATIONS.findIndex((m) => m.tag.startsWith("0012"));
  expect(before).toBeGreaterThan(0);
  const old = openSqlite(join(dir, "apiyi.db"));
  applyMigrations(old, before);
  const insert = old.prepare(
    `INSERT INTO logs (created_at, type, user_id, model, "group", channel_id, prompt_tokens, completion_tokens, quota, duration_ms, ttft_ms, status_code, error_code)
     VALUES (?, ?, ?, ?, 'default', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const h = Date.parse("2026-05-01T10:00:00Z");
  insert.run(h + 60_000, 2, 1, "gpt-4o", 1, 100, 20, 900, 1200, 300, 200, "");
  insert.run(h + 120_000, 2, 2, "gpt-4o", 2, 50, 10, 400, 80, 0, 200, "");
  insert.run(h + 180_000, 5, 2, "gpt-4o", 2, 0, 0, 0, 30, 0, 502, "upstream_error");
  insert.run(h + 3_600_000, 5, 1, "nope", 0, 0, 0, 0, 2, 0, 404, "model_not_found");
  insert.run(h + 200_000, 1, 1, "", 0, 0, 0, 5_000_000, 0, 0, 0, ""); // a top-up
  insert.run(h + 210_000, 4, 0, "gpt-4o", 1, 5, 1, 0, 90, 0, 200, ""); // a channel probe
  old.close();

  const table = async () => {
    expect((await cli(["migrate", "--data-dir", dir], { env })).code).toBe(0);
    const db = new Database(join(dir, "apiyi.db"), { readonly: true });
    const all = db.query("SELECT * FROM usage_hourly ORDER BY dim, hour, key").all() as Record<string, unknown>[];
    db.close();
    return all;
  };
  const rows = await table();
  expect(await table()).toEqual(rows); // a second migrate adds nothing
  const hour = h / 1000;
  const at = (dim: string, t: number, key: string, span = 3600) =>
    rows.find((x) => x.dim === dim && x.span === span && x.hour === t && x.key === key);
  expect(at("all", hour, "")).toMatchObject({ calls: 3, failed: 1, refused: 0, prompt_tokens: 150, quota: 1300 });
  expect(JSON.parse(at("all", hour, "")!.latency as string)).toEqual({ [bucketOf(1200)]: 1, [bucketOf(80)]: 1 });
  expect(JSON.parse(at("all", hour, "")!.ttft as string)).toEqual({ [bucketOf(300)]: 1 });
  expect(at("all", hour + 3600, "")).toMatchObject({ calls: 1, failed: 0, refused: 1 });
  expect(at("channel", hour, "2")).toMatchObject({ calls: 2, failed: 1, quota: 400 });
  expect(at("user", hour, "1")).toMatchObject({ calls: 1, quota: 900, latency: "{}" }); // users keep no histograms
  expect(at("model", hour + 3600, "nope")).toMatchObject({ calls: 1, refused: 1 });
  expect(rows.filter((x) => x.dim === "all").length).toBe(3); // two hours and their UTC day
  expect(at("all", Date.parse("2026-05-01T00:00:00Z") / 1000, "", 86_400)).toMatchObject({
    calls: 4,
    failed: 1,
    refused: 1,
  });
});

test("a fresh database starts with no rollups", async () => {
  const dir = newDir();
  expect((await cli(["migrate", "--data-dir", dir], { env })).code).toBe(0);
  const db = new Database(join(dir, "apiyi.db"), { readonly: true });
  expect(db.query("SELECT count(*) AS n FROM usage_hourly").get()).toEqual({ n: 0 });
  db.close();
});
