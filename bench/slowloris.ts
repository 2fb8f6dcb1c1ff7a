// Authenticated slowloris (issue 10, item 6): N clients with a valid key each send their headers and
// one byte of a body, then nothing. Before the fix apiyi turned off Bun's idle timer before reading the
// body, so every such connection stayed open for good. Now each gets 408 at the body deadline and its
// connection is closed. Prints how many got 408 (and when), how many were still open after the deadline,
// the server's RSS while they were held, and how long a normal call took meanwhile.
// `bun bench/slowloris.ts [--conns 1000] [--deadline 3]` (about deadline + 15 s).
import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APIYI_ENV, apiyiCmd, CHAT_PATH, flag, run, runMain, serveOn, TMP, waitFor } from "./lib";

const CONNS = Number(flag("--conns") ?? 1000);
const DEADLINE_S = Number(flag("--deadline") ?? 3);

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

type Slow = { status: number | null; at: number | null; closedAt: number | null };

function slowClient(port: number, key: string, started: number): Slow {
  const slow: Slow = { status: null, at: null, closedAt: null };
  const head = `POST ${CHAT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`;
  Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      open: (s) => void s.write(head),
      data(_, d) {
        if (slow.status === null)
          [slow.status, slow.at] = [Number(d.toString().split(" ")[1]), performance.now() - started];
      },
      close: () => void (slow.closedAt = performance.now() - started),
      error: () => void (slow.closedAt ??= performance.now() - started),
    },
  }).catch(() => void (slow.closedAt = performance.now() - started));
  return slow;
}

const pct = (xs: number[], p: number) =>
  xs.length ? xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;

await runMain("slowloris", async () => {
  const dataDir = join(TMP, "data");
  await run([...apiyiCmd(), "migrate", "--data-dir", dataDir], APIYI_ENV);
  const db = new Database(join(dataDir, "apiyi.db"));
  // the setting as PUT /api/setting would store it, written before the server starts
  db.run("INSERT INTO settings (key, value) VALUES ('body_read_timeout_seconds', ?)", [String(DEADLINE_S)]);
  db.close();
  const apiyi = await serveOn(dataDir);
  apiyi.key = (
    await run([...apiyiCmd(), "token", "create", "--user", "admin", "--name", "slow", "--data-dir", dataDir], APIYI_ENV)
  ).trim();
  const pid = apiyi.workPid ?? apiyi.pid!;
  const idleRss = rssMiB(pid);

  const started = performance.now();
  const clients = Array.from({ length: CONNS }, () => slowClient(apiyi.port, apiyi.key, started));
  await Bun.sleep(Math.max(500, DEADLINE_S * 500));
  const heldRss = rssMiB(pid);
  const t0 = performance.now();
  const health = await fetch(`http://127.0.0.1:${apiyi.port}/healthz`);
  const healthMs = performance.now() - t0;
  await waitFor(
    "every slow client answered",
    async () => clients.every((c) => c.closedAt !== null),
    (DEADLINE_S + 12) * 1000,
  ).catch(() => {});
  const got408 = clients.filter((c) => c.status === 408);
  const open = clients.filter((c) => c.closedAt === null).length;
  console.log(`\n## Authenticated slowloris: ${CONNS} connections, headers + 1 byte, body deadline ${DEADLINE_S} s\n`);
  console.log("| figure | value |\n|---|---|");
  console.log(`| answered 408 | ${got408.length} / ${CONNS} |`);
  console.log(
    `| 408 after (p50 / max) | ${(
      pct(
        got408.map((c) => c.at!),
        50,
      ) / 1000
    ).toFixed(2)} s / ${(
      pct(
        got408.map((c) => c.at!),
        100,
      ) / 1000
    ).toFixed(2)} s |`,
  );
  console.log(
    `| closed by the server after (max) | ${(
      pct(
        clients.filter((c) => c.closedAt !== null).map((c) => c.closedAt!),
        100,
      ) / 1000
    ).toFixed(2)} s |`,
  );
  console.log(`| still open ${DEADLINE_S + 12} s later | ${open} |`);
  console.log(`| server RSS idle / while held | ${idleRss.toFixed(0)} MiB / ${heldRss.toFixed(0)} MiB |`);
  console.log(`| /healthz while held | ${health.status} in ${healthMs.toFixed(1)} ms |`);
});
