// Shared machinery of the benchmark scripts (run.ts, profile.ts): pinned child processes that are
// all killed on exit, /proc readings (CPU time, peak RSS), wrk and its output, and the services
// under test (bench mock, bare pass-through, apiyi with a fresh data dir, a channel and a token).
import type { Subprocess } from "bun";
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
export const TMP = mkdtempSync(join(tmpdir(), "apiyi-bench-"));
const CLK_TCK = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;
export const CHAT_PATH = "/v1/chat/completions";

export type Target = "direct" | "bare" | "apiyi";
export type Mode = "json" | "sse";
export type Service = {
  name: Target;
  port: number;
  pid: number | null /** the process doing the work, if not `pid` */;
  workPid?: number;
};
export type Wrk = { rps: number; requests: number; p50: number; p99: number; errors: number };
export type Usage = { cpuUs: number; peakMiB: number | null };

export function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

// ---------- processes: pinned, logged to files, all killed at the end ----------

export const children: Subprocess[] = [];

/** `core`: one core ("1") or a taskset list ("0,1": the two-core cells) */
export function spawnPinned(core: number | string, cmd: string[], name: string, env: Record<string, string> = {}) {
  const log = join(TMP, `${name}.log`);
  const proc = Bun.spawn(
    ["sh", "-c", 'ulimit -n 65536 2>/dev/null; exec "$@"', "sh", "taskset", "-c", String(core), ...cmd],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdout: Bun.file(log),
      stderr: Bun.file(`${log}.err`),
    },
  );
  children.push(proc);
  return proc; // sh and taskset exec, so proc.pid is the process itself
}

export function killAll() {
  for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
}

/** Kills every child on SIGINT/SIGTERM and after `maxMs`, whatever the script is doing. */
export function guard(maxMs: number) {
  process.on("SIGINT", () => cleanupAndExit(130));
  process.on("SIGTERM", () => cleanupAndExit(143));
  setTimeout(() => {
    console.error(`bench: stopped after ${(maxMs / 60_000).toFixed(1)} minutes`);
    cleanupAndExit(1);
  }, maxMs).unref();
}

export function cleanupAndExit(code: number): never {
  killAll();
  rmSync(TMP, { recursive: true, force: true });
  process.exit(code);
}

/** A bench script's main, bounded by the watchdog; everything it started is killed at the end. */
export async function runMain(what: string, main: () => Promise<void>, maxMs = 5 * 60_000): Promise<never> {
  guard(maxMs);
  try {
    await main();
    return cleanupAndExit(0);
  } catch (e) {
    console.error(`${what} failed:`, e);
    return cleanupAndExit(1);
  }
}

export async function run(cmd: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<string> {
  const proc = Bun.spawn(cmd, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  children.push(proc);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if ((await proc.exited) !== 0) throw new Error(`${cmd.join(" ")} failed: ${err || out}`);
  return out;
}

export function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await Bun.sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---------- /proc: CPU time and peak RSS of the process under test ----------

export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, all threads
}

/** CPU ticks of every PostgreSQL process on this machine (the server and its backends). */
export function postgresTicks(): number {
  let sum = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") sum += cpuTicks(Number(pid));
    } catch {
      // ended meanwhile
    }
  }
  return sum;
}

/** CPU ticks in µs. */
export const ticksUs = (ticks: number) => (ticks * 1e6) / CLK_TCK;

/** Resets VmHWM (peak RSS) so the next reading is the peak of one measured window. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export const peakMiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** Runs `work` and reports the CPU time and peak RSS that process `pid` spent meanwhile. */
export async function measured<T>(
  pid: number | null,
  work: () => Promise<T>,
): Promise<{ result: T; usage: Usage | null }> {
  if (pid === null) return { result: await work(), usage: null };
  const reset = resetPeak(pid);
  const before = cpuTicks(pid);
  const result = await work();
  const cpuUs = ((cpuTicks(pid) - before) * 1e6) / CLK_TCK;
  return { result, usage: { cpuUs, peakMiB: reset ? peakMiB(pid) : null } };
}

// ---------- wrk ----------

export function ensureWrk() {
  const has = () => Bun.spawnSync(["sh", "-c", "command -v wrk"]).exitCode === 0;
  if (has()) return;
  console.error("wrk is missing: apt-get install -y wrk …");
  const install = () =>
    Bun.spawnSync(["apt-get", "install", "-y", "wrk"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  if (!install()) {
    Bun.spawnSync(["apt-get", "update"], { stdout: "ignore", stderr: "ignore" });
    install();
  }
  if (!has()) {
    console.error(
      "could not install wrk. Install it by hand (Debian: `apt-get update && apt-get install -y wrk`) and run again.",
    );
    cleanupAndExit(2);
  }
}

export const chatBody = (mode: Mode) =>
  JSON.stringify({
    model: "bench-model",
    messages: [{ role: "user", content: "Say hello." }],
    ...(mode === "sse" ? { stream: true } : {}),
  });

export const wrkScript = (key: string, mode: Mode) =>
  wrkPostScript(mode, chatBody(mode), { Authorization: `Bearer ${key}` });

/** A wrk script (written to TMP/<name>.lua) that POSTs `body` as JSON with `headers`. */
export function wrkPostScript(name: string, body: string, headers: Record<string, string>): string {
  const path = join(TMP, `${name}.lua`);
  const lua = ['wrk.method = "POST"', `wrk.body = [[${body}]]`, 'wrk.headers["Content-Type"] = "application/json"'];
  for (const [k, v] of Object.entries(headers)) lua.push(`wrk.headers["${k}"] = "${v}"`);
  writeFileSync(path, lua.join("\n") + "\n");
  return path;
}

export const toMs = (value: string, unit: string) =>
  Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit];

export function parseWrk(text: string): Wrk {
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN),
    requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? 0),
    p50: latency("50"),
    p99: latency("99"),
    errors: (socket ? socket.slice(1).reduce((a, n) => a + Number(n), 0) : 0) + Number(non2xx?.[1] ?? 0),
  };
}

export async function wrk(
  port: number,
  script: string,
  conns: number,
  seconds: number,
  path = CHAT_PATH,
): Promise<Wrk> {
  const cmd = [
    "taskset",
    "-c",
    "0",
    "wrk",
    "-t1",
    `-c${conns}`,
    `-d${seconds}s`,
    "--timeout",
    "5s",
    "--latency",
    "-s",
    script,
    `http://127.0.0.1:${port}${path}`,
  ];
  return parseWrk(await run(cmd, {}, (seconds + 20) * 1000));
}

// ---------- the three services ----------

export async function startScript(
  name: Target,
  core: number | string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
  bunFlags: string[] = [],
): Promise<Service> {
  const port = freePort();
  const proc = spawnPinned(core, ["bun", ...bunFlags, script, "--port", String(port), ...args], name, env);
  await waitFor(`${name} on ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/`)).status > 0);
  return { name, port, pid: proc.pid };
}

/** SIGTERM to a child we started, then wait (up to 5 s) for it to exit. */
export async function stopChild(pid: number | null) {
  const proc = children.find((c) => c.pid === pid);
  if (!proc) return;
  proc.kill("SIGTERM");
  await Promise.race([proc.exited, Bun.sleep(5000)]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
}

export const apiyiCmd = () => (existsSync(join(ROOT, "apiyi")) ? ["./apiyi"] : ["bun", "src/main.ts"]);
export const APIYI_ENV: Record<string, string> = { APIYI_ADMIN_PASSWORD: "bench-password-1" };
/** apiyi under test: `serveCmd` runs the server (the CLI setup always uses apiyiCmd()). */
export type Apiyi = Service & {
  key: string;
  dataDir: string;
  restarts: number;
  serveCmd: string[];
  env: Record<string, string>;
  /** the cores it runs on (taskset list): "1" unless a two-core cell */
  cores: string;
};

/** apiyi serving `dataDir` (set up already) on a free port, running once this resolves; no key yet. */
export async function serveOn(dataDir: string, serveCmd = apiyiCmd(), env = APIYI_ENV, cores = "1"): Promise<Apiyi> {
  const apiyi: Apiyi = {
    name: "apiyi",
    port: freePort(),
    pid: null,
    key: "",
    dataDir,
    restarts: 0,
    serveCmd,
    env,
    cores,
  };
  await serveApiyi(apiyi);
  return apiyi;
}

/** Through `cli` (an apiyi command runner): one channel to the mock serving bench-model, billed like a
 * real model (every call is held, settled and costed). */
export async function benchModel(cli: (args: string[]) => Promise<string>, mockPort: number) {
  const base = `http://127.0.0.1:${mockPort}/v1`;
  await cli(["channel", "add", "--name", "mock", "--base-url", base, "--key", "sk-up", "--models", "bench-model"]);
  await cli(["price", "set", "--model", "bench-model", "--input", "1", "--output", "2"]);
}

/** A fresh data dir with one channel to the mock, a running server and a token whitelisted for bench-model. */
export async function startApiyi(
  mockPort: number,
  dataDir: string,
  serveCmd = apiyiCmd(),
  extraEnv: Record<string, string> = {},
  cores = "1",
): Promise<Apiyi> {
  await benchModel((args) => run([...apiyiCmd(), ...args, "--data-dir", dataDir], APIYI_ENV), mockPort);
  const apiyi = await serveOn(dataDir, serveCmd, { ...APIYI_ENV, ...extraEnv }, cores);
  const out = await run(
    [
      ...apiyiCmd(),
      "token",
      "create",
      "--user",
      "admin",
      "--name",
      "bench",
      "--models",
      "bench-model",
      "--data-dir",
      dataDir,
    ],
    APIYI_ENV,
  );
  apiyi.key = /sk-[A-Za-z0-9]+/.exec(out)?.[0] ?? "";
  if (!apiyi.key) throw new Error(`no key in: ${out}`);
  // the server picks up the CLI's token from the database within ~200 ms
  await waitFor("the bench token", async () => (await post(apiyi.port, apiyi.key, "json")).status === 200, 10_000);
  return apiyi;
}

/** Starts `apiyi serve` pinned to its cores (core 1 by default) on the service's port and data dir (admin created on first start). */
export async function serveApiyi(apiyi: Apiyi) {
  const cmd = [
    ...apiyi.serveCmd,
    "serve",
    "--port",
    String(apiyi.port),
    "--host",
    "127.0.0.1",
    "--shutdown-timeout",
    "2",
    "--data-dir",
    apiyi.dataDir,
  ];
  apiyi.pid = spawnPinned(apiyi.cores, cmd, `apiyi-${apiyi.restarts}`, apiyi.env).pid;
  await waitFor("apiyi /healthz", async () => (await fetch(`http://127.0.0.1:${apiyi.port}/healthz`)).status === 200);
  apiyi.workPid = servingPid(apiyi.pid);
}

export const stopApiyi = (apiyi: Apiyi) => stopChild(apiyi.pid); // SIGTERM flushes the log queue

/** The process that serves: `serve` relaunches itself once (to lift Bun's fetch cap), so the server
 * is the child of the spawned process, and that child is what CPU and RSS are read from. */
export function servingPid(pid: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) return Number(entry);
    } catch {}
  }
  return pid;
}

/** wrk's hard stop drops calls still waiting for the upstream; apiyi counts those as channel failures
 * and its breaker may open (503 no_available_channel for 30 s). Then restart it so the run goes on. */
export async function keepApiyiUsable(apiyi: Apiyi) {
  const res = await post(apiyi.port, apiyi.key, "json");
  const text = await res.text();
  if (res.status === 200) return;
  console.error(`  apiyi answered ${res.status} after the run (${text.slice(0, 120)}): restarting it`);
  await stopApiyi(apiyi);
  apiyi.restarts++;
  await serveApiyi(apiyi);
}

/** Warm-up load that ends cleanly (every call is awaited), unlike wrk's hard stop. Returns the call count. */
export async function warm(port: number, key: string, mode: Mode, conns: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let calls = 0;
  const worker = async () => {
    for (; performance.now() < until; calls++) await (await post(port, key, mode)).arrayBuffer();
  };
  await Promise.all(Array.from({ length: conns }, worker));
  return calls;
}

export const post = (port: number, key: string, mode: Mode) =>
  fetch(`http://127.0.0.1:${port}${CHAT_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: chatBody(mode),
  });

/** apiyi's log rows by final status and error code (read after it stopped and flushed). */
export function logSummary(dataDir: string): string {
  const db = new Database(join(dataDir, "apiyi.db"), { readonly: true });
  try {
    const rows = db
      .query("SELECT status_code AS s, error_code AS e, count(*) AS n FROM logs GROUP BY 1, 2 ORDER BY n DESC")
      .all() as { s: number; e: string; n: number }[];
    return rows.map((r) => `${r.n} × ${r.s}${r.e ? ` ${r.e}` : ""}`).join(", ");
  } finally {
    db.close();
  }
}

// ---------- paced streams ----------

export type Paced = {
  streams: number;
  intact: number;
  events: number;
  wallMs: number;
  firstEvent: { p50Ms: number; maxMs: number };
  durationMs: { p50Ms: number; maxMs: number };
  failures: Record<string, number>;
};

/** bench/streams.ts against a gateway (on core 0, its own file limit raised): `streams` concurrent
 * streams of `events` events `paceMs` apart; the serving process's CPU and peak RSS meanwhile. */
export async function pacedStreams(
  port: number,
  key: string,
  pid: number | null,
  p: { streams: number; events: number; paceMs: number; deadlineS: number },
): Promise<{ result: Paced; usage: Usage | null }> {
  const cmd = ["sh", "-c", 'ulimit -n 65536 2>/dev/null; exec "$@"', "sh", "taskset", "-c", "0", "bun"];
  const args = [
    join(import.meta.dir, "streams.ts"),
    `http://127.0.0.1:${port}${CHAT_PATH}`,
    key,
    String(p.streams),
    String(p.events),
    String(p.paceMs),
    String(p.deadlineS),
  ];
  return measured(pid, async () => {
    const out = await run(
      [...cmd, ...args],
      { BUN_CONFIG_MAX_HTTP_REQUESTS: String(p.streams + 100) },
      (p.deadlineS + 30) * 1000,
    );
    return JSON.parse(out.trim().split("\n").at(-1)!) as Paced;
  });
}
