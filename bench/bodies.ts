// Memory under oversized anonymous posts outside /v1 (issue 10, item 5): the peak RSS of an apiyi server
// (VmRSS sampled every 25 ms, and VmHWM reset before each round when run as root, from
// /proc/PID/status) while 5 parallel 100 MiB posts to
// /login run: with Content-Length, chunked (no length), and 20 MiB with a length. Run it against any checkout, e.g.
// this one and the code before the fix:
//   bun bench/bodies.ts                 # this checkout
//   bun bench/bodies.ts /work/main      # another checkout dir (started with `bun <dir>/src/main.ts serve`)
// Each post is bounded (60 s), the whole run too (4 minutes); everything started is stopped at the end.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT, freePort, resetPeak, runMain, spawnPinned, stopChild, waitFor } from "./lib";

const MiB = 1024 * 1024;
const POSTS = 5;
/** 100 MiB as the attack, with a declared length and chunked; 20 MiB declared is under Bun's
 * own cap (2 × --max-body-mb + 1 MiB), so the route's check answers it. */
const ROUNDS = [
  { label: "100 MiB, Content-Length", size: 100 * MiB, chunked: false, path: "/login" },
  { label: "100 MiB, chunked", size: 100 * MiB, chunked: true, path: "/login" },
  { label: " 20 MiB, Content-Length", size: 20 * MiB, chunked: false, path: "/login" },
  // a path that reads no body (GET-only: 404): nothing may buffer it either
  { label: " 20 MiB, POST /api/status", size: 20 * MiB, chunked: false, path: "/api/status" },
];

const status = (pid: number, field: "VmRSS" | "VmHWM") =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** A body of form data: declared (a Uint8Array) or chunked (a stream of 1 MiB pieces). */
function body(size: number, chunked: boolean): BodyInit {
  const piece = new Uint8Array(MiB).fill(0x78); // "xxxx…"
  if (!chunked) return new Uint8Array(size).fill(0x78);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= size) return c.close();
      c.enqueue(piece);
      sent += MiB;
    },
  });
}

async function post(url: string, r: (typeof ROUNDS)[number]): Promise<string> {
  try {
    const res = await fetch(url + r.path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
      body: body(r.size, r.chunked),
      duplex: "half",
      signal: AbortSignal.timeout(60_000),
    } as RequestInit);
    await res.arrayBuffer();
    return String(res.status);
  } catch (e) {
    return (e as Error).name === "TimeoutError" ? "timeout" : "closed";
  }
}

/** Peak RSS while `POSTS` posts run (sampled, and VmHWM when it can be reset: root), their statuses, how long. */
async function round(pid: number, url: string, r: (typeof ROUNDS)[number]) {
  const hwm = resetPeak(pid);
  let peak = status(pid, "VmRSS");
  const sampler = setInterval(() => (peak = Math.max(peak, status(pid, "VmRSS"))), 25);
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: POSTS }, () => post(url, r)));
  const ms = performance.now() - t0;
  clearInterval(sampler);
  if (hwm) peak = Math.max(peak, status(pid, "VmHWM"));
  return { peak, statuses, ms };
}

/** One round on a fresh server started from `checkout` (what an earlier round left in the heap does
 * not count), with its idle RSS just before. */
async function measure(checkout: string, r: (typeof ROUNDS)[number]) {
  const dataDir = mkdtempSync(join(tmpdir(), "apiyi-bench-bodies-"));
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  // BUN_CONFIG_MAX_HTTP_REQUESTS set: serve does not relaunch itself, so the spawned process is the server
  const env = { APIYI_ADMIN_PASSWORD: "bench-password-1", BUN_CONFIG_MAX_HTTP_REQUESTS: "16384" };
  const proc = spawnPinned(
    1,
    [process.execPath, join(checkout, "src/main.ts"), "serve", "--port", String(port), "--data-dir", dataDir],
    "bodies-apiyi",
    env,
  );
  try {
    await waitFor("apiyi", async () => (await fetch(`${url}/healthz`)).ok);
    await Bun.sleep(1000);
    const idle = status(proc.pid, "VmRSS");
    return { idle, ...(await round(proc.pid, url, r)) };
  } finally {
    await stopChild(proc.pid);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mib = (n: number) => `${n.toFixed(0)} MiB`;

await runMain(
  "bench/bodies",
  async () => {
    const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [ROOT];
    for (const dir of dirs.map((d) => resolve(d))) {
      console.log(`\n${dir}: ${POSTS} parallel anonymous requests, each round on a fresh server`);
      for (const r of ROUNDS) {
        const x = await measure(dir, r);
        console.log(
          `  ${r.label}: idle ${mib(x.idle)}, peak RSS ${mib(x.peak)} (+${mib(x.peak - x.idle)}), ${x.ms.toFixed(0)} ms, statuses ${x.statuses.join(" ")}`,
        );
      }
    }
  },
  4 * 60_000,
);
