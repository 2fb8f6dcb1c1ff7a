// apiyi serving from PostgreSQL (issue 17), in the same run and pinning as its SQLite cell: the mock and wrk
// on core 0, apiyi on core 1 (PostgreSQL's own processes unpinned: their CPU is reported apart), JSON and
// SSE at 50 connections, billing on. Then three instances on the same database, each pinned to core 1
// (the machine has two cores: what three can show here is their CPU per call, not a speed-up), each
// loaded by its own wrk with 17 connections at once, as a round-robin front would spread them.
// CPU per call: apiyi's processes from /proc, plus PostgreSQL's processes for the cells on it.
// Usage: bun bench/pg-serve.ts [--url postgres://postgres@127.0.0.1:5432/test] [--quick]
import { SQL } from "bun";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import {
  APIYI_ENV,
  benchModel,
  type Apiyi,
  apiyiCmd,
  cpuTicks,
  ensureWrk,
  flag,
  type Mode,
  postgresTicks,
  run,
  runMain,
  serveOn,
  startApiyi,
  startScript,
  stopApiyi,
  ticksUs,
  TMP,
  waitFor,
  wrk,
  wrkScript,
} from "./lib";

const QUICK = process.argv.includes("--quick");
const RUN_S = QUICK ? 3 : 8;
const base = flag("--url") ?? process.env.APIYI_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECRET = "bench-secret-0123456789abcdefghijklmnopqrstu";

type Cell = { name: string; mode: Mode; rps: number; p99: number; errors: number; apiyiUs: number; pgUs: number };

/** A key with a requests-per-minute limit that never binds: every call is admitted through the limits'
 * counter (in memory on SQLite, in PostgreSQL on PostgreSQL). */
async function limitedKey(cli: (args: string[]) => Promise<string>, servers: Apiyi[]): Promise<string> {
  const out = await cli([
    "token",
    "create",
    "--user",
    "admin",
    "--name",
    "limited",
    "--models",
    "bench-model",
    "--rpm-limit",
    "1000000000",
  ]);
  const key = /sk-[A-Za-z0-9]+/.exec(out)?.[0] ?? "";
  for (const s of servers)
    await waitFor(`the limited key on ${s.port}`, async () => (await call(s.port, key)).status === 200, 10_000);
  return key;
}

/** A PostgreSQL-backed apiyi set up as startApiyi sets up SQLite's: a channel to the mock, a price, a key. */
async function startOnPostgres(mockPort: number, url: string, instances: number): Promise<Apiyi[]> {
  const env = { ...APIYI_ENV, APIYI_DATABASE_URL: url, APIYI_SECRET: SECRET };
  const cli = (args: string[]) => run([...apiyiCmd(), ...args], env);
  await benchModel(cli, mockPort);
  const servers: Apiyi[] = [];
  for (let i = 0; i < instances; i++) servers.push(await serveOn(mkdtempSync(join(TMP, "pg-")), apiyiCmd(), env, "1"));
  const out = await cli(["token", "create", "--user", "admin", "--name", "bench", "--models", "bench-model"]);
  const key = /sk-[A-Za-z0-9]+/.exec(out)?.[0] ?? "";
  for (const s of servers) {
    s.key = key;
    await waitFor(`the key on ${s.port}`, async () => (await call(s.port, key)).status === 200, 10_000);
  }
  return servers;
}

const call = (port: number, key: string) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "bench-model", messages: [{ role: "user", content: "hi" }] }),
  });

/** Loads every server at once (50 connections over them), RUN_S seconds after 2 s of warm-up. */
async function cell(name: string, servers: Apiyi[], mode: Mode, onPg: boolean, key = servers[0].key): Promise<Cell> {
  const script = wrkScript(key, mode);
  const conns = Math.round(50 / servers.length);
  await Promise.all(servers.map((s) => wrk(s.port, script, conns, 2)));
  const pids = servers.map((s) => s.workPid ?? s.pid!);
  const before = { apiyi: pids.map(cpuTicks), pg: onPg ? postgresTicks() : 0 };
  const results = await Promise.all(servers.map((s) => wrk(s.port, script, conns, RUN_S)));
  const apiyiTicks = pids.reduce((n, pid, i) => n + cpuTicks(pid) - before.apiyi[i], 0);
  const pgTicks = onPg ? postgresTicks() - before.pg : 0;
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const c = {
    name,
    mode,
    rps: results.reduce((n, r) => n + r.rps, 0),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    apiyiUs: ticksUs(apiyiTicks) / requests,
    pgUs: ticksUs(pgTicks) / requests,
  };
  console.error(
    `  ${name} ${mode}: ${c.rps.toFixed(0)} rps, ${c.apiyiUs.toFixed(1)} + ${c.pgUs.toFixed(1)} µs CPU/call`,
  );
  return c;
}

await runMain("pg-serve", async () => {
  ensureWrk();
  const name = `apiyi_bench_${Date.now().toString(36)}`;
  const admin = new SQL({ url: base, max: 1 });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const cells: Cell[] = [];
  try {
    const mock = await startScript("direct", 0, "bench/mock.ts", []);
    const liteDir = mkdtempSync(join(TMP, "sqlite-"));
    const sqlite = await startApiyi(mock.port, liteDir);
    for (const mode of ["json", "sse"] as Mode[]) cells.push(await cell("1 instance, SQLite", [sqlite], mode, false));
    const liteCli = (args: string[]) => run([...apiyiCmd(), ...args, "--data-dir", liteDir], APIYI_ENV);
    const liteLimited = await limitedKey(liteCli, [sqlite]);
    cells.push(await cell("1 instance, SQLite, rate-limited key", [sqlite], "json", false, liteLimited));
    await stopApiyi(sqlite);
    const pg = await startOnPostgres(mock.port, url, 3);
    for (const mode of ["json", "sse"] as Mode[]) cells.push(await cell("1 instance, PostgreSQL", [pg[0]], mode, true));
    for (const mode of ["json", "sse"] as Mode[]) cells.push(await cell("3 instances, PostgreSQL", pg, mode, true));
    const pgCli = (args: string[]) =>
      run([...apiyiCmd(), ...args], { ...APIYI_ENV, APIYI_DATABASE_URL: url, APIYI_SECRET: SECRET });
    const pgLimited = await limitedKey(pgCli, pg);
    cells.push(await cell("1 instance, PostgreSQL, rate-limited key", [pg[0]], "json", true, pgLimited));
    cells.push(await cell("3 instances, PostgreSQL, rate-limited key", pg, "json", true, pgLimited));
    for (const s of pg) await stopApiyi(s);
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.close();
  }
  const sqliteOf = (mode: Mode) => cells.find((c) => c.name.endsWith("SQLite") && c.mode === mode)!;
  console.log(
    `apiyi on core 1 (each instance), the mock and wrk on core 0, PostgreSQL unpinned; ${RUN_S} s a cell, 50 connections, billing on.\n`,
  );
  console.log("| cell | mode | RPS | vs SQLite | p99 ms | apiyi CPU µs/call | PostgreSQL CPU µs/call | errors |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const c of cells)
    console.log(
      `| ${c.name} | ${c.mode} | ${c.rps.toFixed(0)} | ×${(c.rps / sqliteOf(c.mode).rps).toFixed(2)} | ${c.p99.toFixed(2)} | ${c.apiyiUs.toFixed(1)} | ${c.pgUs.toFixed(1)} | ${c.errors} |`,
    );
});
