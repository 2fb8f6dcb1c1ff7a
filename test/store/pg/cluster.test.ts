// Cluster signals on a real PostgreSQL (issue 17): a configuration bump is heard by another instance
// through LISTEN/NOTIFY once its transaction commits (never when it rolls back), a change made without
// a notification is still found by the poll; exactly one of three instances leads, another taking
// over when the leader's connection dies; and an instance's membership: a clean stop writes its queue
// and gives every lease back at once, a dead one's leases are given back by the leader at expiry.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { connectPostgres, openPostgres } from "../../../src/db/pg/client";
import { bumpConfigVersion, readConfigVersion, watchConfig } from "../../../src/store/pg/config-signal";
import { LEASE } from "../../../src/core/lease-policy";
import { ClusterMember } from "../../../src/services/cluster";
import { ClusterLeader } from "../../../src/store/pg/leader";
import { describePg, usePgDatabase } from "../../support/postgres";
import { until as waitUntil } from "../../support/raw-upstream";

/** Waits (bounded: 5 s unless said) until `check` is true; says whether it came to. */
const until = (check: () => boolean, ms = 5_000) => waitUntil(check, ms);

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

  const FAST = { ...LEASE, ttlMs: 1_200, renewMs: 200, marginMs: 400, idleMs: 100 };

  async function funded(remain: number) {
    const sql = pool();
    await sql`INSERT INTO groups (name) VALUES ('default') ON CONFLICT DO NOTHING`;
    const [u] =
      await sql`INSERT INTO users (username, password_hash) VALUES (${`m${Math.random()}`}, 'x') RETURNING id`;
    const [t] = await sql`INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, remain_quota)
      VALUES (${u.id}, 't', ${`k${Math.random()}`}, 's', 'm', ${remain}) RETURNING id`;
    const row = async () => {
      const [r] = await sql`SELECT remain_quota AS remain, used_quota AS used,
        (SELECT coalesce(sum(amount), 0) FROM leases WHERE kind = 'token' AND account_id = ${t.id}) AS leased
        FROM tokens WHERE id = ${t.id}`;
      return { remain: Number(r.remain), used: Number(r.used), leased: Number(r.leased) };
    };
    return { user: Number(u.id), token: Number(t.id), row };
  }

  /** a call admitted and charged as the relay does it: the lease, then the ledger */
  async function charge(m: ClusterMember, a: { user: number; token: number }, held: number, cost: number) {
    expect(await m.leases.acquire("token", a.token, held)).toBe(true);
    m.leases.settle("token", a.token, held, cost);
    m.ledger.settle(
      { requestId: `r${Math.random()}`, tokenId: a.token, userId: a.user },
      { charged: cost, shortfall: 0, tokenDelta: 0, userDelta: 0 },
      { token: cost, user: 0 },
      null,
    );
  }

  test("a clean stop writes what is queued and gives every lease back at once", async () => {
    const a = await funded(100_000);
    const m = new ClusterMember(pool(), { settings: FAST });
    await m.start();
    for (let i = 0; i < 10; i++) await charge(m, a, 5_000, 1_234);
    expect((await a.row()).leased).toBeGreaterThan(0);
    await m.stop();
    expect(await a.row()).toEqual({ remain: 100_000 - 12_340, used: 12_340, leased: 0 });
  });

  test("a dead instance's lease is given back by the leader once it expires, to the unit", async () => {
    const a = await funded(100_000);
    const leader = new ClusterMember(pool(), { settings: FAST });
    await leader.start();
    expect(await until(() => leader.leader.leading)).toBe(true);
    const dying = new ClusterMember(pool(), { settings: FAST }); // never started: no upkeep, as after kill -9
    for (let i = 0; i < 4; i++) await charge(dying, a, 10_000, 2_500);
    await dying.ledger.flushAll();
    const before = await a.row();
    expect(before.used).toBe(10_000);
    expect(before.leased).toBeGreaterThan(0);
    expect(await until(() => leader.reclaimed >= before.leased, 10_000)).toBe(true);
    expect(await a.row()).toEqual({ remain: 90_000, used: 10_000, leased: 0 });
    await leader.stop();
  });

  test("a member hears another instance's configuration change", async () => {
    const heard: number[] = [];
    const m = new ClusterMember(pool(), { settings: FAST, onConfigChange: (v) => heard.push(v) });
    await m.start();
    const version = await pool().begin((tx) => bumpConfigVersion(tx));
    expect(await until(() => heard.includes(version))).toBe(true);
    await m.stop();
  });
});
