// Startup figures for the compiled binary: size, time from spawn to the first HTTP 200 on /healthz
// (fresh data dir, so migrations and first-start setup are included, and again on a warm data dir),
// and resident memory after 2 s idle. Usage: bun run build && bun bench/startup.ts [./apiyi] [runs]
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { servingPid } from "./lib";

const binary = resolve(process.argv[2] ?? "./apiyi");
const runs = Number(process.argv[3] ?? 5);
const port = 39_000 + Math.floor(Math.random() * 1000);

async function firstOk(dataDir: string) {
  const t0 = performance.now();
  const proc = Bun.spawn([binary, "serve", "--port", String(port), "--data-dir", dataDir], {
    stdout: "ignore",
    stderr: "inherit",
    env: { ...process.env, APIYI_ADMIN_PASSWORD: "bench-password-1" },
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.status === 200) break;
    } catch {}
    await Bun.sleep(1);
  }
  return { ms: performance.now() - t0, proc };
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold: number[] = [];
const warm: number[] = [];
let rss = 0;
let parentRss = 0;
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), "apiyi-bench-"));
  const a = await firstOk(dir);
  cold.push(a.ms);
  a.proc.kill("SIGTERM");
  await a.proc.exited;
  const b = await firstOk(dir);
  warm.push(b.ms);
  if (i === 0) {
    await Bun.sleep(2000);
    const server = servingPid(b.proc.pid); // serve relaunches itself once to lift Bun's fetch cap
    rss = rssMiB(server);
    parentRss = server === b.proc.pid ? 0 : rssMiB(b.proc.pid);
  }
  b.proc.kill("SIGTERM");
  await b.proc.exited;
  rmSync(dir, { recursive: true, force: true });
}
console.log(`binary size: ${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB`);
console.log(`first 200 after start, fresh data dir (median of ${runs}): ${median(cold).toFixed(1)} ms`);
console.log(`first 200 after start, existing data dir (median of ${runs}): ${median(warm).toFixed(1)} ms`);
console.log(
  `idle RSS after 2 s: ${rss.toFixed(1)} MiB (serving process) + ${parentRss.toFixed(1)} MiB (the relaunching parent)`,
);
