// The data of bench/console.ts: a database filled directly with bun:sqlite in big transactions, as
// the ledger would have written it. The admin's tokens up to 1,000 and `users` more users with a token
// each; `rows` log rows over 60 days (ids ascend with time): 70 % of the calls the admin's (the worst
// case for /log), 30 % the other users' (Zipf-like), 8 models, 8 channels, 3 groups, 90 % consume and
// 10 % error, a few top-ups and adjustments; then the rollups: usage_daily aggregated in SQL, and
// usage_hourly by the very backfill an upgraded database runs (src/store/hourly-backfill.ts).
import { Database, type SQLQueryBindings } from "bun:sqlite";
import { createHash } from "node:crypto";
import { backfillHourly } from "../src/store/hourly-backfill";

export const TOKENS = 1_000;
export const DAYS = 60;
export const CHANNELS = 8;
const DAY_MS = 86_400_000;
const TX_ROWS = 100_000;
/** the share of calls made by the other users */
const OTHERS = 0.3;

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
export const MODELS: [string, number, number, number, string][] = [
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
type Token = { id: number; name: string; group: string };
export type Caller = Token & { userId: number; username: string };
export const FILTER_MODEL = "claude-sonnet-4-5"; // the /log model filter: 18 % of the calls

export function fill(dbPath: string, ROWS: number, USERS: number) {
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
  const tokens: Token[] = [];
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

  // the other users, a token each (they cannot sign in: the password hash is no hash)
  const others: Caller[] = [];
  const insertUser = db.prepare(
    "INSERT INTO users (username, password_hash, role, status, quota) VALUES (?, 'bench:no-password', 'user', 1, 500000000)",
  );
  step(`${USERS} users`, () =>
    db.transaction(() => {
      for (let i = 1; i <= USERS; i++) {
        const username = `user-${String(i).padStart(4, "0")}`;
        const userId = Number(insertUser.run(username).lastInsertRowid);
        const g = group();
        const row = insertToken.run(
          userId,
          "main",
          createHash("sha256").update(`bench-user-key-${i}`).digest("hex"),
          "bench:not-a-sealed-key",
          `sk-u${i}`,
          1,
          100 * 500_000,
          0,
          -1,
          "usage_first",
          g,
          "[]",
          "[]",
          "[]",
          Math.floor(now / 1000) - between(1, 90) * 86_400,
        );
        others.push({ id: Number(row.lastInsertRowid), name: "main", group: g, userId, username });
      }
    })(),
  );
  const insertLog = db.prepare(INSERT_LOG);
  const { row, counts } = logRows(admin, tokens, others, ROWS, now);
  step(`${ROWS.toLocaleString("en-US")} log rows`, () => {
    for (let from = 0; from < ROWS; from += TX_ROWS)
      db.transaction(() => {
        for (let i = from; i < Math.min(ROWS, from + TX_ROWS); i++) insertLog.run(...row(i));
      })();
  });

  // the rollups and counters the ledger would have written with those rows
  step("usage_daily rollups", () =>
    db.run(
      `INSERT INTO usage_daily (day, user_id, token_id, model, "group", type, calls, prompt_tokens, cached_tokens, completion_tokens, quota)
       SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch'), user_id, token_id, model, "group", type,
              count(*), sum(prompt_tokens), sum(cached_tokens), sum(completion_tokens), sum(quota)
       FROM logs WHERE type IN (2, 5) GROUP BY 1, 2, 3, 4, 5, 6`,
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
  step("usage_hourly rollups (the upgrade's backfill)", () => backfillHourly(db));
  step("checkpoint", () => db.run("PRAGMA wal_checkpoint(TRUNCATE)"));
  const n = (sql: string) => (db.query(sql).get() as { n: number }).n;
  const summary = {
    logs: n("SELECT count(*) AS n FROM logs"),
    tokens: n("SELECT count(*) AS n FROM tokens"),
    rollups: n("SELECT count(*) AS n FROM usage_daily"),
    hourly: n("SELECT count(*) AS n FROM usage_hourly"),
    users: n("SELECT count(*) AS n FROM users"),
    counts,
    timings,
  };
  db.close();
  return summary;
}

/** The log rows' INSERT, whose values `logRows` makes. */
export const INSERT_LOG = `INSERT INTO logs (created_at, type, user_id, username, token_id, token_name, model, upstream_model, "group", channel_id, endpoint,
       prompt_tokens, cached_tokens, completion_tokens, quota, duration_ms, ttft_ms, is_stream, request_id, status_code, error_code, ip,
       content, attempts, other)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The values of the `i`-th of `rows` log rows over the DAYS before `now` (ids ascend with time, as the
 * ledger writes them: 70 % of the calls by the admin's busy tokens, the rest by `others`), and the
 * count of each kind made so far. Also used by log-indexes.ts. */
export function logRows(
  admin: { id: number; username: string },
  tokens: Token[],
  others: Caller[],
  rows: number,
  now: number,
) {
  const busy = tokens.filter((_, i) => i % 25 === 24); // 40 tokens carry the admin's traffic, Zipf-like
  const adminToken = weighted(busy.map((t, k) => [t, 1 / (k + 1)] as [(typeof busy)[number], number]));
  const otherToken = weighted(others.map((t, k) => [t, 1 / (k + 1)] as [Caller, number]));
  const token = (): Caller =>
    others.length && rand() < OTHERS ? otherToken() : { ...adminToken(), userId: admin.id, username: admin.username };
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
  const start = now - DAYS * DAY_MS;
  const span = DAYS * DAY_MS - 60_000;
  const counts = { consume: 0, error: 0, topup: 0, admin: 0 };
  const row = (i: number): SQLQueryBindings[] => {
    const at = start + Math.floor((i * span) / rows);
    const requestId = Bun.randomUUIDv7("hex", at);
    const ip = `203.0.113.${between(1, 254)}`;
    const kind = rand();
    if (kind < 0.0006) {
      const topup = kind < 0.0005;
      if (topup) counts.topup++;
      else counts.admin++;
      const amount = topup ? between(10, 500) * 500_000 : -between(1, 20) * 500_000;
      return [
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
      ];
    }
    const t = token();
    const [name, , inUsd, outUsd, endpoint] = model();
    const channel = between(1, CHANNELS);
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
                { channel_id: (channel % CHANNELS) + 1, status, ms: 40 },
              ]
            : [{ channel_id: channel, status, ms }];
      return [
        at,
        5,
        t.userId,
        t.username,
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
      ];
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
            { channel_id: (channel % CHANNELS) + 1, status: 502, ms: between(20, 200), error: "reset" },
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
    return [
      at,
      2,
      t.userId,
      t.username,
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
    ];
  };
  return { row, counts };
}
