// Console page speed (issue 5, "Quality bar" → Speed): /token with 1,000 tokens and /log over
// 1,000,000 rows should render in under 100 ms; so should /pricing with the whole price catalog
// (issue 13: every model priced at first start, over 2,000). Usage: bun bench/console.ts [./apiyi] [--rows N]
//
// A fresh data dir; apiyi starts once (the binary if given, else `bun src/main.ts`) to create and
// migrate the database, and stops. The database is then filled directly with bun:sqlite in big
// transactions: 1,000 tokens for the admin and ROWS log rows over 60 days (all the admin's: the worst
// case for /log), with their usage_daily rollups aggregated in SQL. apiyi starts again on that data,
// the bench signs in through /login like a browser (form post, session cookie) and times each page:
// warm-up, then SAMPLES sequential requests, wall clock from sending to the last byte of the body.
// Server on core 1, this client on core 0 (as run.ts). Everything is stopped at the end, on failure,
// on Ctrl-C, and by a watchdog after 5 minutes.
import { Database } from "bun:sqlite";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { cleanupAndExit, flag, freePort, guard, spawnPinned, stopChild, TMP } from "./lib";

const args = process.argv.slice(2);
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const binary = positional[0] ? resolve(positional[0]) : undefined;
const serveCmd = binary ? [binary] : ["bun", "src/main.ts"];

const TOKENS = 1_000;
const ROWS = Number(flag("--rows") ?? 1_000_000);
const DAYS = 60;
const SAMPLES = 20;
const WARMUP = 3;
const TARGET_MS = 100;
const PASSWORD = "bench-password-1";
const DAY_MS = 86_400_000;
const TX_ROWS = 100_000;

guard(5 * 60_000);
Bun.spawnSync(["taskset", "-apc", "0", String(process.pid)], { stdout: "ignore", stderr: "ignore" });

// ---------- apiyi ----------

type Running = { pid: number; base: string; log: string; startMs: number };

async function serve(dataDir: string, name: string): Promise<Running> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const cmd = [
    ...serveCmd,
    "serve",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--shutdown-timeout",
    "2",
    "--data-dir",
    dataDir,
  ];
  const proc = spawnPinned(1, cmd, name, { APIYI_ADMIN_PASSWORD: PASSWORD });
  const log = join(TMP, `${name}.log`);
  for (const until = Date.now() + 60_000; Date.now() < until; await Bun.sleep(20)) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`apiyi (${name}) exited: ${tail(`${log}.err`)}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200)
        return { pid: proc.pid, base, log, startMs: performance.now() - t0 };
    } catch {}
  }
  throw new Error(`apiyi (${name}) did not answer /healthz within 60 s: ${tail(`${log}.err`)}`);
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").slice(-1500) : "(no output)");

// ---------- the data ----------

/** A small seeded PRNG (mulberry32): the same data every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261126);
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
/** Picks from [value, weight] pairs. */
function weighted<T>(pairs: [T, number][]): () => T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = rand() * total;
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs.at(-1)![0];
  };
}

/** model, share of calls, $ per 1M input / output tokens, endpoint */
const MODELS: [string, number, number, number, string][] = [
  ["gpt-4o-mini", 30, 0.15, 0.6, "/v1/chat/completions"],
  ["gpt-4o", 20, 2.5, 10, "/v1/chat/completions"],
  ["claude-sonnet-4-5", 18, 3, 15, "/v1/messages"],
  ["claude-haiku-4-5", 10, 1, 5, "/v1/messages"],
  ["gemini-2.5-pro", 8, 1.25, 10, "/v1/chat/completions"],
  ["deepseek-chat", 7, 0.27, 1.1, "/v1/chat/completions"],
  ["o4-mini", 5, 1.1, 4.4, "/v1/responses"],
  ["text-embedding-3-small", 2, 0.02, 0, "/v1/embeddings"],
];
const GROUPS: [string, number][] = [
  ["default", 1_000_000],
  ["vip", 1_500_000],
  ["svip", 800_000],
];
const FILTER_MODEL = "claude-sonnet-4-5"; // the /log model filter: 18 % of the calls

function fill(dbPath: string) {
  const db = new Database(dbPath, { strict: true });
  db.run("PRAGMA busy_timeout = 5000");
  db.run("PRAGMA synchronous = OFF");
  db.run("PRAGMA cache_size = -262144");
  db.run("PRAGMA temp_store = MEMORY");
  const admin = db.query("SELECT id, username FROM users WHERE username = 'admin'").get() as {
    id: number;
    username: string;
  } | null;
  if (!admin) throw new Error("no admin user after the first start");
  const now = Date.now();
  const timings: string[] = [];
  const step = <T>(what: string, work: () => T): T => {
    const t0 = performance.now();
    const out = work();
    timings.push(`${what} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  };

  // groups and tokens
  const insertGroup = db.prepare(
    "INSERT OR IGNORE INTO groups (name, description, multiplier_micros, selectable) VALUES (?, ?, ?, 1)",
  );
  const insertToken = db.prepare(
    `INSERT INTO tokens (user_id, name, key_hash, key_sealed, key_mask, status, remain_quota, unlimited_quota, used_quota, expired_time,
       billing_mode, "group", fallback_groups, models, allow_ips, request_count, created_time, accessed_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, ?, 0)`,
  );
  const group = weighted<string>([
    ["default", 70],
    ["vip", 20],
    ["svip", 10],
  ]);
  const billing = weighted<string>([
    ["usage_first", 60],
    ["usage", 25],
    ["per_call", 10],
    ["per_call_first", 5],
  ]);
  const tokens: { id: number; name: string; group: string }[] = [];
  step("tokens", () =>
    db.transaction(() => {
      for (const [name, micros] of GROUPS) insertGroup.run(name, `bench group ${name}`, micros);
      const nowSec = Math.floor(now / 1000);
      // the first start gave the admin a "default" token: add the rest up to TOKENS (also the per-user cap)
      const have = (db.query("SELECT count(*) AS n FROM tokens WHERE user_id = ?").get(admin.id) as { n: number }).n;
      for (let i = 1; i <= TOKENS - have; i++) {
        const name = `bench-${String(i).padStart(4, "0")}`;
        const g = group();
        const r = rand();
        // the keys are not real: nothing can call with these tokens, and "copy key" cannot unseal them
        const mask = `sk-${i.toString(36).padStart(4, "0")}…${createHash("md5").update(name).digest("hex").slice(0, 4)}`;
        const row = insertToken.run(
          admin.id,
          name,
          createHash("sha256").update(`bench-key-${i}`).digest("hex"),
          "bench:not-a-sealed-key",
          mask,
          rand() < 0.1 ? 2 : 1,
          rand() < 0.03 ? 0 : between(1, 200) * 500_000,
          rand() < 0.3 ? 1 : 0,
          r < 0.8 ? -1 : r < 0.95 ? nowSec + between(1, 365) * 86_400 : nowSec - between(1, 30) * 86_400,
          billing(),
          g,
          g === "vip" ? '["default"]' : g === "svip" ? '["vip","default"]' : "[]",
          rand() < 0.2 ? JSON.stringify(MODELS.slice(0, between(2, 4)).map((m) => m[0])) : "[]",
          rand() < 0.1 ? '["10.0.0.0/8"]' : "[]",
          nowSec - (TOKENS - i) * 7_200 - between(0, 3_600),
        );
        tokens.push({ id: Number(row.lastInsertRowid), name, group: g });
      }
    })(),
  );

  // the log rows: ids ascend with time, as written by the ledger
  const busy = tokens.filter((_, i) => i % 25 === 24); // 40 tokens carry the traffic, Zipf-like
  const token = weighted(busy.map((t, k) => [t, 1 / (k + 1)] as [(typeof busy)[number], number]));
  const model = weighted(MODELS.map((m) => [m, m[1]] as [(typeof MODELS)[number], number]));
  const failure = weighted<[number, string, string]>([
    [[429, "rate_limited", "upstream: rate limit reached for requests"], 35],
    [[500, "upstream_error", "upstream: internal server error"], 20],
    [[502, "bad_gateway", "upstream: connection reset"], 15],
    [[503, "no_available_channel", "no channel can serve this model now"], 10],
    [[400, "invalid_request", "messages: at least one message is required"], 10],
    [[499, "client_disconnected", "the client went away"], 10],
  ]);
  const multiplier = new Map(GROUPS);
  const insertLog = db.prepare(
    `INSERT INTO logs (created_at, type, user_id, username, token_id, token_name, model, upstream_model, "group", channel_id, endpoint,
       prompt_tokens, cached_tokens, completion_tokens, quota, duration_ms, ttft_ms, is_stream, request_id, status_code, error_code, ip,
       content, attempts, other)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = now - DAYS * DAY_MS;
  const span = DAYS * DAY_MS - 60_000;
  const counts = { consume: 0, error: 0, topup: 0, admin: 0 };
  const writeRow = (i: number) => {
    const at = start + Math.floor((i * span) / ROWS);
    const requestId = Bun.randomUUIDv7("hex", at);
    const ip = `203.0.113.${between(1, 254)}`;
    const kind = rand();
    if (kind < 0.0006) {
      const topup = kind < 0.0005;
      if (topup) counts.topup++;
      else counts.admin++;
      const amount = topup ? between(10, 500) * 500_000 : -between(1, 20) * 500_000;
      insertLog.run(
        at,
        topup ? 1 : 3,
        admin.id,
        admin.username,
        0,
        "",
        "",
        "",
        "",
        0,
        "",
        0,
        0,
        0,
        amount,
        0,
        0,
        0,
        requestId,
        0,
        "",
        ip,
        topup ? `top-up of $${amount / 500_000} by admin` : `admin adjustment: $${amount / 500_000}`,
        "[]",
        "{}",
      );
      return;
    }
    const t = token();
    const [name, , inUsd, outUsd, endpoint] = model();
    const channel = between(1, 4);
    if (kind < 0.1006) {
      counts.error++;
      const [status, code, message] = failure();
      const ms = between(20, 3_000);
      const attempts =
        status === 503
          ? []
          : status === 502
            ? [
                { channel_id: channel, status: 502, ms, error: "reset" },
                { channel_id: (channel % 4) + 1, status, ms: 40 },
              ]
            : [{ channel_id: channel, status, ms }];
      insertLog.run(
        at,
        5,
        admin.id,
        admin.username,
        t.id,
        t.name,
        name,
        name,
        t.group,
        status === 503 ? 0 : channel,
        endpoint,
        0,
        0,
        0,
        0,
        ms,
        0,
        rand() < 0.6 ? 1 : 0,
        requestId,
        status,
        code,
        ip,
        message,
        JSON.stringify(attempts),
        JSON.stringify({ billing: "usage", cost: 0, refund: 0 }),
      );
      return;
    }
    counts.consume++;
    const embedding = outUsd === 0;
    const prompt = Math.round(Math.exp(5 + rand() * 5));
    const cached = rand() < 0.3 ? Math.floor(prompt * rand() * 0.8) : 0;
    const completion = embedding ? 0 : Math.round(Math.exp(3 + rand() * 4));
    const stream = !embedding && rand() < 0.65;
    const ttft = stream ? between(150, 1_500) : 0;
    const duration = ttft + between(100, 400) + completion * between(8, 30);
    const cost = Math.round(
      (((prompt - cached) * inUsd + cached * inUsd * 0.1 + completion * outUsd) / 1e6) *
        500_000 *
        (multiplier.get(t.group)! / 1e6),
    );
    const attempts =
      rand() < 0.05
        ? [
            { channel_id: (channel % 4) + 1, status: 502, ms: between(20, 200), error: "reset" },
            { channel_id: channel, status: 200, ms: duration },
          ]
        : [{ channel_id: channel, status: 200, ms: duration }];
    const other = {
      billing: "usage",
      prices: { input: String(inUsd), output: String(outUsd), cached_input: String(inUsd * 0.1), per_call: null },
      group: t.group,
      group_multiplier: String(multiplier.get(t.group)! / 1e6),
      n: 1,
      usage: { prompt, cached, completion },
      cost,
      hold: cost * 2 + 500,
      refund: cost + 500,
      shortfall: 0,
    };
    insertLog.run(
      at,
      2,
      admin.id,
      admin.username,
      t.id,
      t.name,
      name,
      name,
      t.group,
      channel,
      endpoint,
      prompt,
      cached,
      completion,
      cost,
      duration,
      ttft,
      stream ? 1 : 0,
      requestId,
      200,
      "",
      ip,
      "",
      JSON.stringify(attempts),
      JSON.stringify(other),
    );
  };
  step(`${ROWS.toLocaleString("en-US")} log rows`, () => {
    for (let from = 0; from < ROWS; from += TX_ROWS)
      db.transaction(() => {
        for (let i = from; i < Math.min(ROWS, from + TX_ROWS); i++) writeRow(i);
      })();
  });

  // the rollups and counters the ledger would have written with those rows
  step("usage_daily rollups", () =>
    db.run(
      `INSERT INTO usage_daily (day, user_id, token_id, model, "group", calls, prompt_tokens, cached_tokens, completion_tokens, quota)
       SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch'), user_id, token_id, model, "group",
              count(*), sum(prompt_tokens), sum(cached_tokens), sum(completion_tokens), sum(quota)
       FROM logs WHERE type IN (2, 5) GROUP BY 1, 2, 3, 4, 5`,
    ),
  );
  step("token and user counters", () =>
    db.transaction(() => {
      db.run(
        `UPDATE tokens SET used_quota = s.q, request_count = s.n, accessed_time = s.last / 1000
         FROM (SELECT token_id, sum(quota) AS q, count(*) AS n, max(created_at) AS last FROM logs WHERE type IN (2, 5) GROUP BY token_id) AS s
         WHERE tokens.id = s.token_id`,
      );
      db.run(
        `UPDATE users SET quota = 2500000000, used_quota = s.q, request_count = s.n
         FROM (SELECT user_id, sum(quota) AS q, count(*) AS n FROM logs WHERE type IN (2, 5) GROUP BY user_id) AS s
         WHERE users.id = s.user_id`,
      );
    })(),
  );
  step("checkpoint", () => db.run("PRAGMA wal_checkpoint(TRUNCATE)"));
  const n = (sql: string) => (db.query(sql).get() as { n: number }).n;
  const summary = {
    logs: n("SELECT count(*) AS n FROM logs"),
    tokens: n("SELECT count(*) AS n FROM tokens"),
    rollups: n("SELECT count(*) AS n FROM usage_daily"),
    counts,
    timings,
  };
  db.close();
  return summary;
}

// ---------- the pages ----------

const html = (s: string) =>
  s
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "admin", password: PASSWORD, next: "/token" }).toString(),
    redirect: "manual",
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (res.status !== 303 || !cookie)
    throw new Error(`sign-in: HTTP ${res.status}, cookie "${cookie}": ${(await res.text()).slice(0, 300)}`);
  return cookie;
}

async function get(base: string, cookie: string, path: string) {
  const t0 = performance.now();
  const res = await fetch(base + path, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200)
    throw new Error(`GET ${path}: HTTP ${res.status} ${res.headers.get("location") ?? ""} ${body.slice(0, 200)}`);
  return { ms, body };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
/** table rows in the page (header rows not counted) */
const tableRows = (body: string) => (body.match(/<tr[\s>]/g)?.length ?? 0) - (body.match(/<thead/g)?.length ?? 0);

type Result = {
  label: string;
  path: string;
  p50: number;
  p90: number;
  min: number;
  max: number;
  kib: number;
  rows: number;
  note: string;
};

async function measure(
  base: string,
  cookie: string,
  label: string,
  path: string,
  check?: (body: string) => string,
): Promise<Result> {
  for (let i = 0; i < WARMUP; i++) await get(base, cookie, path);
  const ms: number[] = [];
  let body = "";
  for (let i = 0; i < SAMPLES; i++) {
    const r = await get(base, cookie, path);
    ms.push(r.ms);
    body = r.body;
  }
  ms.sort((a, b) => a - b);
  const totals = /from the (daily totals|rows)/.exec(body)?.[1];
  const note = [totals ? `totals from ${totals === "rows" ? "rows" : "usage_daily"}` : "", check?.(body) ?? ""]
    .filter(Boolean)
    .join("; ");
  return {
    label,
    path,
    p50: quantile(ms, 0.5),
    p90: quantile(ms, 0.9),
    min: ms[0],
    max: ms.at(-1)!,
    kib: body.length / 1024,
    rows: tableRows(body),
    note,
  };
}

/** The pager's text ("Page 1 of 50 · 1000 tokens"), which must start with `want`. */
function pager(body: string, want: string) {
  const text = html(/<nav class="pager"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1].replace(/<[^>]+>/g, " ") ?? "")
    .replace(/\s+/g, " ")
    .trim();
  const page = /Page [\s\S]*/.exec(text)?.[0].replace(/ Next →$/, "") ?? "";
  expect(page.startsWith(want), `pager says "${text}", expected "${want}…"`);
  return page;
}

/** The pager of a price list, which must count at least 2,000 priced models. */
function catalogPager(body: string, want: string) {
  const page = pager(body, want);
  const models = Number(/· (\d+) models/.exec(page)?.[1] ?? 0);
  expect(models >= 2000, `${page}: fewer than 2,000 priced models`);
  return page;
}

function expect(ok: boolean, what: string) {
  if (!ok) throw new Error(`unexpected page: ${what}`);
}

// ---------- the run ----------

let server: Running | null = null;
try {
  const dataDir = join(TMP, "data");
  mkdirSync(dataDir);
  const dbPath = join(dataDir, "apiyi.db");
  console.log(
    `apiyi: ${binary ?? "bun src/main.ts"}; ${ROWS.toLocaleString("en-US")} log rows, ${TOKENS} tokens, ${DAYS} days`,
  );

  server = await serve(dataDir, "apiyi-create");
  await stopChild(server.pid);
  server = null;

  const t0 = performance.now();
  const data = fill(dbPath);
  const size = statSync(dbPath).size + (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);
  console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s (${data.timings.join(", ")})`);
  console.log(
    `database: ${(size / 2 ** 20).toFixed(0)} MiB; logs ${data.logs.toLocaleString("en-US")} (consume ${data.counts.consume}, error ${data.counts.error}, top-up ${data.counts.topup}, admin ${data.counts.admin}), tokens ${data.tokens}, usage_daily ${data.rollups} rows`,
  );

  server = await serve(dataDir, "apiyi");
  console.log(`apiyi answered /healthz ${server.startMs.toFixed(0)} ms after start on the filled database`);
  const { base } = server;
  const cookie = await signIn(base);

  // one pass over every page first (caches, JIT), and the link to /log's second page
  const first = await get(base, cookie, "/log");
  const older = /href="([^"]+)"[^>]*>Older →/.exec(first.body)?.[1];
  expect(!!older, "/log has no Older link");
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const week = `/log?from=${day(Date.now() - 6 * DAY_MS)}&to=${day(Date.now())}`;

  const pricingPages = Number(/Page 1 of (\d+)/.exec((await get(base, cookie, "/pricing")).body)?.[1] ?? 1);

  const pages: [string, string, ((body: string) => string)?][] = [
    ["/token", "/token", (b) => pager(b, `Page 1 of ${TOKENS / 20} · ${TOKENS} tokens`)],
    ["/token page 50", "/token?p=50", (b) => pager(b, `Page 50 of ${TOKENS / 20} · ${TOKENS} tokens`)],
    ["/log", "/log"],
    ["/log, model filter", `/log?model_name=${FILTER_MODEL}`],
    ["/log, token filter", `/log?token_name=bench-0025`],
    ["/log, last 7 days", week],
    ["/log, Older (page 2)", html(older!)],
    ["/log?type=2", "/log?type=2"],
    ["/dashboard", "/dashboard"],
    ["/admin/logs", "/admin/logs", (b) => pager(b, "Page 1 of ")],
    ["/admin/logs page 1000", "/admin/logs?p=1000", (b) => pager(b, "Page 1000 of ")],
    // every model of the price catalog, priced at first start (at least 2,000)
    ["/pricing", "/pricing", (b) => catalogPager(b, "Page 1 of ")],
    ["/pricing, last page", `/pricing?p=${pricingPages}`, (b) => catalogPager(b, `Page ${pricingPages} of `)],
    ["/pricing?q=gpt", "/pricing?q=gpt", (b) => pager(b, "Page 1 of ")],
    ["/admin/pricing", "/admin/pricing", (b) => pager(b, "Page 1 of ")],
    ["/admin/pricing/catalog", "/admin/pricing/catalog"],
  ];
  for (const [, path] of pages) await get(base, cookie, path);

  const results: Result[] = [];
  for (const [label, path, check] of pages) {
    const r = await measure(base, cookie, label, path, check);
    if (label.startsWith("/log")) expect(r.rows === 50, `${label} shows ${r.rows} rows, not 50`);
    results.push(r);
  }

  const f = (x: number) => x.toFixed(1);
  console.log(
    `\n${SAMPLES} sequential requests per page after ${WARMUP} warm-up requests; ms from sending to the full body; target: p90 < ${TARGET_MS} ms\n`,
  );
  console.log("| page | path | median ms | p90 ms | min ms | max ms | KiB | rows | target | notes |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    const met = r.p90 < TARGET_MS ? "met" : "**missed**";
    console.log(
      `| ${r.label} | \`${r.path}\` | ${f(r.p50)} | ${f(r.p90)} | ${f(r.min)} | ${f(r.max)} | ${f(r.kib)} | ${r.rows} | ${met} | ${r.note} |`,
    );
  }
  const missed = results.filter((r) => r.p90 >= TARGET_MS);
  console.log(`\ndatabase size: ${(size / 2 ** 20).toFixed(0)} MiB (${size.toLocaleString("en-US")} bytes)`);
  console.log(
    missed.length
      ? `missed the ${TARGET_MS} ms target: ${missed.map((r) => r.label).join(", ")}`
      : `every page met the ${TARGET_MS} ms target`,
  );

  await stopChild(server.pid);
  server = null;
  cleanupAndExit(0);
} catch (e) {
  console.error(`bench/console: ${(e as Error).stack ?? e}`);
  if (server) console.error(`apiyi's stderr (tail):\n${tail(`${server.log}.err`)}`);
  cleanupAndExit(1);
}
