// A/B of the relay's hot path between two checkouts, in one run: `bun bench/ab.ts DIR_A DIR_B
// [--mode json|sse|ttfc|paced] [--conns 50] [--seconds 5] [--rounds 6]` (ttfc: each round warms with SSE
// load, then times 200 sequential streams' first chunk with bench/ttfc.ts and keeps the p50; paced:
// each round runs run.ts's 1,000 paced streams × 200 events and keeps the CPU µs per event). Each checkout gets its own data dir (set up with its own CLI), its
// server pinned to core 1 (one loaded at a time), the bench mock and wrk on core 0; the two are measured in
// alternating rounds, so a noisy neighbour slows both alike, and the medians of RPS, CPU µs per request
// and p99 latency are compared. For deciding whether a change costs the hot path, where a single run's noise (±10% here)
// hides it.
import { join } from "node:path";
import {
  APIYI_ENV,
  benchModel,
  CHAT_PATH,
  ensureWrk,
  flag,
  freePort,
  measured,
  pacedStreams,
  post,
  run,
  runMain,
  servingPid,
  spawnPinned,
  startScript,
  stopChild,
  TMP,
  waitFor,
  warm,
  wrk,
  wrkScript,
  type Mode,
} from "./lib";

const [dirA, dirB] = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
const TTFC = flag("--mode") === "ttfc";
const PACED = flag("--mode") === "paced";
const MODE = (flag("--mode") === "sse" || TTFC || PACED ? "sse" : "json") as Mode;
const CONNS = Number(flag("--conns") ?? 50);
const SECONDS = Number(flag("--seconds") ?? 5);
const ROUNDS = Number(flag("--rounds") ?? 6);

type Side = {
  name: string;
  dir: string;
  port: number;
  spawned: number;
  pid: number;
  key: string;
  rps: number[];
  cpu: number[];
  p99: number[];
  rss: number[];
};

async function start(name: string, dir: string, mockPort: number): Promise<Side> {
  const cli = ["bun", join(dir, "src/main.ts")];
  const dataDir = join(TMP, `data-${name}`);
  const setup = (args: string[]) => run([...cli, ...args, "--data-dir", dataDir], APIYI_ENV);
  await benchModel(setup, mockPort);
  const port = freePort();
  const proc = spawnPinned(
    1,
    [...cli, "serve", "--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir],
    `apiyi-${name}`,
    APIYI_ENV,
  );
  await waitFor(`${name} /healthz`, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200);
  const out = await setup(["token", "create", "--user", "admin", "--name", "bench", "--models", "bench-model"]);
  const key = /sk-[A-Za-z0-9]+/.exec(out)?.[0] ?? "";
  await waitFor(`${name}'s token`, async () => (await post(port, key, "json")).status === 200, 10_000);
  return { name, dir, port, spawned: proc.pid!, pid: servingPid(proc.pid!), key, rps: [], cpu: [], p99: [], rss: [] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await runMain(
  "ab",
  async () => {
    if (!dirA || !dirB)
      throw new Error("usage: bun bench/ab.ts DIR_A DIR_B [--mode json|sse] [--conns 50] [--seconds 5] [--rounds 6]");
    ensureWrk();
    const mock = await startScript("direct", 0, join(import.meta.dir, "mock.ts"), []);
    const sides = [await start("A", dirA, mock.port), await start("B", dirB, mock.port)];
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 ? [...sides].reverse() : sides) {
        await warm(s.port, s.key, MODE, CONNS, 1);
        if (PACED) {
          const p = await pacedStreams(s.port, s.key, s.pid, { streams: 1000, events: 200, paceMs: 20, deadlineS: 90 });
          s.cpu.push(p.usage ? p.usage.cpuUs / p.result.events : NaN);
          s.rss.push(p.usage?.peakMiB ?? NaN);
          s.rps.push(p.result.intact);
          console.log(
            `round ${r + 1} ${s.name}: ${s.cpu.at(-1)!.toFixed(2)} CPU µs/event, ${p.result.intact} intact, peak RSS ${s.rss.at(-1)!.toFixed(1)} MiB`,
          );
          continue;
        }
        if (TTFC) {
          const url = `http://127.0.0.1:${s.port}${CHAT_PATH}`;
          const out = await run(["taskset", "-c", "0", "bun", join(import.meta.dir, "ttfc.ts"), url, s.key, "200"]);
          s.p99.push(JSON.parse(out.trim().split("\n").at(-1)!).p50Ms);
          console.log(`round ${r + 1} ${s.name}: time to first chunk p50 ${s.p99.at(-1)!.toFixed(3)} ms`);
          continue;
        }
        const { result, usage } = await measured(s.pid, () => wrk(s.port, wrkScript(s.key, MODE), CONNS, SECONDS));
        s.rps.push(result.rps);
        s.p99.push(result.p99);
        s.cpu.push(usage ? usage.cpuUs / result.requests : NaN);
        s.rss.push(usage?.peakMiB ?? NaN);
        console.log(
          `round ${r + 1} ${s.name}: ${result.rps.toFixed(0)} RPS, ${(usage!.cpuUs / result.requests).toFixed(1)} CPU µs/req, peak RSS ${usage?.peakMiB?.toFixed(1) ?? "?"} MiB`,
        );
      }
    }
    if (PACED) {
      const [a, b] = sides;
      console.log("\n| side | checkout | CPU µs/event | streams intact | peak RSS MiB |\n|---|---|---|---|---|");
      for (const x of sides)
        console.log(
          `| ${x.name} | ${x.dir} | ${median(x.cpu).toFixed(2)} | ${Math.min(...x.rps)} (fewest) | ${median(x.rss).toFixed(1)} |`,
        );
      console.log(
        `\nB / A: CPU per event ${(median(b.cpu) - median(a.cpu)).toFixed(2)} µs (×${(median(b.cpu) / median(a.cpu)).toFixed(3)}), peak RSS ${(median(b.rss) - median(a.rss)).toFixed(1)} MiB`,
      );
      for (const x of sides) await stopChild(x.spawned);
      return;
    }
    if (TTFC) {
      const [a, b] = sides;
      for (const x of sides)
        console.log(`| ${x.name} | ${x.dir} | time to first chunk, median of p50s ${median(x.p99).toFixed(3)} ms |`);
      console.log(`\nB - A: ${((median(b.p99) - median(a.p99)) * 1000).toFixed(0)} µs`);
      for (const x of sides) await stopChild(x.spawned);
      return;
    }
    console.log(`\n${MODE}, ${CONNS} connections, ${ROUNDS} rounds of ${SECONDS} s, medians:\n`);
    console.log("| side | checkout | RPS | CPU µs/req | p99 ms | peak RSS MiB |\n|---|---|---|---|---|---|");
    for (const s of sides)
      console.log(
        `| ${s.name} | ${s.dir} | ${median(s.rps).toFixed(0)} | ${median(s.cpu).toFixed(1)} | ${median(s.p99).toFixed(2)} | ${median(s.rss).toFixed(1)} |`,
      );
    const [a, b] = sides;
    console.log(
      `\nB / A: RPS ×${(median(b.rps) / median(a.rps)).toFixed(3)}, CPU per request ${(median(b.cpu) - median(a.cpu)).toFixed(1)} µs, p99 ${(median(b.p99) - median(a.p99)).toFixed(2)} ms, peak RSS ${(median(b.rss) - median(a.rss)).toFixed(1)} MiB`,
    );
    for (const s of sides) await stopChild(s.spawned);
  },
  15 * 60_000,
);
