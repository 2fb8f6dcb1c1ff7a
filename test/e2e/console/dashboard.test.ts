// The console's /dashboard over HTTP, after real billed calls through the relay to the mock upstream:
// the balance (or "unlimited"), spend today / 7 / 30 days equal to the sum of the calls' costs, calls
// and success rate, medians, and the two inline SVG charts; each user sees only their own figures.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer, chatCall } from "../../support/server";

setDefaultTimeout(20_000);

const mock = startMockUpstream({ models: ["d-a", "d-b"] });
const app = useServer();
afterAll(() => mock.stop());

let carol: Awaited<ReturnType<typeof makeUser>>;
let dave: Awaited<ReturnType<typeof makeUser>>;
type ApiRow = { type: number; quota: number; model_name: string };
let rows: ApiRow[] = [];

async function chat(key: string, model: string, stream = false) {
  const res = await chatCall(app.url, key, model, { stream });
  await res.text();
  return res.status;
}

const { page } = consoleHttp(app);

/** The same exact dollars the page shows: 1 unit = $0.000002, at least two decimals. */
const usd = (units: number) => {
  const micros = units * 2;
  let frac = String(micros % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `$${Math.floor(micros / 1_000_000)}.${frac}`;
};
const stat = (html: string, id: string) =>
  /<div class="value">([^<]*)<\/div>/.exec(html.slice(html.indexOf(`id="${id}"`)))![1];

beforeAll(async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  expectReply(
    await admin.post("/api/channel/", {
      name: "a",
      base_url: mock.url,
      key: "sk-up",
      models: "d-a,d-b",
      group: "default",
    }),
    201,
  );
  await priceModels(app.url, adminAuth, "d-a,d-b", { input: "3", output: "15" });
  carol = await makeUser(app.url, adminAuth, "carol");
  dave = await makeUser(app.url, adminAuth, "dave");
  expectReply(await admin.post(`/api/user/${carol.id}/topup`, { quota: 5_000_000 }), 200);
  expectReply(await admin.put("/api/user/", { id: dave.id, unlimited: true }), 200);
  const key = async (who: typeof carol, name: string) =>
    expectReply(await who.api.post("/api/token/", { name, unlimited_quota: true }), 201).key as string;
  const k = await key(carol, "k1");
  mock.set({ promptTokens: 1200, completionTokens: 300 });
  for (let i = 0; i < 3; i++) expect(await chat(k, "d-a")).toBe(200);
  mock.set({ promptTokens: 800, completionTokens: 900 });
  expect(await chat(k, "d-b", true)).toBe(200);
  expect(await chat(k, "no-such-model")).toBe(404);
  // the service's own failure: the upstream answers 500, so the call fails with 502
  mock.set({ mode: "status", status: 500 });
  expect(await chat(k, "d-a")).toBe(502);
  mock.set({ mode: "ok" });
  expect(await chat(await key(dave, "dk"), "d-b")).toBe(200);
  for (let i = 0; i < 100; i++) {
    rows = expectReply(await carol.api.get("/api/log/self?pageSize=100"), 200).items;
    if (rows.length >= 7 && (await dave.api.get("/api/log/self")).body.data.total >= 1) break;
    await Bun.sleep(20);
  }
  expect(rows.length).toBe(7); // 6 calls and the top-up
});

test("anonymous visitors are sent to sign in", async () => {
  const r = await page("/dashboard", {});
  expect(r.status).toBe(302);
  expect(r.location).toBe("/login?next=%2Fdashboard");
});

test("balance, spend equal to the sum of the costs, calls, success rate and medians", async () => {
  const r = await page("/dashboard", carol.auth);
  expect(r.status).toBe(200);
  const self = expectReply(await carol.api.get("/api/user/self"), 200);
  expect(stat(r.text, "stat-balance")).toBe(usd(self.quota));
  const spent = rows
    .filter((x) => x.type === LOG_TYPE.consume || x.type === LOG_TYPE.error)
    .reduce((a, x) => a + x.quota, 0);
  expect(spent).toBeGreaterThan(0);
  expect(self.quota).toBe(5_000_000 - spent);
  for (const id of ["stat-today", "stat-week", "stat-month"]) expect(stat(r.text, id)).toBe(usd(spent));
  expect(stat(r.text, "stat-calls")).toBe("6");
  // 4 served, 1 failed upstream; the 404 for a model nobody serves is carol's own, not counted
  expect(stat(r.text, "stat-success")).toBe("80.0%");
  expect(r.text).toContain("not counted: 1 call refused for the key, model, request or quota");
  expect(stat(r.text, "stat-latency")).toMatch(/^\d+ ms$|^\d+\.\d\d s$/);
  expect(stat(r.text, "stat-ttft")).toMatch(/^\d+ ms$|^\d+\.\d\d s$|^—$/);
});

test("two inline SVG charts: spend per day (30 bars, today's is the spend) and calls per model", async () => {
  const r = await page("/dashboard", carol.auth);
  const spent = rows
    .filter((x) => x.type === LOG_TYPE.consume || x.type === LOG_TYPE.error)
    .reduce((a, x) => a + x.quota, 0);
  expect(r.text).toContain('<svg class="chart-svg spend" viewBox="0 0 640 220" role="img"');
  const bars = [...r.text.matchAll(/<rect class="bar"[^>]*data-day="([\d-]+)" data-quota="(\d+)"/g)];
  expect(bars.length).toBe(30);
  expect(bars.at(-1)![1]).toBe(new Date().toISOString().slice(0, 10));
  expect(Number(bars.at(-1)![2])).toBe(spent);
  expect(bars.slice(0, -1).every((b) => b[2] === "0")).toBe(true);
  expect(r.text).toContain('<svg class="chart-svg models"');
  const models = [...r.text.matchAll(/data-model="([^"]*)" data-calls="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
  expect(models).toEqual([
    ["d-a", 4],
    ["d-b", 1],
    ["no-such-model", 1],
  ]);
});

test("each user sees their own figures: an unlimited balance, no one else's models", async () => {
  const r = await page("/dashboard", dave.auth);
  expect(stat(r.text, "stat-balance")).toBe("unlimited");
  expect(stat(r.text, "stat-calls")).toBe("1");
  expect(r.text).not.toContain("d-a");
  const fresh = await makeUser(app.url, await login(app.url, "admin", ADMIN_PASSWORD), "erin");
  const empty = await page("/dashboard", fresh.auth);
  expect(stat(empty.text, "stat-month")).toBe("$0.00");
  expect(stat(empty.text, "stat-success")).toBe("—");
  expect(empty.text).toContain("No calls in the last 30 days");
  expect(empty.text).toContain('<svg class="chart-svg spend"');
});
