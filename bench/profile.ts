// Where the gateway's CPU goes under load: runs apiyi from source (or the bare pass-through) under
// `bun --cpu-prof` pinned to core 1, the bench mock and wrk on core 0, then summarizes the profile:
// JS time per function (self and inclusive) and per source file, as µs per call. Time is counted in
// samples × interval (JSC samples only while JavaScript runs, so native work — sockets, HTTP parsing,
// fetch's own thread — is not in it); the process's whole CPU time per call comes from /proc.
// Usage: bun bench/profile.ts [json|sse|paced] [--target apiyi|bare] [--conns 50] [--seconds 8] [--top 25]
// (paced: bench/streams.ts's 1,000 streams × 200 events 20 ms apart instead of wrk; figures per event)
// [--callers "NAME|NAME2"] (the self time of functions whose label starts with a NAME, by caller)
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  CHAT_PATH,
  ensureWrk,
  ROOT,
  flag,
  measured,
  run,
  runMain,
  startApiyi,
  startScript,
  stopApiyi,
  stopChild,
  TMP,
  warm,
  wrk,
  wrkScript,
  type Mode,
  type Service,
} from "./lib";

const PACED = process.argv[2] === "paced";
const MODE = (process.argv[2] === "sse" || PACED ? "sse" : "json") as Mode;
const TARGET = flag("--target") === "bare" ? "bare" : "apiyi";
const CONNS = Number(flag("--conns") ?? 50);
const SECONDS = Number(flag("--seconds") ?? 8);
const TOP = Number(flag("--top") ?? 25);
/** also: who calls the functions whose label starts with this (self samples by their callers' labels) */
const CALLERS = flag("--callers");
const PROF_DIR = join(TMP, "prof");
const INTERVAL_US = 250;
const PROF_FLAGS = ["--cpu-prof", `--cpu-prof-dir=${PROF_DIR}`, `--cpu-prof-interval=${INTERVAL_US}`];

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[] };

const local = (url: string) => url.replace(`file://${ROOT}/`, "");
const label = (n: Node) => {
  const file = local(n.callFrame.url).replace(/^node_modules\//, "nm/");
  return `${n.callFrame.functionName || "(anonymous)"} ${file ? `${file}:${n.callFrame.lineNumber + 1}` : "(native)"}`;
};
const fileOf = (n: Node) => local(n.callFrame.url).replace(/^(node_modules\/(@[^/]+\/)?[^/]+)\/.*/, "$1") || "(native)";

/** Samples per function (self: at the top of the stack; inclusive: anywhere in it, once) and per file. */
function tally(p: Profile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const leaf of p.samples) {
    add(self, label(byId.get(leaf)!));
    const seen = new Set<string>();
    const seenFiles = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      if (n.callFrame.functionName === "(root)") continue;
      const k = label(n);
      if (!seen.has(k)) seen.add(k), add(inclusive, k);
      const f = fileOf(n);
      if (!seenFiles.has(f)) seenFiles.add(f), add(files, f);
    }
  }
  return { self, inclusive, files, samples: p.samples.length };
}

/** Self samples of the functions whose label starts with one of `prefixes` ("a|b"), by their caller. */
function callers(p: Profile, prefixes: string): Map<string, number> {
  const wanted = prefixes.split("|");
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  for (const leaf of p.samples) {
    const n = byId.get(leaf)!;
    if (!wanted.some((w) => label(n).startsWith(w))) continue;
    const up = parent.get(leaf);
    const k = `${label(n)} ← ${up === undefined ? "(none)" : label(byId.get(up)!)}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function table(title: string, m: Map<string, number>, calls: number, top: number) {
  const lines = [`| ${title} | JS ms | µs per call |`, "|---|---|---|"];
  for (const [k, n] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| ${k} | ${((n * INTERVAL_US) / 1000).toFixed(0)} | ${((n * INTERVAL_US) / calls).toFixed(2)} |`);
  }
  return lines.join("\n");
}

async function startTarget(mock: Service): Promise<Service & { key: string; stop: () => Promise<void> }> {
  if (TARGET === "bare") {
    const bare = await startScript(
      "bare",
      1,
      "bench/bare.ts",
      ["--upstream", `http://127.0.0.1:${mock.port}`],
      {},
      PROF_FLAGS,
    );
    return { ...bare, key: "sk-none", stop: () => stopChild(bare.pid) };
  }
  // with the fetch limit already set, serve does not relaunch itself: the profiled process is the server
  const apiyi = await startApiyi(mock.port, join(TMP, "data"), ["bun", ...PROF_FLAGS, "src/main.ts"], {
    BUN_CONFIG_MAX_HTTP_REQUESTS: "16384",
  });
  return { ...apiyi, stop: () => stopApiyi(apiyi) };
}

/** The paced streams (core 0), as wrk's figures: `requests` are the events delivered. */
async function pacedRun(port: number, key: string) {
  const cmd = ["taskset", "-c", "0", "bun", "bench/streams.ts", `http://127.0.0.1:${port}${CHAT_PATH}`, key];
  const out = await run([...cmd, "1000", "200", "20", "90"], { BUN_CONFIG_MAX_HTTP_REQUESTS: "1100" }, 120_000);
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { events: number; wallMs: number; intact: number };
  console.error(`paced: ${r.intact} / 1000 streams intact, ${r.events} events`);
  return { rps: (r.events * 1000) / r.wallMs, requests: r.events };
}

async function main() {
  ensureWrk();
  const mock = await startScript("direct", 0, "bench/mock.ts", []);
  const target = await startTarget(mock);
  const warmCalls = PACED ? 0 : await warm(target.port, target.key, MODE, CONNS, 2);
  const { result, usage } = await measured(target.workPid ?? target.pid, () =>
    PACED ? pacedRun(target.port, target.key) : wrk(target.port, wrkScript(target.key, MODE), CONNS, SECONDS),
  );
  await target.stop(); // the profile is written on exit
  const file = readdirSync(PROF_DIR).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no profile was written");
  const profile = (await Bun.file(join(PROF_DIR, file)).json()) as Profile;
  const t = tally(profile);
  const calls = warmCalls + result.requests;
  console.log(
    `## ${TARGET}, ${PACED ? "paced: 1,000 streams × 200 events 20 ms apart, per event" : `${MODE}, ${CONNS} connections, ${SECONDS} s`} under bun --cpu-prof (interval ${INTERVAL_US} µs)\n`,
  );
  console.log(
    `${result.rps.toFixed(0)} RPS under the profiler; process CPU ${(usage!.cpuUs / result.requests).toFixed(1)} µs per call (all threads, /proc);`,
  );
  console.log(
    `JS samples ${((t.samples * INTERVAL_US) / calls).toFixed(1)} µs per call over ${calls} calls (startup and warm-up included).\n`,
  );
  console.log(table("file (inclusive)", t.files, calls, TOP) + "\n");
  console.log(table("function (inclusive)", t.inclusive, calls, TOP) + "\n");
  console.log(table("function (self)", t.self, calls, TOP));
  if (CALLERS) console.log(`\n${table(`${CALLERS}… by caller (self)`, callers(profile, CALLERS), calls, TOP)}`);
}

await runMain("profile", main);
