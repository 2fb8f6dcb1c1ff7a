// The checkpointer's hand-over (store/checkpoints.ts): while it runs, SQLite's automatic checkpoints
// are off on the serving connection and the WAL is copied by the worker; stopped, or unable to start,
// the connection checkpoints by itself again (a WAL nobody copies would grow without end).
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { startCheckpoints } from "../../src/store/checkpoints";
import { removeDir, tempDir } from "../support/server";

const autoPages = (db: Database) =>
  (db.query("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint;

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await Bun.sleep(25);
  if (!check()) throw new Error(`never saw: ${what}`);
}

test("running: automatic checkpoints off, the worker copies the frames; stopped: back on", async () => {
  const dir = tempDir();
  const db = new Database(join(dir, "t.db"));
  db.run("PRAGMA journal_mode = WAL");
  db.run("CREATE TABLE t (x TEXT)");
  const cp = startCheckpoints(db, join(dir, "t.db"));
  await until(() => cp.running(), "the checkpointer running");
  expect(autoPages(db)).toBe(0);
  const insert = db.prepare("INSERT INTO t VALUES (?)");
  for (let i = 0; i < 50; i++) insert.run("x".repeat(2000));
  await until(() => cp.copied() > 0, "frames copied");
  await cp.stop();
  expect(cp.running()).toBe(false);
  expect(autoPages(db)).toBe(1000);
  db.close();
  removeDir(dir);
});

test("a checkpointer that cannot open the database never turns the automatic checkpoints off", async () => {
  const dir = tempDir();
  const db = new Database(join(dir, "t.db"));
  db.run("PRAGMA journal_mode = WAL");
  const cp = startCheckpoints(db, join(dir, "missing", "t.db"));
  await Bun.sleep(500);
  expect(cp.running()).toBe(false);
  expect(autoPages(db)).toBe(1000);
  await cp.stop();
  db.close();
  removeDir(dir);
});
