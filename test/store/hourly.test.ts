// The hourly rollups as the ledger writes them, over random call rows spread across 40 days (served,
// failed upstream, refused; several users, models, channels, groups; slices of every size; top-ups and
// system calls mixed in): for random ranges of hours and for the local days of several time zones
// (daylight saving and half-hour offsets included), every dimension's sums equal the same sums computed
// directly over the logs table, the histograms hold exactly the served calls' latencies, and the
// backfill of an upgraded database computes the very same table from the rows.
import type { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { addSample, type Histogram } from "../../src/core/histogram";
import { isPeriodProblem, type Period, resolvePeriod } from "../../src/core/local-days";
import { callOutcome } from "../../src/core/outcome";
import { LOG_TYPE } from "../../src/core/status";
import { openDatabase } from "../../src/db/open";
import { DIMS, type Dim, type HourlySums } from "../../src/store/hourly";
import { hourlyReads } from "../../src/store/hourly-reads";
import { backfillHourly } from "../../src/store/hourly-backfill";
import { Ledger } from "../../src/store/ledger";
import type { NewLog } from "../../src/store/logs";
import { tempDir } from "../support/server";
import { prng } from "../support/prng";

const dir = tempDir("apiyi-hourly-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rand = prng(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const START = Date.parse("2026-03-01T00:00:00Z");
const SPAN = 40 * 86_400_000;
const OUTCOMES: [number, number, string][] = [
  [LOG_TYPE.consume, 200, ""],
  [LOG_TYPE.consume, 200, ""],
  [LOG_TYPE.consume, 200, ""],
  [LOG_TYPE.error, 502, "upstream_error"],
  [LOG_TYPE.error, 503, "no_available_channel"],
  [LOG_TYPE.error, 429, "rate_limit_exceeded"],
  [LOG_TYPE.error, 429, "insufficient_quota"],
  [LOG_TYPE.error, 404, "model_not_found"],
  [LOG_TYPE.error, 499, "client_disconnected"],
];

function randomRow(): NewLog {
  const [type, statusCode, errorCode] = pick(OUTCOMES);
  const served = type === LOG_TYPE.consume;
  const stream = rand() < 0.5;
  return {
    createdAt: START + Math.floor(rand() * SPAN),
    type,
    userId: int(1, 6),
    username: "u",
    tokenId: int(1, 9),
    model: pick(["gpt-4o", "gpt-4o-mini", "claude-x", "", "deepseek-chat"]),
    group: pick(["default", "vip", ""]),
    channelId: statusCode === 404 ? 0 : int(1, 4),
    promptTokens: served || rand() < 0.1 ? int(0, 5000) : 0,
    cachedTokens: served ? int(0, 100) : 0,
    completionTokens: served ? int(0, 2000) : 0,
    quota: served || rand() < 0.1 ? int(0, 90_000) : 0,
    durationMs: Math.round(Math.exp(rand() * 11)),
    ttftMs: served && stream ? int(1, 4000) : 0,
    statusCode,
    errorCode,
  };
}

const db = openDatabase(join(dir, "apiyi.db"));
const ledger = new Ledger(db, 1_000_000);
for (let i = 0; i < 6000; i++) {
  ledger.push(randomRow());
  if (rand() < 0.003) ledger.push({ ...randomRow(), type: LOG_TYPE.topup, quota: 5_000_000 });
  if (rand() < 0.003) ledger.push({ ...randomRow(), type: LOG_TYPE.system, quota: 0 });
  if (rand() < 0.01) ledger.flushAll(); // slices of every size, so hours are upserted many times
}
ledger.flushAll();
const store = hourlyReads(db);

type LogLine = Required<Pick<NewLog, "createdAt" | "type" | "userId" | "model" | "group" | "channelId">> & {
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
  durationMs: number;
  ttftMs: number;
  statusCode: number;
  errorCode: string;
};
const rows = db.$client
  .query<LogLine, []>(
    `SELECT created_at AS createdAt, type, user_id AS userId, model, "group", channel_id AS channelId,
       prompt_tokens AS prompt, cached_tokens AS cached, completion_tokens AS completion, quota,
       duration_ms AS durationMs, ttft_ms AS ttftMs, status_code AS statusCode, error_code AS errorCode
     FROM logs WHERE type IN (2, 5)`,
  )
  .all();
const keyOf: Record<Dim, (r: LogLine) => string> = {
  all: () => "",
  model: (r) => r.model,
  channel: (r) => String(r.channelId),
  group: (r) => r.group,
  user: (r) => String(r.userId),
};

/** What the rollups should say, computed from the log rows of [from, to) (unix s). */
function direct(dim: Dim, from: number, to: number) {
  const out = new Map<string, HourlySums>();
  for (const r of rows) {
    if (r.createdAt < from * 1000 || r.createdAt >= to * 1000) continue;
    const k = keyOf[dim](r);
    const s = out.get(k) ?? { calls: 0, failed: 0, refused: 0, prompt: 0, cached: 0, completion: 0, quota: 0 };
    const o = callOutcome(r);
    s.calls++;
    if (o === "failed") s.failed++;
    if (o === "refused") s.refused++;
    s.prompt += r.prompt;
    s.cached += r.cached;
    s.completion += r.completion;
    s.quota += r.quota;
    out.set(k, s);
  }
  return out;
}
const fromRollups = (dim: Dim, from: number, to: number) =>
  new Map(store.top(dim, from, to, 1000).map(({ key, values: _v, ...s }) => [key, s]));

test("every dimension's sums over random ranges of hours equal the sums over the log rows", () => {
  expect(rows.length).toBe(6000);
  const first = START / 1000;
  for (let i = 0; i < 25; i++) {
    const from = first + int(-2, 40 * 24) * 3600;
    const to = from + int(1, 20 * 24) * 3600;
    for (const dim of DIMS)
      expect({ dim, from, to, got: fromRollups(dim, from, to) }).toEqual({
        dim,
        from,
        to,
        got: direct(dim, from, to),
      });
  }
});

test("per hour, the site-wide sums are the rows of that hour; the histograms hold the served calls", () => {
  const from = START / 1000 + 5 * 86_400;
  const to = from + 3 * 86_400;
  for (const h of store.perHour(from, to)) {
    const { calls, quota } = direct("all", h.hour, h.hour + 3600).get("")!;
    expect({ hour: h.hour, calls: h.calls, quota: h.quota }).toEqual({ hour: h.hour, calls, quota });
  }
  const want = new Map<string, { latency: Histogram; ttft: Histogram }>();
  for (const r of rows) {
    if (r.createdAt < from * 1000 || r.createdAt >= to * 1000 || callOutcome(r) !== "ok") continue;
    const k = String(r.channelId);
    if (!want.has(k)) want.set(k, { latency: {}, ttft: {} });
    addSample(want.get(k)!.latency, r.durationMs);
    if (r.ttftMs > 0) addSample(want.get(k)!.ttft, r.ttftMs);
  }
  expect(store.histograms("channel", from, to, [...want.keys()])).toEqual(want);
});

test("the local days of a period hold exactly the rows of those days, in every kind of time zone", () => {
  const now = START / 1000 + 33 * 86_400 + 7_000;
  for (const tz of ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"])
    for (const name of ["today", "7d", "30d"] as const) {
      const p = resolvePeriod(name, now, tz) as Period;
      expect(isPeriodProblem(p)).toBe(false);
      for (const day of p.days) {
        const got = store.perHour(day.start, day.end).reduce((a, h) => a + h.calls, 0);
        expect({ tz, day: day.key, got }).toEqual({
          tz,
          day: day.key,
          got: direct("all", day.start, day.end).get("")?.calls ?? 0,
        });
      }
      expect(fromRollups("user", p.start, p.end)).toEqual(direct("user", p.start, p.end));
    }
});

test("top-ups, adjustments and system calls (type 4) are not in the rollups", () => {
  const all = fromRollups("all", 0, 4_000_000_000).get("")!;
  expect(all.calls).toBe(6000);
});

test("the backfill of an upgraded database computes the same table from the rows", () => {
  const table = (s: Database) =>
    s
      .query("SELECT * FROM usage_hourly ORDER BY dim, hour, key")
      .all()
      .map((r: any) => ({ ...r, latency: JSON.parse(r.latency), ttft: JSON.parse(r.ttft) }));
  const written = table(db.$client);
  db.$client.run("DELETE FROM usage_hourly");
  expect(backfillHourly(db.$client)).toBe(6000);
  expect(table(db.$client)).toEqual(written);
});
