// Issue 10 item 20, the rest of the console as seen in Chromium: money with one precision everywhere
// (/admin/logs as /log), no clipped column at 1280 px (admin logs' Attempts, pricing's Groups, a
// channel's Test result beside its wrench), Settings showing list settings as lines, an unlimited
// admin's balance saying so, /groups not claiming "every model", an icon at /favicon.ico, and a
// dashboard success rate that leaves out the caller's own refusals (the user's and the admin-wide one,
// whose page fits at 1280 and 390 px). Layout is checked by measuring
// element boxes, not by screenshots.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { clipped, openBrowser, signIn, watchPage } from "../../support/browser";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, chatCall, login, priceModels, useServer } from "../../support/server";

const MODELS = ["gpt-4o-mini", "claude-sonnet-4-5-20250929", "gemini-2.5-flash-preview-05-20"];
const GROUPS = ["vip", "enterprise-asia", "research-team", "batch-overnight"];
const mock = startMockUpstream({ models: MODELS });
const app = useServer();
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: Awaited<ReturnType<typeof watchPage>>;
let requestId = "";

beforeAll(async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  for (const name of GROUPS) await call(app.url, "POST", "/api/group/", { name, description: `${name} group` }, admin);
  const groups = ["default", ...GROUPS].join(",");
  // the first channel always fails (500), so every call is an attempt chain: failing → backup
  await call(
    app.url,
    "POST",
    "/api/channel/",
    {
      name: "primary-openai-east",
      base_url: mock.urlFor("status=500"),
      key: "sk-up",
      models: MODELS.join(","),
      group: groups,
      priority: 10,
    },
    admin,
  );
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "backup-openai-west", base_url: mock.url, key: "sk-up", models: MODELS.join(","), group: groups },
    admin,
  );
  // a channel whose key the upstream refuses: a call to its model takes it out (a reason under its
  // status), and its Test shows a failure with the upstream's message
  await call(
    app.url,
    "POST",
    "/api/channel/",
    {
      name: "refused-key-channel",
      base_url: mock.urlFor("unauthorized"),
      key: "sk-wrong",
      models: "refused-model",
      group: groups,
    },
    admin,
  );
  // $1 / $2 per 1M tokens: a call (10 + 5 tokens) costs 10 units, $0.00002
  await priceModels(app.url, admin, [...MODELS, "refused-model"]);
  const key = (await call(app.url, "POST", "/api/token/", { name: "walker", unlimited_quota: true }, admin)).body.data
    .key as string;
  for (const model of MODELS) {
    const res = await chatCall(app.url, key, model);
    await res.text();
    expect(res.status).toBe(200);
    requestId = res.headers.get("x-request-id")!;
  }
  // the caller's own refusal: a model nobody serves
  await (await chatCall(app.url, key, "no-such-model")).text();
  expect((await chatCall(app.url, key, "refused-model")).status).toBeGreaterThanOrEqual(500);
  ({ browser, context } = await openBrowser(app.url));
  page = await context.newPage();
  watch = await watchPage(page);
  await signIn(page, app.url, "admin", ADMIN_PASSWORD);
});
afterAll(async () => {
  await browser?.close();
  mock.stop();
});

/** Every cell of every table on the page is visible without scrolling sideways. */
async function expectNoClippedCell(p: Page, what: string) {
  expect({ what, clipped: await clipped(p, ".table-wrap td, .table-wrap th") }).toEqual({ what, clipped: [] });
  const overflow = await p.$$eval(".table-wrap", (ws) =>
    ws.filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => `${w.scrollWidth} > ${w.clientWidth}`),
  );
  expect({ what, overflow }).toEqual({ what, overflow: [] });
}

test("/admin/logs shows a call's cost with the same precision as /log, never $0.0000", async () => {
  await page.goto(`${app.url}/log`);
  const cost = (await page.locator(`tr:has([data-copy="${requestId}"]) td[data-label="Cost"]`).textContent())?.trim();
  expect(cost).toBe("$0.00002");
  await page.goto(`${app.url}/admin/logs`);
  const row = (await page.locator(`tr:has([data-copy="${requestId}"])`).textContent()) ?? "";
  expect(row).toContain(cost!);
  expect(await page.textContent("#admin-log-rows, table.data tbody")).not.toContain("$0.0000 ");
});

test("at 1280 px no column is clipped: admin logs (Attempts), pricing (Groups), channels after a Test", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/admin/logs`);
  expect(await page.locator("ol.attempts li").count()).toBeGreaterThanOrEqual(6);
  await expectNoClippedCell(page, "/admin/logs");
  await page.goto(`${app.url}/pricing`);
  await expectNoClippedCell(page, "/pricing");
  await page.goto(`${app.url}/admin/channels`);
  await expectNoClippedCell(page, "/admin/channels");
  for (const name of ["refused-key-channel", "backup-openai-west"]) {
    const row = page.locator("tr", { hasText: name });
    await row.locator("td.test button").click();
    await row.locator(".test-result .badge").waitFor({ timeout: 10_000 });
  }
  expect(await page.locator("tr", { hasText: "refused-key-channel" }).locator(".test-result .reason").count()).toBe(1);
  expect(await clipped(page, "details.menu summary")).toEqual([]);
  await expectNoClippedCell(page, "/admin/channels after Test");
});

test("/admin/dashboard: cards, three charts and four tables; nothing clipped at 1280 px, no page overflow at 390", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/admin/dashboard?period=today`);
  expect(await page.locator(".dash-stat").count()).toBe(8);
  expect(await page.locator("svg.chart-svg").count()).toBe(3);
  expect(await page.locator(".dash-rank table").count()).toBe(4);
  // 3 served (after a failed attempt each), 1 failed on the service's side, the 404 not counted
  expect((await page.textContent("#stat-success .value"))?.trim()).toBe("75.0%");
  await expectNoClippedCell(page, "/admin/dashboard");
  expect(await clipped(page, ".dash-period a, .dash-period button, .dash-stat .value")).toEqual([]);
  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(watch.problems()).toEqual([]);
});

test("Settings shows a list setting (trusted_proxies) one entry per line, never as raw JSON", async () => {
  await page.goto(`${app.url}/admin/settings`);
  const field = page.locator("#setting-trusted_proxies");
  expect(await field.inputValue()).toBe("");
  expect((await page.textContent("#setting-trusted_proxies-help")) ?? "").not.toContain("[]");
  await field.fill("10.0.0.0/8\n192.168.1.7");
  await page.click("#settings-form button.primary");
  await page.waitForSelector(".toast:has-text('Settings saved')");
  await page.goto(`${app.url}/admin/settings`);
  expect(await page.locator("#setting-trusted_proxies").inputValue()).toBe("10.0.0.0/8\n192.168.1.7");
  const stored = await call(app.url, "GET", "/api/setting", undefined, await login(app.url, "admin", ADMIN_PASSWORD));
  expect(JSON.stringify(stored.body)).toContain('"trusted_proxies":["10.0.0.0/8","192.168.1.7"]');
});

test("an unlimited admin's balance says unlimited, not $0.00", async () => {
  await page.goto(`${app.url}/admin/users`);
  const row = page.locator("tr", { hasText: "admin" }).first();
  const cells = await row.locator("td").allTextContents();
  expect(cells[3].trim()).toBe("unlimited");
  for (const path of ["/account", "/dashboard"]) {
    await page.goto(app.url + path);
    expect(await page.textContent("main")).not.toContain("$0.00 ");
  }
});

test("/groups does not say every model for a group that serves three", async () => {
  await page.goto(`${app.url}/groups`);
  const card = (await page.textContent("#group-default")) ?? "";
  expect(card).not.toContain("every model");
  expect(card).toContain("3 models");
});

test("/favicon.ico is an icon from the binary, and pages load without a missing resource", async () => {
  const res = await page.request.get(`${app.url}/favicon.ico`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/x-icon");
  expect([...(await res.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  const icon = await page.request.get(`${app.url}/assets/favicon.svg`);
  expect(icon.status()).toBe(200);
  const fresh = await context.newPage();
  const failed: string[] = [];
  fresh.on("response", (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`)));
  await fresh.goto(`${app.url}/login`);
  await fresh.waitForLoadState("networkidle");
  await fresh.goto(`${app.url}/favicon.ico`);
  expect(failed).toEqual([]);
  await fresh.close();
});

test("the dashboard's success rate leaves out the caller's own refusals (a 404 for an unknown model)", async () => {
  await page.goto(`${app.url}/dashboard`);
  // 3 served, 1 failed on the service's side (the only channel for refused-model has a dead key);
  // the 404 for a model nobody serves is the caller's own and is not counted
  expect((await page.textContent("#stat-success .value"))?.trim()).toBe("75.0%");
  expect(await page.textContent("#stat-success .note")).toContain("not counted: 1 call refused");
  expect(watch.problems()).toEqual([]);
});
