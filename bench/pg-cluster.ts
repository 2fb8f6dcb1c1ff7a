// PostgreSQL cluster figures (issue 17), on a fresh database of the given server: how long a
// configuration change takes to reach another instance (commit → NOTIFY heard, and the poll's worst
// case), how long an instance's lease take and a charge batch take, how long a dead leader's work
// waits for a new one, what a rate-limit admission costs, and what the ledger costs per call on PostgreSQL (this process and the server's
// processes, CPU from /proc) against the SQLite ledger on a file.
// Usage: bun bench/pg-cluster.ts [--url postgres://postgres@127.0.0.1:5432/test] [--changes 500]
import { SQL } from "bun";
import { join } from "node:path";
import { openDatabase } from "../src/db/open";
import { Ledger } from "../src/store/ledger";
import { PgLedger } from "../src/store/pg/ledger";
import { LEASE } from "../src/core/lease-policy";
import { connectPostgres, openPostgres } from "../src/db/pg/client";
import { bumpConfigVersion, readConfigVersion, watchConfig } from "../src/store/pg/config-signal";
import { ClusterLeader } from "../src/store/pg/leader";
import { leaseStore } from "../src/store/pg/leases";
import { cpuTicks, flag, postgresTicks, TMP } from "./lib";
import { RateState, type Scope } from "../src/core/rate-limit";
import { rateStore } from "../src/store/pg/rates";
import { PgRates } from "../src/services/pg-rates";

const base = flag("--url") ?? process.env.APIYI_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CHANGES = Number(flag("--changes") ?? 500);
const name = `apiyi_bench_${Date.now().toString(36)}`;
const admin = new SQL({ url: base, max: 1 });
await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => `${x.toFixed(3)} ms`;

try {
  const db = await openPostgres(url);
  const writer = db.$client;
  const reader = connectPostgres(url, 2);

  // 1. a change: commit of the bump → the other instance's callback
  const heardAt = new Map<number, number>();
  const watch = await watchConfig(
    reader,
    await readConfigVersion(writer),
    (v) => heardAt.set(v, performance.now()),
    60_000,
  );
  const delays: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const version = await writer.begin((tx) => bumpConfigVersion(tx));
    const committed = performance.now();
    while (!heardAt.has(version)) await Bun.sleep(0);
    delays.push(heardAt.get(version)! - committed);
  }
  await watch.stop();
  console.log(
    `change propagation (NOTIFY), ${CHANGES} changes: p50 ${ms(pct(delays, 0.5))}, p99 ${ms(pct(delays, 0.99))}, max ${ms(Math.max(...delays))}; poll fallback every 500 ms bounds a lost notification`,
  );

  // 2. a lease take and a batch of charges, one instance
  await writer`INSERT INTO groups (name) VALUES ('default')`;
  const [u] = await writer`INSERT INTO users (username, password_hash, quota) VALUES ('bench', 'x', 0) RETURNING id`;
  const [t] = await writer`INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, remain_quota)
    VALUES (${u.id}, 'bench', 'h', 's', 'm', 1000000000000) RETURNING id`;
  const store = leaseStore(writer, "bench", LEASE.ttlMs);
  const chargeLedger = new PgLedger(writer, "bench");
  const takes: number[] = [];
  const applies: number[] = [];
  for (let i = 1; i <= 300; i++) {
    let s = performance.now();
    await store.take("token", Number(t.id), 1, 1000);
    takes.push(performance.now() - s);
    s = performance.now();
    chargeLedger.settle(
      { requestId: `b${i}`, tokenId: Number(t.id), userId: Number(u.id) },
      { charged: 700, shortfall: 0, tokenDelta: 0, userDelta: 0 },
      { token: 700, user: 0 },
      null,
    );
    await chargeLedger.flushAll();
    applies.push(performance.now() - s);
  }
  console.log(
    `lease take (one round trip): p50 ${ms(pct(takes, 0.5))}, p99 ${ms(pct(takes, 0.99))}; a charge batch: p50 ${ms(pct(applies, 0.5))}, p99 ${ms(pct(applies, 0.99))}`,
  );

  // 2b. rate limits counted in PostgreSQL: one admission (a round trip) per limited call; one scope's
  // admissions run one at a time (its advisory lock), distinct scopes side by side
  const rates = new PgRates(rateStore(writer, "bench", LEASE.ttlMs), () => {});
  const limits = { rpm: 1e12, tpm: 1e12, rpd: null, parallel: 1e9 };
  const scopeOf = (i: number): Scope[] => [{ name: "token", key: `t${i}`, state: new RateState(), limits }];
  const admitOnce = async (scopes: Scope[]) => {
    const taken = await rates.take(scopes, Date.now(), 100);
    if ("limit" in taken.result) throw new Error("refused");
    rates.release(taken.result, Date.now(), 80);
  };
  const admits: number[] = [];
  for (let i = 0; i < 500; i++) {
    const s = performance.now();
    await admitOnce(scopeOf(0));
    admits.push(performance.now() - s);
  }
  const burst = async (scopes: (i: number) => Scope[]) => {
    const n = 2000;
    let next = 0;
    const s = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let i = next++; i < n; i = next++) await admitOnce(scopes(i));
      }),
    );
    return Math.round(n / ((performance.now() - s) / 1000));
  };
  const oneScope = await burst(() => scopeOf(0));
  const manyScopes = await burst((i) => scopeOf(1 + (i % 50)));
  await rates.stop();
  console.log(
    `rate admission (rpm + tpm + calls at once, one round trip): p50 ${ms(pct(admits, 0.5))}, p99 ${ms(pct(admits, 0.99))}; 50 callers at once: ${oneScope}/s on one key, ${manyScopes}/s over 50 keys (one process, pool of ${writer.options?.max ?? "?"})`,
  );

  // 3. leader failover: the leader's session ends; how long until another leads (retry every 2 s)
  const pools = [0, 1].map(() => connectPostgres(url, 2));
  const leaders = pools.map((p) => new ClusterLeader(p));
  await Promise.all(leaders.map((l) => l.start()));
  const killedAt = performance.now();
  await writer`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 2 AND granted`;
  const first = leaders.findIndex((l) => l.leading);
  while (!leaders.some((l, i) => i !== first && l.leading)) await Bun.sleep(5);
  console.log(`leader failover after its session ends: ${ms(performance.now() - killedAt)} (retry interval 2,000 ms)`);
  await Promise.all(leaders.map((l) => l.stop()));
  await Promise.all(pools.map((p) => p.close()));

  // 4. the ledger: CALLS calls (a settlement and its log row each), written by group commit
  const CALLS = Number(flag("--calls") ?? 20_000);
  const call = (i: number) => ({
    who: { requestId: `r${i}`, tokenId: Number(t.id), userId: Number(u.id) },
    s: { charged: 700, shortfall: 0, tokenDelta: 300, userDelta: 300 },
    row: {
      createdAt: Date.now(),
      type: 2,
      userId: Number(u.id),
      username: "bench",
      tokenId: Number(t.id),
      tokenName: "bench",
      model: "bench-model",
      group: "default",
      channelId: 1,
      endpoint: "chat",
      promptTokens: 20,
      completionTokens: 30,
      quota: 700,
      durationMs: 12,
      ttftMs: 3,
      requestId: `r${i}`,
      statusCode: 200,
    },
  });
  await writer`UPDATE users SET quota = 1000000000000 WHERE id = ${u.id}`;
  const benchLeases = leaseStore(writer, "bench-ledger", LEASE.ttlMs);
  await benchLeases.take("token", Number(t.id), 1, CALLS * 700);
  await benchLeases.take("user", Number(u.id), 1, CALLS * 700);
  const pgLedger = new PgLedger(connectPostgres(url, 1), "bench-ledger");
  const pgCpu = postgresTicks();
  const ownCpu = cpuTicks(process.pid);
  let at = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const c = call(i);
    pgLedger.settle(c.who, c.s, { token: 700, user: 700 }, c.row);
    if (i % 256 === 255) await Bun.sleep(0);
  }
  await pgLedger.flushAll();
  const pgWall = performance.now() - at;
  const usPerCall = (ticks: number) => ((ticks * 10_000) / CALLS).toFixed(1); // 100 ticks a second
  const pgOwn = usPerCall(cpuTicks(process.pid) - ownCpu);
  const pgServer = usPerCall(postgresTicks() - pgCpu);
  const lite = openDatabase(join(TMP, "ledger.db"));
  lite.$client.run("INSERT INTO groups (name) VALUES ('default')");
  lite.$client.run(
    `INSERT INTO users (id, username, password_hash, quota) VALUES (${u.id}, 'bench', 'x', 1000000000000)`,
  );
  lite.$client.run(
    `INSERT INTO tokens (id, user_id, name, key_hash, key_sealed, key_mask, remain_quota) VALUES (${t.id}, ${u.id}, 'b', 'h', 's', 'm', 1000000000000)`,
  );
  const liteLedger = new Ledger(lite);
  const liteCpu = cpuTicks(process.pid);
  at = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const c = call(i);
    const hold = { amount: 1000, tokenAmount: 1000, userAmount: 1000, tokenPeriod: 0, userPeriod: 0 };
    liteLedger.hold(c.who, hold);
    liteLedger.settle(c.who, c.s, hold, c.row);
    if (i % 256 === 255) await Bun.sleep(0);
  }
  liteLedger.flushAll();
  const liteWall = performance.now() - at;
  console.log(
    `ledger, ${CALLS} calls: PostgreSQL ${pgOwn} µs this process + ${pgServer} µs PostgreSQL's processes a call (${(pgWall / 1000).toFixed(2)} s); SQLite ${usPerCall(cpuTicks(process.pid) - liteCpu)} µs a call (${(liteWall / 1000).toFixed(2)} s)`,
  );
  lite.$client.close();
  await reader.close();
  await writer.close();
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.close();
}
