// The relay benchmark, one command: `bun bench/run.ts [--quick] [--fetch-limit N]`.
// Starts the bench mock (core 0), the bare Bun pass-through and apiyi (core 1, a fresh temp data
// dir, ./apiyi if built, else from source) and, in the same run, measures with wrk (core 0):
// direct-to-mock, bare and apiyi × (non-stream JSON, SSE) × (1, 50 connections); then time to first
// chunk (bench/ttfc.ts) and the paced scenario (bench/streams.ts: 1,000 streams × 200 events 20 ms
// apart). Prints markdown tables and the issue's targets. Everything it started is killed at the end,
// even on failure, and the whole run is bounded (a watchdog stops it after 8.5 minutes).
// --fetch-limit N runs apiyi with BUN_CONFIG_MAX_HTTP_REQUESTS=N (an experiment; default: as shipped).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  apiyiCmd,
  CHAT_PATH,
  cleanupAndExit,
  ensureWrk,
  flag,
  guard,
  keepApiyiUsable,
  logSummary,
  measured,
  run,
  startApiyi,
  startScript,
  stopApiyi,
  TMP,
  warm,
  wrk,
  wrkScript,
  type Apiyi,
  type Mode,
  type Service,
  type Target,
  type Usage,
  type Wrk,
} from "./lib";

const QUICK = process.argv.includes("--quick");
const FETCH_LIMIT = flag("--fetch-limit");
const RUN_S = QUICK ? 3 : 10;
const WARM_S = QUICK ? 1 : 2;
const TTFC_N = QUICK ? 100 : 200;
const PACED = { streams: 1000, events: 200, paceMs: 20, deadlineS: 90 };
const WATCHDOG_MS = 8.5 * 60_000;

type Row = { mode: Mode; conns: number; target: Target; wrk: Wrk; usage: Usage | null };

// ---------- scenarios ----------

async function loadMatrix(services: Service[], apiyi: Apiyi): Promise<Row[]> {
  const rows: Row[] = [];
  for (const mode of ["json", "sse"] as Mode[]) {
    const script = wrkScript(apiyi.key, mode);
    for (const conns of [1, 50]) {
      for (const s of services) {
        await warm(s.port, apiyi.key, mode, conns, WARM_S);
        const { result, usage } = await measured(s.workPid ?? s.pid, () => wrk(s.port, script, conns, RUN_S));
        rows.push({ mode, conns, target: s.name, wrk: result, usage });
        console.error(
          `  ${mode} c=${conns} ${s.name}: ${result.rps.toFixed(0)} rps, p50 ${f(result.p50, 3)} ms, ${result.errors} errors`,
        );
        if (s === apiyi) await keepApiyiUsable(apiyi);
      }
    }
  }
  return rows;
}

type Ttfc = { n: number; p50Ms: number; p90Ms: number; minMs: number; failed: number };

async function ttfc(s: Service, key: string): Promise<Ttfc> {
  const out = await run(
    ["taskset", "-c", "0", "bun", "bench/ttfc.ts", `http://127.0.0.1:${s.port}${CHAT_PATH}`, key, String(TTFC_N)],
    {},
    120_000,
  );
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

type Paced = {
  streams: number;
  intact: number;
  events: number;
  wallMs: number;
  firstEvent: { p50Ms: number; maxMs: number };
  durationMs: { p50Ms: number; maxMs: number };
  failures: Record<string, number>;
};

async function paced(s: Service, key: string): Promise<{ result: Paced; usage: Usage | null }> {
  const { streams, events, paceMs, deadlineS } = PACED;
  const cmd = [
    "sh",
    "-c",
    'ulimit -n 65536 2>/dev/null; exec "$@"',
    "sh",
    "taskset",
    "-c",
    "0",
    "bun",
    "bench/streams.ts",
  ];
  const args = [
    `http://127.0.0.1:${s.port}${CHAT_PATH}`,
    key,
    String(streams),
    String(events),
    String(paceMs),
    String(deadlineS),
  ];
  return measured(s.workPid ?? s.pid, async () => {
    const out = await run(
      [...cmd, ...args],
      { BUN_CONFIG_MAX_HTTP_REQUESTS: String(streams + 100) },
      (deadlineS + 30) * 1000,
    );
    return JSON.parse(out.trim().split("\n").at(-1)!) as Paced;
  });
}

// ---------- report ----------

const f = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits);
const signed = (n: number, digits = 2) => (Number.isFinite(n) ? (n >= 0 ? "+" : "") + n.toFixed(digits) : "–");

function loadTable(rows: Row[]): string {
  const find = (r: Row, t: Target) => rows.find((x) => x.mode === r.mode && x.conns === r.conns && x.target === t)!.wrk;
  const lines = [
    "| mode | conns | target | RPS | × direct | × bare | p50 ms | p99 ms | p50 vs direct | p50 vs bare | p99 vs bare | CPU µs/req | peak RSS MiB | errors |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const direct = find(r, "direct");
    const bare = find(r, "bare");
    const cpu = r.usage && r.wrk.requests ? r.usage.cpuUs / r.wrk.requests : null;
    lines.push(
      `| ${r.mode} | ${r.conns} | ${r.target} | ${f(r.wrk.rps, 0)} | ${f(r.wrk.rps / direct.rps)} | ${f(r.wrk.rps / bare.rps)} | ${f(r.wrk.p50, 3)} | ${f(r.wrk.p99, 3)} | ` +
        `${signed(r.wrk.p50 - direct.p50, 3)} | ${signed(r.wrk.p50 - bare.p50, 3)} | ${signed(r.wrk.p99 - bare.p99, 3)} | ${f(cpu, 1)} | ${f(r.usage?.peakMiB, 1)} | ${r.wrk.errors} |`,
    );
  }
  return lines.join("\n");
}

function ttfcTable(results: Record<Target, Ttfc>): string {
  const lines = ["| target | TTFC p50 ms | p90 ms | min ms | vs bare (p50) | failed |", "|---|---|---|---|---|---|"];
  for (const [t, r] of Object.entries(results)) {
    lines.push(
      `| ${t} | ${f(r.p50Ms, 3)} | ${f(r.p90Ms, 3)} | ${f(r.minMs, 3)} | ${signed(r.p50Ms - results.bare.p50Ms, 3)} | ${r.failed} |`,
    );
  }
  return lines.join("\n");
}

function pacedTable(results: { target: Target; result: Paced; usage: Usage | null }[]): string {
  const lines = [
    "| target | streams intact | events delivered | wall s | first event p50 / max ms | stream duration p50 / max ms | CPU µs/event | CPU µs/stream | peak RSS MiB | failures |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const { target, result: r, usage } of results) {
    const perEvent = usage && r.events ? usage.cpuUs / r.events : null;
    const perStream = usage ? usage.cpuUs / r.streams : null;
    lines.push(
      `| ${target} | ${r.intact} / ${r.streams} | ${r.events} | ${f(r.wallMs / 1000, 1)} | ${r.firstEvent.p50Ms} / ${r.firstEvent.maxMs} | ${r.durationMs.p50Ms} / ${r.durationMs.maxMs} | ` +
        `${f(perEvent, 2)} | ${f(perStream, 0)} | ${f(usage?.peakMiB, 1)} | ${JSON.stringify(r.failures)} |`,
    );
  }
  return lines.join("\n");
}

function targets(rows: Row[], tt: Record<Target, Ttfc>, pacedApiyi: { result: Paced; usage: Usage | null }): string {
  const get = (mode: Mode, conns: number, t: Target) =>
    rows.find((r) => r.mode === mode && r.conns === conns && r.target === t)!;
  const ratio = (mode: Mode) => get(mode, 50, "apiyi").wrk.rps / get(mode, 50, "bare").wrk.rps;
  const addedP50 = get("json", 1, "apiyi").wrk.p50 - get("json", 1, "bare").wrk.p50;
  const addedTtfc = tt.apiyi.p50Ms - tt.bare.p50Ms;
  const rss50 = Math.max(
    ...rows.filter((r) => r.conns === 50 && r.target === "apiyi").map((r) => r.usage?.peakMiB ?? NaN),
  );
  const rssPaced = pacedApiyi.usage?.peakMiB ?? NaN;
  const p = pacedApiyi.result;
  const check = (ok: boolean) => (ok ? "met" : "**missed**");
  return [
    "| target | measured | result |",
    "|---|---|---|",
    `| non-stream RPS ≥ 0.90× bare (50 conns) | ${f(ratio("json"))}× | ${check(ratio("json") >= 0.9)} |`,
    `| SSE RPS ≥ 0.60× bare (50 conns) | ${f(ratio("sse"))}× | ${check(ratio("sse") >= 0.6)} |`,
    `| added p50 ≤ 0.1 ms vs bare (non-stream, 1 conn) | ${signed(addedP50, 3)} ms | ${check(addedP50 <= 0.1)} |`,
    `| no added time to first chunk (p50 vs bare, ≤ 0.1 ms) | ${signed(addedTtfc, 3)} ms | ${check(addedTtfc <= 0.1)} |`,
    `| peak RSS ≤ 100 MiB (50-connection runs) | ${f(rss50, 1)} MiB | ${check(rss50 <= 100)} |`,
    `| 1,000 paced streams complete intact | ${p.intact} / ${p.streams} (first event after ${p.firstEvent.maxMs} ms at most) | ${check(p.intact === p.streams)} |`,
    `| peak RSS ≤ 150 MiB (1,000 paced streams) | ${f(rssPaced, 1)} MiB | ${check(rssPaced <= 150)} |`,
  ].join("\n");
}

// ---------- main ----------

async function main() {
  ensureWrk();
  const dataDir = join(TMP, "data");
  const mock = await startScript("direct", 0, "bench/mock.ts", []);
  mock.pid = null; // the mock shares core 0 with wrk; its CPU is not reported
  const bare = await startScript("bare", 1, "bench/bare.ts", ["--upstream", `http://127.0.0.1:${mock.port}`], {
    BUN_CONFIG_MAX_HTTP_REQUESTS: "4096",
  });
  const apiyi = await startApiyi(
    mock.port,
    dataDir,
    apiyiCmd(),
    FETCH_LIMIT ? { BUN_CONFIG_MAX_HTTP_REQUESTS: FETCH_LIMIT } : {},
  );
  console.error(
    `apiyi: ${apiyiCmd().join(" ")}${FETCH_LIMIT ? ` (BUN_CONFIG_MAX_HTTP_REQUESTS=${FETCH_LIMIT})` : ""}; run ${RUN_S} s per cell after ${WARM_S} s warm-up`,
  );

  const rows = await loadMatrix([mock, bare, apiyi], apiyi);
  console.error("time to first chunk …");
  const tt = {
    direct: await ttfc(mock, apiyi.key),
    bare: await ttfc(bare, apiyi.key),
    apiyi: await ttfc(apiyi, apiyi.key),
  } as Record<Target, Ttfc>;
  console.error("paced streams …");
  await keepApiyiUsable(apiyi);
  const pacedRuns = [{ target: "apiyi" as Target, ...(await paced(apiyi, apiyi.key)) }];
  if (!QUICK) pacedRuns.push({ target: "bare", ...(await paced(bare, apiyi.key)) });
  await stopApiyi(apiyi);

  console.log(`## apiyi relay benchmark${QUICK ? " (--quick)" : ""}\n`);
  console.log(
    `wrk -t1 on core 0 with the mock; bare (BUN_CONFIG_MAX_HTTP_REQUESTS=4096) and apiyi on core 1; ${RUN_S} s per cell after ${WARM_S} s warm-up; apiyi: \`${apiyiCmd().join(" ")}\`${FETCH_LIMIT ? ` with BUN_CONFIG_MAX_HTTP_REQUESTS=${FETCH_LIMIT}` : ""}.\n`,
  );
  console.log(loadTable(rows) + "\n");
  console.log(
    `Time to first chunk (${TTFC_N} sequential streams, first of 3 events 5 ms apart):\n\n${ttfcTable(tt)}\n`,
  );
  console.log(
    `Paced: ${PACED.streams} concurrent streams × ${PACED.events} events ${PACED.paceMs} ms apart:\n\n${pacedTable(pacedRuns)}\n`,
  );
  console.log(
    `apiyi's log rows: ${logSummary(dataDir)}. Restarts because its breaker had opened after a wrk run: ${apiyi.restarts}.\n`,
  );
  console.log(targets(rows, tt, pacedRuns[0]));
}

guard(WATCHDOG_MS);

try {
  await main();
  cleanupAndExit(0);
} catch (e) {
  console.error("bench failed:", e);
  for (const name of readdirSync(TMP).filter((n) => n.startsWith("apiyi") && n.includes(".log"))) {
    console.error(`--- ${name}:\n${readFileSync(join(TMP, name), "utf8").slice(-3000)}`);
  }
  cleanupAndExit(1);
}
