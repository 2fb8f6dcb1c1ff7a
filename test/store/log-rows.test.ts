// LogRows on a real migrated SQLite file: rows written by multi-row statements (32 at a time and a
// remainder) arrive whole, in order, with each column's fallback where the row left it out.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open";
import { LogRows } from "../../src/store/log-rows";
import { LOG_TYPE, type NewLog } from "../../src/store/logs";

const dir = mkdtempSync(join(tmpdir(), "apiyi-log-rows-"));
const db = openDatabase(join(dir, "apiyi.db"));
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (i: number): NewLog => ({
  createdAt: 1_000 + i,
  type: LOG_TYPE.consume,
  userId: 1,
  model: `m-${i}`,
  requestId: `req-${i}`,
  quota: i * 3,
  ...(i % 2 ? { content: `text ${i}`, other: '{"odd":true}' } : {}),
});

test.each([1, 31, 32, 33, 70])("%i rows: all written, in order, with the fallbacks", (count) => {
  const sqlite = db.$client;
  sqlite.run("DELETE FROM logs");
  const rows = Array.from({ length: count }, (_, i) => row(i));
  sqlite.transaction(() => new LogRows(sqlite).write(rows)).immediate();
  const got = sqlite
    .query("SELECT created_at, model, request_id, quota, content, other, attempts, token_id FROM logs ORDER BY id")
    .all() as Record<string, unknown>[];
  expect(got).toEqual(
    rows.map((r, i) => ({
      created_at: r.createdAt,
      model: r.model,
      request_id: r.requestId,
      quota: r.quota,
      content: i % 2 ? `text ${i}` : "",
      other: i % 2 ? '{"odd":true}' : "{}",
      attempts: "[]",
      token_id: 0,
    })),
  );
});

test("nothing to write: no statement runs", () => {
  const sqlite = db.$client;
  sqlite.run("DELETE FROM logs");
  new LogRows(sqlite).write([]);
  expect(sqlite.query("SELECT count(*) AS n FROM logs").get()).toEqual({ n: 0 });
});
