// Cluster signals on a real PostgreSQL (issue 17): a configuration bump is heard by another instance
// through LISTEN/NOTIFY once its transaction commits (never when it rolls back), a change made without
// a notification is still found by the poll; and exactly one of three instances leads, another taking
// over when the leader's connection dies.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { connectPostgres, openPostgres } from "../../../src/db/pg/client";
import { bumpConfigVersion, readConfigVersion, watchConfig } from "../../../src/store/pg/config-signal";
import { ClusterLeader } from "../../../src/store/pg/leader";
import { describePg, usePgDatabase } from "../../support/postgres";

/** Waits (bounded) until `check` is true. */
async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await Bun.sleep(10);
  return check();
}

describePg("cluster signals", () => {
  const db = usePgDatabase();
  const pools: SQL[] = [];
  const pool = () => {
    const p = connectPostgres(db.url, 3);
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    await (await openPostgres(db.url)).$client.close();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test("a bump is heard by another instance when it commits, not when it rolls back", async () => {
    const writer = pool();
    const heard: number[] = [];
    const watch = await watchConfig(pool(), await readConfigVersion(writer), (v) => heard.push(v), 60_000);
    try {
      await writer
        .begin(async (tx) => {
          await bumpConfigVersion(tx);
          throw new Error("roll back");
        })
        .catch(() => {});
      const version = await writer.begin((tx) => bumpConfigVersion(tx));
      expect(await until(() => heard.includes(version))).toBe(true);
      expect(heard).toEqual([version]); // the rolled-back bump was never announced
      expect(await readConfigVersion(writer)).toBe(version);
    } finally {
      await watch.stop();
    }
  });

  test("a change announced by no one is found by the poll", async () => {
    const writer = pool();
    const heard: number[] = [];
    const watch = await watchConfig(pool(), await readConfigVersion(writer), (v) => heard.push(v), 100);
    try {
      await writer`UPDATE settings SET value = (value::bigint + 5)::text WHERE key = 'config_version'`;
      const version = await readConfigVersion(writer);
      expect(await until(() => heard.includes(version))).toBe(true);
    } finally {
      await watch.stop();
    }
  });

  test("one of three instances leads; when its connection dies another takes over", async () => {
    const changes: string[] = [];
    const leaders = [0, 1, 2].map((i) => new ClusterLeader(pool(), 100, (on) => changes.push(`${i}:${on}`)));
    try {
      await Promise.all(leaders.map((l) => l.start()));
      expect(await until(() => leaders.filter((l) => l.leading).length === 1)).toBe(true);
      await Bun.sleep(300); // a few more rounds: still exactly one
      expect(leaders.filter((l) => l.leading).length).toBe(1);
      const first = leaders.findIndex((l) => l.leading);
      // end the leader's session from outside, as a crash or a network cut would
      const admin = pool();
      await admin`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = ${0x61706979} AND objid = 2 AND granted`;
      expect(await until(() => leaders.some((l, i) => i !== first && l.leading))).toBe(true);
      expect(await until(() => !leaders[first].leading)).toBe(true);
      expect(leaders.filter((l) => l.leading).length).toBe(1);
      expect(changes[0]).toBe(`${first}:true`);
    } finally {
      await Promise.all(leaders.map((l) => l.stop()));
    }
  });
});
