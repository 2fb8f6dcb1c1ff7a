// The two-core cells of the relay benchmark (issue 16): bare and apiyi each free to use both cores
// (`taskset -c 0,1`), the mock and wrk still pinned to core 0, JSON and SSE at 50 connections. What a
// second thread (Bun's fetch thread for bare, SQLite and the collector for apiyi) buys on a real
// 2-core box; the pinned cells of bench/run.ts stay the headline. CPU per call is over all threads.
import { join } from "node:path";
import {
  measured,
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
  type Usage,
  type Wrk,
} from "./lib";

const CORES = "0,1";
type Cell = { mode: Mode; target: "bare" | "apiyi"; wrk: Wrk; usage: Usage | null };

async function measure(s: Service, key: string, mode: Mode, warmS: number, runS: number): Promise<Cell> {
  await warm(s.port, key, mode, 50, warmS);
  const { result, usage } = await measured(s.workPid ?? s.pid, () => wrk(s.port, wrkScript(key, mode), 50, runS));
  return { mode, target: s.name as Cell["target"], wrk: result, usage };
}

/** Starts bare and apiyi (a fresh data dir) on both cores, measures, stops them; the table as markdown. */
export async function twoCoreCells(mockPort: number, warmS: number, runS: number): Promise<string> {
  const bare = await startScript("bare", CORES, "bench/bare.ts", ["--upstream", `http://127.0.0.1:${mockPort}`], {
    BUN_CONFIG_MAX_HTTP_REQUESTS: "4096",
  });
  const apiyi = await startApiyi(mockPort, join(TMP, "data-two-cores"), undefined, {}, CORES);
  const cells: Cell[] = [];
  try {
    for (const mode of ["json", "sse"] as Mode[])
      for (const s of [bare, apiyi]) cells.push(await measure(s, apiyi.key, mode, warmS, runS));
  } finally {
    await stopChild(bare.pid);
    await stopApiyi(apiyi);
  }
  const lines = [
    "| mode | target | RPS | × bare | p99 ms | CPU µs/req | CPU × bare |",
    "|---|---|---|---|---|---|---|",
  ];
  const cpu = (c: Cell) => (c.usage && c.wrk.requests ? c.usage.cpuUs / c.wrk.requests : Number.NaN);
  for (const c of cells) {
    const b = cells.find((x) => x.mode === c.mode && x.target === "bare")!;
    lines.push(
      `| ${c.mode} | ${c.target} | ${c.wrk.rps.toFixed(0)} | ${(c.wrk.rps / b.wrk.rps).toFixed(2)} | ${c.wrk.p99.toFixed(3)} | ${cpu(c).toFixed(1)} | ${(cpu(c) / cpu(b)).toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}
