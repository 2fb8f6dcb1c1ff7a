// The ledger's part in budget periods, on a real migrated SQLite file: a user's roll is written as a
// balance delta with the period's start (like a token's), and at start the holds left by a crash go
// back to a user only when taken in the user's current period.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open";
import { Ledger, releaseStaleHolds } from "../../src/store/ledger";

const dir = mkdtempSync(join(tmpdir(), "apiyi-ledger-"));
const db = openDatabase(join(dir, "apiyi.db"));
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const s = db.$client;
const userRow = (id: number) =>
  s.query("SELECT quota, used_quota, period_start FROM users WHERE id = ?").get(id) as Record<string, number>;

function budgetedUser(name: string, quota: number, start: number) {
  s.run(
    "INSERT INTO users (username, password_hash, quota, used_quota, budget_period, period_quota, period_start) VALUES (?, 'x', ?, 7, 'daily', 1000, ?)",
    [name, quota, start],
  );
  return (s.query("SELECT id FROM users WHERE username = ?").get(name) as { id: number }).id;
}

test("a user's roll: the balance moves by the delta, the period's start is recorded, used_quota stays", () => {
  const id = budgetedUser("rolling", 250, 100);
  const ledger = new Ledger(db);
  ledger.roll("user", id, { remainDelta: 750, periodStart: 200 });
  ledger.flushAll();
  expect(userRow(id)).toEqual({ quota: 1000, used_quota: 7, period_start: 200 });
});

test("stale holds go back to a user only into the period they were taken in", () => {
  const id = budgetedUser("crashed", 600, 200);
  const hold = (request: string, amount: number, userPeriod: number) =>
    s.run(
      "INSERT INTO holds (request_id, token_id, user_id, token_amount, user_amount, created_at, period_start, user_period_start) VALUES (?, 0, ?, 0, ?, 0, 0, ?)",
      [request, id, amount, userPeriod],
    );
  hold("this-period", 300, 200);
  hold("last-period", 50, 100); // the day it belonged to is over: its balance is gone
  expect(releaseStaleHolds(db)).toBe(2);
  expect(userRow(id).quota).toBe(900);
});
