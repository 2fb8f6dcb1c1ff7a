// Keyset pages of a filter no index serves (a group; issue 16 dropped the (user, type) index; a model
// within a time range, read by time): the walk stops after WALK_ROWS of the user's rows, so a page may show fewer rows, but its `next` cursor
// goes on from where the walk stopped and every matching row is shown exactly once, by id and by
// time. And the rare types (top-ups, adjustments) are read through their partial index.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open";
import { type Cursor, logBrowseStore, WALK_ROWS } from "../../src/store/log-browse";
import { LOG_TYPE, type LogFilter, logStore } from "../../src/store/logs";

const dir = mkdtempSync(join(tmpdir(), "apiyi-log-browse-"));
const db = openDatabase(join(dir, "apiyi.db"));
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 2 * WALK_ROWS + 500;
/** rows (by position) of the rare model and group; the rest are "common"; one row in 1,000 is a top-up */
const RARE = [3, 7, WALK_ROWS + 20, ROWS - 2];
const T0 = 1_700_000_000_000;
const insert = db.$client.prepare(
  'INSERT INTO logs (created_at, type, user_id, model, "group", request_id) VALUES (?, ?, ?, ?, ?, ?)',
);
db.$client.transaction(() => {
  for (let i = 0; i < ROWS; i++) {
    const type = i % 1000 === 500 ? LOG_TYPE.topup : LOG_TYPE.consume;
    // rows of a long call are written after rows that started later: ids and times disagree a little
    const at = T0 + i * 1000 - (i % 7 === 0 ? 5_000 : 0);
    const value = RARE.includes(i) ? "rare" : "common";
    insert.run(at, type, 1, value, value, `req-${i}`);
  }
})();
const ids = db.$client.query("SELECT id, created_at AS at, model FROM logs ORDER BY id").all() as {
  id: number;
  at: number;
  model: string;
}[];
const rare = ids.filter((r) => r.model === "rare");

/** Every page of `f`, older and older, then back newer from the last; the ids each way. */
function walk(f: LogFilter) {
  const store = logBrowseStore(db);
  const older: number[][] = [];
  let cursor: Cursor = {};
  for (let n = 0; n < 50; n++) {
    const p = store.page(f, cursor, 2);
    older.push(p.rows.map((r) => r.id));
    if (!p.more) break;
    expect(p.next).toBeDefined();
    cursor = { before: p.next };
  }
  const newer: number[][] = [];
  const last = older.flat().at(-1)!;
  cursor = { after: last };
  for (let n = 0; n < 50; n++) {
    const p = store.page(f, cursor, 2);
    newer.push(p.rows.map((r) => r.id));
    if (!p.more) break;
    cursor = { after: p.next };
  }
  return { older, newer };
}

test("a rare group: pages stop after WALK_ROWS rows read, and still show each row once, both ways", () => {
  const { older, newer } = walk({ userId: 1, group: "rare" });
  const want = rare.map((r) => r.id).reverse();
  expect(older.flat()).toEqual(want);
  // the first page stopped at the walk's bound with one row of the rare group
  expect(older[0]).toEqual([want[0]]);
  expect(newer.reverse().flat()).toEqual(want.slice(0, -1));
});

test("a rare model in a time range pages by (created_at, id), bounded the same way", () => {
  const { older } = walk({ userId: 1, model: "rare", from: T0, to: T0 + ROWS * 1000 });
  const want = [...rare].sort((a, b) => b.at - a.at || b.id - a.id).map((r) => r.id);
  expect(older.flat()).toEqual(want);
});

test("a rare model alone is read through its index: one full page, no bound", () => {
  const p = logBrowseStore(db).page({ userId: 1, model: "rare" }, {}, 10);
  expect(p.rows.map((r) => r.id)).toEqual(rare.map((r) => r.id).reverse());
  expect(p.more).toBe(false);
});

test("a common value fills its pages as before", () => {
  const p = logBrowseStore(db).page({ userId: 1, group: "common" }, {}, 50);
  expect(p.rows).toHaveLength(50);
  expect(p.next).toBe(p.rows.at(-1)!.id);
});

test("top-ups are read through the partial index of the rare types, for a user and for everyone", () => {
  const all = ids.filter((_, i) => i % 1000 === 500).map((r) => r.id);
  const page = logStore(db).moneyPage(1, 0, 5);
  expect(page.total).toBe(all.length);
  expect(page.items.map((r) => r.id)).toEqual(all.reverse().slice(0, 5));
  expect(
    logStore(db)
      .moneyPage(undefined, 0, 5)
      .items.map((r) => r.id),
  ).toEqual(all.slice(0, 5));
  const plan = (sql: string) =>
    (db.$client.query(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join("; ");
  expect(plan(`SELECT * FROM logs WHERE type IN (1, 3) AND "type" IN (1, 3, 4) ORDER BY +id DESC`)).toContain(
    "logs_user_rare",
  );
});
