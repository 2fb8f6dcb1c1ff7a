// The long runs of issue 10, bounded and parameterised, against apiyi (./apiyi if built, else from
// source; core 1) and the bench mock (core 0), a fresh temp data dir each time:
//   bun bench/soak.ts streams [--minutes 60] [--streams 200] [--events 200] [--pace-ms 20] [--sample-seconds 60]
//     N paced streams open all the time (each slot opens the next stream when one ends), every stream
//     checked intact (stream-check.ts); the server's RSS every sample, with the streams finished,
//     intact and failed in that window.
//   bun bench/soak.ts writers [--minutes 10] [--writers 64] [--tokens 8] [--cli-every 5] [--sample-seconds 60]
//     N clients making billed calls back to back (every fourth one streamed) over T limited tokens,
//     plus a CLI process writing to the same database every S seconds; calls, errors, lock errors in
//     the server's output and the CLI's, RSS every sample, and at the end, read from the database after
//     a graceful stop: for every token remain + held + Σ logged costs = its initial quota, and the
//     user's used quota = Σ logged costs.
// Prints markdown tables on stdout (progress on stderr). A watchdog stops everything at minutes + 4.
import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  APIYI_ENV,
  apiyiCmd,
  CHAT_PATH,
  flag,
  logSummary,
  post,
  run,
  runMain,
  startApiyi,
  startScript,
  stopApiyi,
  TMP,
  waitFor,
  type Apiyi,
} from "./lib";
import { checkedStream } from "./stream-check";

const scenario = process.argv[2];
const num = (name: string, fallback: number) => {
  const v = Number(flag(name) ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const MINUTES = num("--minutes", scenario === "writers" ? 10 : 60);
const SAMPLE_MS = num("--sample-seconds", 60) * 1000;

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
const f1 = (n: number) => n.toFixed(1);
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** Calls `row(elapsedMs)` every sample until `until`, and once at the start (the idle figure). */
async function sampled(until: number, row: (elapsedMs: number) => string, header: string[]) {
  const t0 = Date.now();
  const lines = [...header, row(0)];
  console.error(lines.at(-1));
  while (Date.now() < until) {
    await Bun.sleep(Math.min(SAMPLE_MS, Math.max(0, until - Date.now())));
    lines.push(row(Date.now() - t0));
    console.error(lines.at(-1));
  }
  return lines;
}

async function setUp(): Promise<Apiyi> {
  const mock = await startScript("direct", 0, "bench/mock.ts", []);
  return startApiyi(mock.port, join(TMP, "data"));
}

// ---------- (a) paced streams for an hour ----------

async function streams() {
  const [n, events, pace] = [num("--streams", 200), num("--events", 200), num("--pace-ms", 20)];
  const apiyi = await setUp();
  const url = `http://127.0.0.1:${apiyi.port}${CHAT_PATH}`;
  const total = { done: 0, intact: 0, failures: {} as Record<string, number> };
  const window = { done: 0, intact: 0 };
  let running = true;
  const slot = async () => {
    while (running) {
      const o = await checkedStream(url, apiyi.key, events, pace, AbortSignal.timeout(events * pace + 60_000));
      total.done++;
      window.done++;
      if (o.ok) total.intact++, window.intact++;
      else total.failures[o.why!] = (total.failures[o.why!] ?? 0) + 1;
    }
  };
  console.error(
    `soak streams: ${n} streams × ${events} events ${pace} ms apart, ${MINUTES} min, RSS every ${SAMPLE_MS / 1000} s`,
  );
  const until = Date.now() + MINUTES * 60_000;
  const slots = Array.from({ length: n }, slot);
  const rss: number[] = [];
  const table = await sampled(
    until,
    (t) => {
      rss.push(rssMiB(apiyi.workPid!));
      const row = `| ${clock(t)} | ${f1(rss.at(-1)!)} | ${window.done} | ${window.intact} | ${window.done - window.intact} |`;
      window.done = window.intact = 0;
      return row;
    },
    ["| time | server RSS MiB | streams finished | intact | failed |", "|---|---|---|---|---|"],
  );
  running = false;
  await Promise.all(slots); // the streams in flight finish (each is bounded by its own deadline)
  await stopApiyi(apiyi);
  console.log(table.join("\n"));
  console.log(
    `\nstreams: ${total.done} finished, ${total.intact} intact, failures ${JSON.stringify(total.failures)}; ` +
      `RSS ${f1(rss[0])} MiB idle, ${f1(rss[1] ?? NaN)} after the first sample, ${f1(rss.at(-1)!)} at the end, ${f1(Math.max(...rss))} max`,
  );
  console.log(`log rows: ${logSummary(apiyi.dataDir)}`);
}

// ---------- (b) 64 writers for 10 minutes ----------

const LOCK_ERRORS = /database is locked|SQLITE_BUSY|not written yet/gi;
const lockErrorsIn = (text: string) => text.match(LOCK_ERRORS)?.length ?? 0;

async function writers() {
  const [n, tokenCount, cliEvery] = [num("--writers", 64), num("--tokens", 8), num("--cli-every", 5)];
  const apiyi = await setUp();
  const cli = (...args: string[]) => run([...apiyiCmd(), ...args, "--data-dir", apiyi.dataDir], APIYI_ENV);
  const QUOTA_USD = 1000;
  const tokens: string[] = [];
  for (let i = 0; i < tokenCount; i++)
    tokens.push(
      (await cli("token", "create", "--user", "admin", "--name", `soak-${i}`, "--quota-usd", String(QUOTA_USD))).trim(),
    );
  await waitFor("the soak tokens", async () => (await post(apiyi.port, tokens.at(-1)!, "json")).status === 200, 10_000);

  const total = {
    calls: 0,
    ok: 0,
    errors: {} as Record<string, number>,
    cliWrites: 0,
    cliFailures: 0,
    cliLockErrors: 0,
  };
  let window = 0;
  let running = true;
  const writer = async (w: number) => {
    for (let i = 0; running; i++) {
      const res = await post(apiyi.port, tokens[(w + i) % tokens.length], i % 4 === 3 ? "sse" : "json").catch(
        (e: Error) => e,
      );
      const why = res instanceof Error ? res.message : res.status === 200 ? null : `status ${res.status}`;
      if (!(res instanceof Error)) await res.arrayBuffer().catch(() => null);
      total.calls++;
      window++;
      if (why) total.errors[why] = (total.errors[why] ?? 0) + 1;
      else total.ok++;
    }
  };
  // another process writing the same database meanwhile, as an operator's CLI does
  const cliWriter = async () => {
    for (let i = 0; running; i++) {
      await Bun.sleep(cliEvery * 1000);
      if (!running) break;
      total.cliWrites++;
      await cli("price", "set", "--model", `soak-extra-${i % 20}`, "--input", "1", "--output", "2").catch(
        (e: Error) => {
          total.cliFailures++;
          total.cliLockErrors += lockErrorsIn(e.message);
        },
      );
    }
  };
  console.error(
    `soak writers: ${n} writers over ${tokenCount} tokens, a CLI write every ${cliEvery} s, ${MINUTES} min, RSS every ${SAMPLE_MS / 1000} s`,
  );
  const until = Date.now() + MINUTES * 60_000;
  const loops = [...Array.from({ length: n }, (_, w) => writer(w)), cliWriter()];
  const rss: number[] = [];
  let last = Date.now();
  const table = await sampled(until, () => {
    rss.push(rssMiB(apiyi.workPid!));
    const now = Date.now();
    const row = `| ${clock(now - until + MINUTES * 60_000)} | ${f1(rss.at(-1)!)} | ${window} | ${(window / Math.max(0.001, (now - last) / 1000)).toFixed(0)} |`;
    [window, last] = [0, now];
    return row;
  }, ["| time | server RSS MiB | calls in window | calls/s |", "|---|---|---|---|"]);
  running = false;
  await Promise.all(loops);
  await stopApiyi(apiyi); // SIGTERM: drains and writes everything the ledger still holds
  const serverOutput = ["apiyi-0.log", "apiyi-0.log.err"]
    .map((name) => readFileSync(join(TMP, name), "utf8"))
    .join("\n");
  console.log(table.join("\n"));
  console.log(
    `\ncalls: ${total.calls} (${total.ok} × 200), errors ${JSON.stringify(total.errors)}; CLI writes ${total.cliWrites}, failed ${total.cliFailures}; ` +
      `lock errors: ${lockErrorsIn(serverOutput)} in the server's output, ${total.cliLockErrors} in the CLI's; RSS max ${f1(Math.max(...rss))} MiB, end ${f1(rss.at(-1)!)} MiB`,
  );
  console.log(exactness(apiyi.dataDir, tokenCount, QUOTA_USD * 500_000));
  console.log(`log rows: ${logSummary(apiyi.dataDir)}`);
}

/** After the stop, from the database: every soak token's remain + held + Σ costs = its quota; the
 * user's used quota = Σ costs of all their rows; no hold left. */
function exactness(dataDir: string, tokenCount: number, initial: number): string {
  const db = new Database(join(dataDir, "apiyi.db"), { readonly: true });
  try {
    const v = (sql: string, ...args: (string | number)[]) => (db.query(sql).get(...args) as { v: number }).v;
    const off: string[] = [];
    for (let i = 0; i < tokenCount; i++) {
      const id = v("SELECT id AS v FROM tokens WHERE name = ?", `soak-${i}`);
      const sum =
        v("SELECT remain_quota AS v FROM tokens WHERE id = ?", id) +
        v("SELECT coalesce(sum(token_amount), 0) AS v FROM holds WHERE token_id = ?", id) +
        v("SELECT coalesce(sum(quota), 0) AS v FROM logs WHERE token_id = ? AND type IN (2, 5)", id);
      if (sum !== initial) off.push(`soak-${i}: ${sum} ≠ ${initial}`);
    }
    const used = v("SELECT used_quota AS v FROM users WHERE username = 'admin'");
    const charged = v(
      "SELECT coalesce(sum(quota), 0) AS v FROM logs WHERE user_id = (SELECT id FROM users WHERE username = 'admin') AND type IN (2, 5)",
    );
    const holds = v("SELECT count(*) AS v FROM holds");
    const exact = off.length === 0 && used === charged && holds === 0;
    return (
      `exactness: ${exact ? "exact" : "NOT EXACT"}: ${tokenCount} tokens, remain + held + Σ costs = ${initial} each${off.length ? ` except ${off.join(", ")}` : ""}; ` +
      `user's used quota ${used} vs Σ logged costs ${charged}; holds left ${holds}`
    );
  } finally {
    db.close();
  }
}

if (scenario !== "streams" && scenario !== "writers") {
  console.error("usage: bun bench/soak.ts streams|writers [--minutes M] … (see the header of bench/soak.ts)");
  process.exit(2);
}
await runMain(`soak ${scenario}`, scenario === "streams" ? streams : writers, (MINUTES + 4) * 60_000);
