// The relay benchmark, one command: `bun bench/run.ts [--quick] [--fetch-limit N]`.
// Starts the bench mock (core 0), the bare Bun pass-through and apiyi (core 1, a fresh temp data
// dir, ./apiyi if built, else from source) and, in the same run, measures with wrk (core 0):
// direct-to-mock, bare and apiyi × (non-stream JSON, SSE) × (1, 50 connections); then time to first
// chunk (bench/ttfc.ts) and the paced scenario (bench/streams.ts: 1,000 streams × 200 events 20 ms
// apart); then the two-core cells (bench/two-cores.ts). Prints markdown tables and the issue's targets. Everything it started is killed at the end,
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
  pacedStreams,
  type Paced,
  run,
  startApiyi,
  startScript,
  stopApiyi,
  stopChild,
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
import { twoCoreCells } from "./two-cores";

const QUICK = process.argv.includes("--quick");
const FETCH_LIMIT = flag("--fetch-limit");
const RUN_S = QUICK ? 3 : 10;
const WARM_S = QUICK ? 1 : 2;
const TTFC_N = QUICK ? 100 : 200;
/** the added time to first chunk is judged on the median of this many runs (one run varies by ±0.2 ms) */
const TTFC_RUNS = QUICK ? 3 : 5;
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

async function paced(s: Service, key: string): Promise<{ result: Paced; usage: Usage | null }> {
  return pacedStreams(s.port, key, s.workPid ?? s.pid, PACED);
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

/** Of several runs, the one with the median p50. */
const medianRun = (runs: Ttfc[]) => [...runs].sort((a, b) => a.p50Ms - b.p50Ms)[Math.floor(runs.length / 2)];

function ttfcTable(runs: Record<"direct" | "bare" | "apiyi", Ttfc[]>): string {
  const results = { direct: medianRun(runs.direct), bare: medianRun(runs.bare), apiyi: medianRun(runs.apiyi) };
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

/** One target's row: what was measured, met or missed, and how far from the line. */
type Check = { target: string; measured: string; ok: boolean; far: string };
const row = (c: Check) => `| ${c.target} | ${c.measured} | ${c.ok ? "met" : "**missed**"} | ${c.ok ? "" : c.far} |`;

/** Issue 16's targets, every cell: RPS ratios, CPU per call (all threads, /proc), p99 and p50 added over
 * bare, time to first chunk (median of the runs' medians), the paced streams and the peak RSS. */
function targets(
  rows: Row[],
  tt: { bare: Ttfc[]; apiyi: Ttfc[] },
  pacedRuns: { target: Target; result: Paced; usage: Usage | null }[],
): string {
  const get = (mode: Mode, conns: number, t: Target) =>
    rows.find((r) => r.mode === mode && r.conns === conns && r.target === t)!;
  const cpu = (r: Row) => (r.usage && r.wrk.requests ? r.usage.cpuUs / r.wrk.requests : NaN);
  const checks: Check[] = [];
  for (const [mode, line] of [
    ["json", 0.75],
    ["sse", 0.6],
  ] as const) {
    const ratio = get(mode, 50, "apiyi").wrk.rps / get(mode, 50, "bare").wrk.rps;
    checks.push({
      target: `${mode} RPS ≥ ${line}× bare (50 conns)`,
      measured: `${f(ratio)}×`,
      ok: ratio >= line,
      far: `${f(line - ratio)}× short (needs ${f(line / ratio)}× today's RPS)`,
    });
  }
  const cpuRatio = cpu(get("json", 50, "apiyi")) / cpu(get("json", 50, "bare"));
  checks.push({
    target: "CPU per JSON call ≤ 1.5× bare's (50 conns, all threads)",
    measured: `${f(cpu(get("json", 50, "apiyi")), 1)} µs = ${f(cpuRatio)}× bare's ${f(cpu(get("json", 50, "bare")), 1)}`,
    ok: cpuRatio <= 1.5,
    far: `${f(cpu(get("json", 50, "apiyi")) - 1.5 * cpu(get("json", 50, "bare")), 1)} µs over`,
  });
  for (const mode of ["json", "sse"] as Mode[]) {
    const p99 = get(mode, 50, "apiyi").wrk.p99 - get(mode, 50, "bare").wrk.p99;
    checks.push({
      target: `${mode} p99 ≤ bare + 2 ms (50 conns)`,
      measured: `${signed(p99, 3)} ms`,
      ok: p99 <= 2,
      far: `${f(p99 - 2, 3)} ms over`,
    });
  }
  for (const mode of ["json", "sse"] as Mode[]) {
    const p50 = get(mode, 1, "apiyi").wrk.p50 - get(mode, 1, "bare").wrk.p50;
    checks.push({
      target: `${mode} added p50 ≤ 0.1 ms (1 conn)`,
      measured: `${signed(p50, 3)} ms`,
      ok: p50 <= 0.1,
      far: `${f(p50 - 0.1, 3)} ms over`,
    });
  }
  const addedTtfc = medianRun(tt.apiyi).p50Ms - medianRun(tt.bare).p50Ms;
  checks.push({
    target: `added time to first chunk ≤ 0.1 ms (median of ${tt.apiyi.length} runs)`,
    measured: `${signed(addedTtfc, 3)} ms`,
    ok: addedTtfc <= 0.1,
    far: `${f(addedTtfc - 0.1, 3)} ms over`,
  });
  const pacedA = pacedRuns.find((r) => r.target === "apiyi")!;
  const pacedB = pacedRuns.find((r) => r.target === "bare");
  const perEvent = (r: { result: Paced; usage: Usage | null } | undefined) =>
    r?.usage && r.result.events ? r.usage.cpuUs / r.result.events : NaN;
  const eventRatio = perEvent(pacedA) / perEvent(pacedB);
  checks.push({
    target: "paced: CPU per event ≤ 1.25× bare's",
    measured: pacedB
      ? `${f(perEvent(pacedA))} µs = ${f(eventRatio)}× bare's ${f(perEvent(pacedB))}`
      : `${f(perEvent(pacedA))} µs (bare not run with --quick)`,
    ok: eventRatio <= 1.25,
    far: pacedB ? `${f(perEvent(pacedA) - 1.25 * perEvent(pacedB))} µs over` : "not measured",
  });
  const p = pacedA.result;
  checks.push({
    target: "paced: all 1,000 streams intact",
    measured: `${p.intact} / ${p.streams}`,
    ok: p.intact === p.streams,
    far: `${p.streams - p.intact} broken`,
  });
  const rssPaced = pacedA.usage?.peakMiB ?? NaN;
  checks.push({
    target: "paced: peak RSS ≤ 120 MiB",
    measured: `${f(rssPaced, 1)} MiB`,
    ok: rssPaced <= 120,
    far: `${f(rssPaced - 120, 1)} MiB over`,
  });
  const rss50 = Math.max(
    ...rows.filter((r) => r.conns === 50 && r.target === "apiyi").map((r) => r.usage?.peakMiB ?? NaN),
  );
  checks.push({
    target: "peak RSS ≤ 100 MiB (50-connection cells)",
    measured: `${f(rss50, 1)} MiB`,
    ok: rss50 <= 100,
    far: `${f(rss50 - 100, 1)} MiB over`,
  });
  return ["| target (issue 16) | measured | result | how far |", "|---|---|---|---|", ...checks.map(row)].join("\n");
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
  const tt = { direct: [] as Ttfc[], bare: [] as Ttfc[], apiyi: [] as Ttfc[] };
  for (let i = 0; i < TTFC_RUNS; i++) {
    tt.direct.push(await ttfc(mock, apiyi.key));
    tt.bare.push(await ttfc(bare, apiyi.key));
    tt.apiyi.push(await ttfc(apiyi, apiyi.key));
  }
  console.error("paced streams …");
  await keepApiyiUsable(apiyi);
  const pacedRuns = [{ target: "apiyi" as Target, ...(await paced(apiyi, apiyi.key)) }];
  if (!QUICK) pacedRuns.push({ target: "bare", ...(await paced(bare, apiyi.key)) });
  await stopApiyi(apiyi);
  await stopChild(bare.pid);
  console.error("two-core cells …");
  const twoCores = await twoCoreCells(mock.port, WARM_S, RUN_S);

  console.log(`## apiyi relay benchmark${QUICK ? " (--quick)" : ""}\n`);
  console.log(
    `wrk -t1 on core 0 with the mock; bare (BUN_CONFIG_MAX_HTTP_REQUESTS=4096) and apiyi on core 1; ${RUN_S} s per cell after ${WARM_S} s warm-up; apiyi: \`${apiyiCmd().join(" ")}\`${FETCH_LIMIT ? ` with BUN_CONFIG_MAX_HTTP_REQUESTS=${FETCH_LIMIT}` : ""}.\n`,
  );
  console.log(loadTable(rows) + "\n");
  console.log(
    `Time to first chunk (${TTFC_RUNS} runs of ${TTFC_N} sequential streams, first of 3 events 5 ms apart; the run with the median p50 of each):\n\n${ttfcTable(tt)}\n`,
  );
  console.log(
    `Paced: ${PACED.streams} concurrent streams × ${PACED.events} events ${PACED.paceMs} ms apart:\n\n${pacedTable(pacedRuns)}\n`,
  );
  console.log(
    `apiyi's log rows: ${logSummary(dataDir)}. Restarts because its breaker had opened after a wrk run: ${apiyi.restarts}.\n`,
  );
  console.log(
    `Two cores: bare and apiyi each unpinned (\`taskset -c 0,1\`), the mock and wrk on core 0, 50 connections (not a target; the pinned ratios above are the headline):\n\n${twoCores}\n`,
  );
  console.log(targets(rows, tt, pacedRuns));
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
