// Admins' CSV downloads over HTTP after real calls through the relay: /admin/logs.csv is everyone's rows
// with /admin/logs's filters (UTC days, user, type, model) and the user and channel columns; /admin/usage.csv is
// the daily rollups per UTC day × user × model, equal to the sums over the log rows; cells that start
// with =, +, - or @ come out neutralised; users get 403 and anonymous visitors are sent to sign in.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import { parseCsv } from "../../support/csv";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(30_000);

const mock = startMockUpstream({ models: ["m1"] });
const app = useServer();
afterAll(() => mock.stop());

type Row = {
  request_id: string;
  created_at_ms: number;
  type: number;
  user_id: number;
  username: string;
  model_name: string;
  channel_id: number;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  quota: number;
};
let adminCookie = "";
let carolCookie = "";
let carolId = 0;
let rows: Row[] = [];

beforeAll(async () => {
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  adminCookie = auth.cookie;
  const admin = client(app.url, auth);
  expectReply(await admin.post("/api/channel/", { name: "c", base_url: mock.url, key: "sk-up", models: "m1" }), 201);
  await priceModels(app.url, auth, "m1", { input: "3", output: "15" });
  const carol = await makeUser(app.url, auth, "carol");
  carolId = carol.id;
  carolCookie = carol.auth.cookie;
  expectReply(await admin.post(`/api/user/${carol.id}/topup`, { quota: 5_000_000 }), 200);
  const key = async (api: typeof admin, name: string) =>
    expectReply(await api.post("/api/token/", { name, unlimited_quota: true }), 201).key as string;
  const carolKey = await key(carol.api, "+tok");
  const adminKey = await key(admin, "@admin");
  const calls: [string, string][] = [
    [carolKey, "m1"],
    [carolKey, "m1"],
    [carolKey, "=1+2"], // nobody serves it: a refusal, logged with the model as asked
    [adminKey, "m1"],
    [adminKey, "-m"],
  ];
  for (const [k, model] of calls) await (await chatCall(app.url, k, model)).text();
  for (let tries = 0; tries < 200; tries++) {
    rows = expectReply(await admin.get("/api/log/?size=100"), 200).items;
    if (rows.filter((r) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error).length >= calls.length) break;
    await Bun.sleep(25);
  }
});

async function csv(path: string, cookie = adminCookie) {
  const res = await fetch(app.url + path, { headers: { cookie }, redirect: "manual" });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
/** The CSV's lines as objects keyed by its header. */
const records = (text: string) => {
  const [header, ...lines] = parseCsv(text);
  return lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
};

test("everyone's rows, newest first, with user and channel, formula cells neutralised", async () => {
  const r = await csv("/admin/logs.csv");
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="apiyi-all-logs-\d{4}-\d\d-\d\d\.csv"$/);
  const got = records(r.text);
  expect(got.map((l) => l.request_id)).toEqual(rows.map((x) => x.request_id));
  const refused = got.find((l) => l.model === "'=1+2")!;
  expect(refused).toMatchObject({ username: "carol", user_id: String(carolId), token: "'+tok", type: "error" });
  expect(got.find((l) => l.model === "'-m")!.token).toBe("'@admin");
  const served = got.find((l) => l.type === "consume")!;
  expect(served.channel_id).toBe("1");
  expect(served.upstream_model).toBe("m1");
});

test("the filters of /admin/logs: user, type, model; a user that does not exist, a bad type", async () => {
  const carols = records((await csv("/admin/logs.csv?user=carol")).text);
  expect(carols.map((l) => l.request_id)).toEqual(rows.filter((x) => x.user_id === carolId).map((x) => x.request_id));
  const consume = records((await csv(`/admin/logs.csv?type=${LOG_TYPE.consume}&model_name=m1`)).text);
  expect(consume.length).toBe(3);
  expect(consume.every((l) => l.type === "consume" && l.model === "m1")).toBe(true);
  const page = await csv("/admin/logs?user=carol&type=2");
  expect(page.text).toMatch(/href="\/admin\/logs\.csv\?user=carol&(amp;)?type=2"/); // the page's link keeps its filters
  const nobody = await csv("/admin/logs.csv?user=nobody");
  expect([nobody.status, nobody.text.trim()]).toEqual([404, 'No user named "nobody".']);
  expect((await csv("/admin/logs.csv?type=9")).status).toBe(422);
});

test("from and to: UTC days, both included, read as /log reads them, on the page, its CSV link and the CSV", async () => {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const days = rows.map((x) => day(x.created_at_ms)).sort(); // one day, or two across midnight
  const [first, last] = [days[0], days.at(-1)!];
  const before = day(Date.parse(first) - 86_400_000);
  const after = day(Date.parse(last) + 86_400_000);
  const ids = (text: string) => records(text).map((l) => l.request_id);
  expect(ids((await csv(`/admin/logs.csv?from=${first}&to=${last}`)).text)).toEqual(rows.map((x) => x.request_id));
  expect(ids((await csv(`/admin/logs.csv?from=${after}`)).text)).toEqual([]);
  expect(ids((await csv(`/admin/logs.csv?to=${before}`)).text)).toEqual([]);
  const carols = rows.filter((x) => x.user_id === carolId).map((x) => x.request_id);
  expect(ids((await csv(`/admin/logs.csv?from=${first}&to=${last}&user=carol`)).text)).toEqual(carols);

  const page = (await csv(`/admin/logs?from=${first}&to=${last}&user=carol`)).text;
  expect(page).toContain(`<input type="date" name="from" value="${first}"`);
  expect(page).toContain(`data-copy="${carols[0]}"`);
  expect(page).toMatch(new RegExp(`href="/admin/logs\\.csv\\?from=${first}&(amp;)?to=${last}&(amp;)?user=carol"`));
  const later = (await csv(`/admin/logs?from=${after}`)).text;
  expect(later).toContain("No calls match these filters");
  expect(later).not.toContain(`data-copy="${carols[0]}"`);

  const bad = await csv("/admin/logs.csv?from=2026-02-30");
  expect([bad.status, bad.text.trim()]).toEqual([422, "from: not a day (YYYY-MM-DD)"]);
  const badPage = await csv("/admin/logs?to=yesterday");
  expect(badPage.status).toBe(200);
  expect(badPage.text).toContain("to: not a day (YYYY-MM-DD)");
});

test("rollups per UTC day × user × model equal the sums over the log rows", async () => {
  const r = await csv("/admin/usage.csv");
  expect(r.status).toBe(200);
  const got = records(r.text);
  const want = new Map<string, Record<string, string>>();
  for (const x of rows) {
    if (x.type !== LOG_TYPE.consume && x.type !== LOG_TYPE.error) continue;
    const day = new Date(x.created_at_ms).toISOString().slice(0, 10);
    const k = `${day} ${x.user_id} ${x.model_name}`;
    const s = want.get(k) ?? { calls: "0", error_calls: "0", prompt_tokens: "0", completion_tokens: "0", quota: "0" };
    const add = (f: string, v: number) => (s[f] = String(Number(s[f]) + v));
    add("calls", 1);
    add("error_calls", x.type === LOG_TYPE.error ? 1 : 0);
    add("prompt_tokens", x.prompt_tokens);
    add("completion_tokens", x.completion_tokens);
    add("quota", x.quota);
    want.set(k, s);
  }
  const strip = (m: string) => m.replace(/^'/, "");
  expect(
    Object.fromEntries(
      got.map((l) => [
        `${l.day_utc} ${l.user_id} ${strip(l.model)}`,
        {
          calls: l.calls,
          error_calls: l.error_calls,
          prompt_tokens: l.prompt_tokens,
          completion_tokens: l.completion_tokens,
          quota: l.quota,
        } as Record<string, string>,
      ]),
    ),
  ).toEqual(Object.fromEntries(want));
  expect(got.map((l) => l.model)).toContain("'=1+2");
  expect(got.find((l) => l.user_id === String(carolId))!.username).toBe("carol");

  const today = new Date().toISOString().slice(0, 10);
  expect(records((await csv(`/admin/usage.csv?from=${today}&to=${today}`)).text).length).toBe(got.length);
  expect(records((await csv("/admin/usage.csv?from=2999-01-01")).text)).toEqual([]);
  const bad = await csv("/admin/usage.csv?to=yesterday");
  expect([bad.status, bad.text.trim()]).toEqual([422, "to: not a day, expected YYYY-MM-DD (UTC)"]);
});

test("admins only: users get 403, anonymous visitors are sent to sign in", async () => {
  for (const path of ["/admin/logs.csv", "/admin/usage.csv"]) {
    expect((await csv(path, carolCookie)).status).toBe(403);
    const anon = await csv(path, "");
    expect([anon.status, anon.headers.get("location")]).toEqual([302, `/login?next=${encodeURIComponent(path)}`]);
  }
});
