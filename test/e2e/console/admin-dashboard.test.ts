// The admin dashboard over real HTTP after random traffic through the relay to the mock upstream:
// served calls, upstream failures (500s, 429s, slow replies) and the callers' own refusals (a model
// nobody serves, a model off the key's whitelist, a key out of quota) from three users over two channels
// and two groups. For several periods and time zones, GET /api/dashboard's sums (calls, outcomes,
// tokens, cost) site-wide and per model, channel, group and user equal the sums over the log rows of
// the same hours; the success rate leaves the refusals out; p50 and p95 latency and first token are the
// histogram buckets holding the exact percentiles of the rows. Then the page: admins only, the same
// figures as the API, charts per hour for one day and per day for more, a bad period named.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { bucketOf } from "../../../src/core/histogram";
import { callOutcome } from "../../../src/core/outcome";
import { LOG_TYPE } from "../../../src/core/status";
import { consoleSession } from "../../support/console";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, client, login, makeUser, priceModels, useServer } from "../../support/server";
import { prng } from "../../support/prng";

setDefaultTimeout(60_000);

const mock = startMockUpstream({ models: ["m1", "m2", "m3"] });
const app = useServer();
afterAll(() => mock.stop());

type Row = {
  created_at_ms: number;
  type: number;
  user_id: number;
  model_name: string;
  group: string;
  channel_id: number;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  quota: number;
  duration_ms: number;
  ttft_ms: number;
  status_code: number;
  error_code: string;
};
let admin: ReturnType<typeof client>;
let rows: Row[] = [];
let users: Record<string, number> = {};

beforeAll(async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "vip", multiplier: "1.5" }), 201);
  for (const [name, models, group] of [
    ["one", "m1,m2", "default"],
    ["two", "m2,m3", "default,vip"],
  ])
    expectReply(await admin.post("/api/channel/", { name, base_url: mock.url, key: "sk-up", models, group }), 201);
  await priceModels(app.url, adminAuth, "m1,m2,m3", { input: "3", output: "15" });
  const carol = await makeUser(app.url, adminAuth, "carol");
  const dave = await makeUser(app.url, adminAuth, "dave");
  users = { admin: 1, carol: carol.id, dave: dave.id };
  for (const u of [carol, dave]) expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: 50_000_000 }), 200);
  const key = async (api: typeof admin, body: Record<string, unknown>) =>
    expectReply(await api.post("/api/token/", { unlimited_quota: true, ...body }), 201).key as string;
  const keys = [
    await key(admin, { name: "a" }),
    await key(carol.api, { name: "c-vip", group: "vip" }),
    await key(carol.api, { name: "c-m1", models: "m1" }), // m2 and m3 are refused: not on its whitelist
    await key(dave.api, { name: "d-small", unlimited_quota: false, remain_quota: 60_000 }), // runs out of quota
  ];

  const rand = prng(1313);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  let made = 0;
  for (let i = 0; i < 90; i++) {
    const r = rand();
    if (r < 0.12) mock.set({ mode: "status", status: 500 });
    else if (r < 0.18) mock.set({ mode: "status", status: 429 });
    else if (r < 0.3) mock.set({ mode: "slow_first_byte", delayMs: Math.floor(rand() * 60) });
    else mock.set({ mode: "ok" });
    mock.set({ promptTokens: 10 + Math.floor(rand() * 3000), completionTokens: 1 + Math.floor(rand() * 800) });
    const model = rand() < 0.08 ? "no-such-model" : pick(["m1", "m2", "m3"]);
    const res = await chatCall(app.url, pick(keys), model, { stream: rand() < 0.5 });
    await res.text();
    made++;
  }
  mock.set({ mode: "ok" });
  // every call with a valid key leaves a row (written by the ledger in batches: polled)
  for (let tries = 0; tries < 200; tries++) {
    rows = [];
    for (let p = 1; ; p++) {
      const page = expectReply(await admin.get(`/api/log/?p=${p}&size=100`), 200);
      rows.push(...page.items);
      if (rows.length >= page.total) break;
    }
    rows = rows.filter((x) => x.type === LOG_TYPE.consume || x.type === LOG_TYPE.error);
    if (rows.length >= made) break;
    await Bun.sleep(25);
  }
  expect(rows.length).toBe(made);
});

const outcome = (r: Row) => callOutcome({ type: r.type, statusCode: r.status_code, errorCode: r.error_code });

/** The dashboard's sums computed directly from the log rows of [start, end) (unix s). */
function direct(list: Row[]) {
  const ok = list.filter((r) => outcome(r) === "ok").length;
  const failed = list.filter((r) => outcome(r) === "failed").length;
  const sum = (f: (r: Row) => number) => list.reduce((a, r) => a + f(r), 0);
  return {
    calls: list.length,
    ok,
    failed,
    refused: list.length - ok - failed,
    success_rate: ok + failed ? ok / (ok + failed) : null,
    prompt_tokens: sum((r) => r.prompt_tokens),
    cached_tokens: sum((r) => r.cached_tokens),
    completion_tokens: sum((r) => r.completion_tokens),
    quota: sum((r) => r.quota),
  };
}
const inPeriod = (p: { start: number; end: number }) =>
  rows.filter((r) => r.created_at_ms >= p.start * 1000 && r.created_at_ms < p.end * 1000);
function grouped(list: Row[], key: (r: Row) => string) {
  const out: Record<string, ReturnType<typeof direct>> = {};
  for (const k of new Set(list.map(key))) out[k] = direct(list.filter((r) => key(r) === k));
  return out;
}
const ranked = (r: { top: ({ key: string } & Record<string, unknown>)[] }) =>
  Object.fromEntries(r.top.map(({ key, name: _n, p50_ms: _p, ...s }) => [key, s]));
const nearestRank = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * xs.length)) - 1];

async function dashboard(query: string) {
  return expectReply(await admin.get(`/api/dashboard?top=100&${query}`), 200);
}

test("the traffic has every outcome: served, failed upstream, refused for the caller", () => {
  const kinds = new Set(rows.map(outcome));
  expect([...kinds].sort()).toEqual(["failed", "ok", "refused"]);
  expect(new Set(rows.map((r) => r.error_code)).has("insufficient_quota")).toBe(true);
  expect(new Set(rows.map((r) => r.error_code)).has("model_not_allowed")).toBe(true);
});

test("for each period and time zone the sums equal the sums over the log rows, site-wide and per dimension", async () => {
  for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
    expectReply(await admin.put("/api/setting", { budget_timezone: tz }), 200);
    const today = (await dashboard("period=today")).period.from as string;
    const yesterday = new Date(Date.parse(today) - 86_400_000).toISOString().slice(0, 10);
    for (const q of [
      "period=today",
      "period=7d",
      "period=30d",
      `period=custom&from=${today}&to=${today}`,
      `period=custom&from=${yesterday}&to=${yesterday}`,
    ]) {
      const d = await dashboard(q);
      const list = inPeriod(d.period);
      const what = { tz, q };
      expect({ ...what, totals: d.totals }).toEqual({ ...what, totals: direct(list) });
      expect({ ...what, series: d.series.reduce((a: number, s: { calls: number }) => a + s.calls, 0) }).toEqual({
        ...what,
        series: list.length,
      });
      expect(ranked(d.by_model)).toEqual(grouped(list, (r) => r.model_name));
      expect(ranked(d.by_channel)).toEqual(grouped(list, (r) => String(r.channel_id)));
      expect(ranked(d.by_group)).toEqual(grouped(list, (r) => r.group));
      expect(ranked(d.by_user)).toEqual(grouped(list, (r) => String(r.user_id)));
    }
  }
  expectReply(await admin.put("/api/setting", { budget_timezone: "UTC" }), 200);
});

test("the top N and the rest add up to the whole; ids read as names", async () => {
  const d = await admin.get("/api/dashboard?period=7d&top=1").then((r) => expectReply(r, 200));
  const all = direct(inPeriod(d.period));
  for (const r of [d.by_model, d.by_channel, d.by_group, d.by_user]) {
    expect(r.top.length).toBe(1);
    expect(r.top[0].calls + (r.rest?.calls ?? 0)).toBe(all.calls);
    expect(r.top[0].quota + (r.rest?.quota ?? 0)).toBe(all.quota);
    expect(r.rest?.values ?? 0).toBe(r.values - 1);
  }
  const full = await dashboard("period=7d");
  for (const r of [full.by_model, full.by_channel, full.by_group, full.by_user]) {
    const spend = r.top.map((x: { quota: number }) => x.quota);
    expect(spend).toEqual([...spend].sort((a, b) => b - a)); // the top is by spend
  }
  const names = Object.fromEntries(full.by_user.top.map((u: { key: string; name: string }) => [u.key, u.name]));
  expect(names[String(users.carol)]).toBe("carol");
  const channels = full.by_channel.top.map((c: { name: string }) => c.name);
  expect(channels).toContain("one #1");
  expect(channels).toContain("(no channel)"); // the refusals before routing
});

test("p50 and p95 latency and first token are the histogram buckets holding the exact percentiles", async () => {
  const d = await dashboard("period=today");
  const served = inPeriod(d.period).filter((r) => outcome(r) === "ok");
  const firsts = served.filter((r) => r.ttft_ms > 0).map((r) => r.ttft_ms);
  expect(firsts.length).toBeGreaterThan(0);
  for (const [got, xs] of [
    [d.latency, served.map((r) => r.duration_ms)],
    [d.ttft, firsts],
  ] as const) {
    expect(got.samples).toBe(xs.length);
    for (const q of ["p50", "p95"] as const) {
      const exact = nearestRank(xs, q === "p50" ? 0.5 : 0.95);
      expect({ q, exact, bucket: got[q].bucket }).toEqual({ q, exact, bucket: bucketOf(exact) });
      expect(exact >= got[q].lo && exact < got[q].hi).toBe(true);
    }
  }
});

test("a bad period is a 422 naming the field; users get 403", async () => {
  const bad = await admin.get("/api/dashboard?period=custom&from=2026-02-30&to=2026-03-01");
  expect(bad.status).toBe(422);
  expect(bad.body.message).toContain("from");
  expect((await admin.get("/api/dashboard?period=week")).status).toBe(422);
  const carol = client(app.url, await login(app.url, "carol", "user-password-1"));
  expect((await carol.get("/api/dashboard")).status).toBe(403);
});

test("the page: admins only; the API's figures as cards, charts per hour for a day and per day for a week", async () => {
  const anon = await fetch(`${app.url}/admin/dashboard`, { redirect: "manual" });
  expect([anon.status, anon.headers.get("location")]).toEqual([302, "/login?next=%2Fadmin%2Fdashboard"]);
  const carol = await consoleSession(app.url, "carol", "user-password-1");
  expect((await carol.page("/admin/dashboard")).status).toBe(403);

  const s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
  const stat = (html: string, id: string) =>
    /<div class="value">([^<]*)<\/div>/.exec(html.slice(html.indexOf(`id="${id}"`)))![1];
  const day = await s.page("/admin/dashboard?period=today");
  expect(day.status).toBe(200);
  const d = await dashboard("period=today");
  expect(stat(day.text, "stat-calls")).toBe(d.totals.calls.toLocaleString("en-US"));
  expect(stat(day.text, "stat-success")).toBe(`${(d.totals.success_rate * 100).toFixed(1)}%`);
  expect(day.text).toContain(`${d.totals.refused} refused for the key, model, request or quota`);
  expect([...day.text.matchAll(/<svg class="chart-svg spend"[\s\S]*?<\/svg>/g)][0][0].match(/<rect /g)!.length).toBe(
    24,
  );
  expect(day.text).toContain('<svg class="chart-svg calls"');
  expect(day.text).toContain('<svg class="chart-svg models"');
  for (const id of ["top-model", "top-channel", "top-group", "top-user"]) expect(day.text).toContain(`id="${id}"`);
  const userTable = day.text.slice(day.text.indexOf('id="top-user"'));
  const carolRow = new RegExp(`data-key="${users.carol}" data-calls="(\\d+)"`).exec(userTable);
  const carolApi = d.by_user.top.find((u: { key: string }) => u.key === String(users.carol));
  expect(Number(carolRow![1])).toBe(carolApi.calls);

  const week = await s.page("/admin/dashboard?period=7d");
  const bars = [...week.text.matchAll(/<rect class="bar"[^>]*data-day="([\d-]+)"/g)].map((m) => m[1]);
  expect(bars.length).toBe(14); // two charts of 7 days
  expect(week.text).toContain("days in UTC");

  const bad = await s.page("/admin/dashboard?period=custom&from=2026-03-05&to=2026-03-01");
  expect(bad.status).toBe(200);
  expect(bad.text).toContain("ends (2026-03-01) before it starts (2026-03-05)");
  expect(bad.text).toContain('class="active"'); // the default 7 days are shown
});
