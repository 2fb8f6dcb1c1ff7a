// The snapshot and the configuration version (services/snapshot.ts), with a counting stand-in for the
// database: every write through this process bumps the version without reloading for it; another
// writer's bump is picked up by the poll or by catchUp; and catchUp, however many callers flood it,
// reads the version at most once per CATCH_UP_GAP_MS, each caller's check running after it arrived.
import { describe, expect, test } from "bun:test";
import { CATCH_UP_GAP_MS, SnapshotHolder } from "../../../src/services/snapshot";
import { parseSettings } from "../../../src/services/settings";

/** A source with no rows whose version lives in `db.version`; counts reads and reloads. */
async function fakeSource() {
  const db = { version: 7, reads: 0, loads: 0 };
  const source = {
    tokens: () => (db.loads++, []),
    users: () => [],
    groups: () => [],
    channels: () => [],
    prices: () => [],
    settings: () => parseSettings({}),
    unseal: (s: string) => s,
    version: {
      read: () => (db.reads++, db.version),
      bump: () => ++db.version,
    },
  };
  return { db, holder: await SnapshotHolder.load(source) };
}

describe("the configuration version", () => {
  test("a write of this process bumps it and does not make the snapshot reload", async () => {
    const { db, holder } = await fakeSource();
    expect(db.loads).toBe(1);
    await holder.reloadPrices();
    await holder.setSettings(parseSettings({}));
    expect(db.version).toBe(9);
    expect(await holder.reloadIfChanged()).toBe(false);
    expect(db.loads).toBe(1);
  });

  test("another writer's bump, even one between two of ours, makes it reload once", async () => {
    const { db, holder } = await fakeSource();
    db.version++; // the CLI
    await holder.reloadPrices(); // ours lands on top of it
    expect(await holder.reloadIfChanged()).toBe(true);
    expect(await holder.reloadIfChanged()).toBe(false);
    expect(db.loads).toBe(2);
  });

  test("catchUp: a flood of callers shares one check; every caller's check runs after it arrived", async () => {
    const { db, holder } = await fakeSource();
    const readsBefore = db.reads;
    expect(await holder.catchUp()).toBe(false); // the first check runs at once
    db.version++; // a write right after that check: the next callers must still see it
    const flood = await Promise.all(Array.from({ length: 1000 }, () => holder.catchUp()));
    expect(db.reads - readsBefore).toBe(2);
    expect(flood.every((changed) => changed)).toBe(true);
    expect(db.loads).toBe(2);
  });

  test("catchUp right after a check does not read at once: it waits for the gap, then reads once", async () => {
    const { db, holder } = await fakeSource();
    await holder.catchUp();
    const readsBefore = db.reads;
    const next = holder.catchUp();
    expect(db.reads).toBe(readsBefore); // not within CATCH_UP_GAP_MS of the last check
    await next;
    expect(db.reads).toBe(readsBefore + 1);
    expect(CATCH_UP_GAP_MS).toBeGreaterThanOrEqual(10); // a flood of random keys stays a trickle of reads
  });
});
