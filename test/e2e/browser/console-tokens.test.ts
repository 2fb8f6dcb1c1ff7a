// Issue 10 item 20, the token page as seen in Chromium: the footer's count follows New and Delete, the
// New dialog opens without htmx errors (and still redraws its model list when the group changes),
// Request example's address hint keeps its <port> placeholder, and on a 390-pixel phone every row
// shows its status, remaining quota and wrench while "Copy" stays one word. Layout is checked by
// measuring element boxes, not by screenshots.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { clipped, openBrowser, signIn, watchPage } from "../../support/browser";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, login, priceModels, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["gpt-4o-mini", "vip-model"] });
const app = useServer();
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: Awaited<ReturnType<typeof watchPage>>;

beforeAll(async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  await call(app.url, "POST", "/api/group/", { name: "vip", description: "the vip group", selectable: true }, admin);
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "mock", base_url: mock.url, key: "sk-up", models: "gpt-4o-mini" },
    admin,
  );
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "vip", base_url: mock.url, key: "sk-up", models: "vip-model", group: "vip" },
    admin,
  );
  await priceModels(app.url, admin, ["gpt-4o-mini", "vip-model"]);
  await call(app.url, "POST", "/api/token/", { name: "limited-one", remain_quota: 2_499_990 }, admin);
  ({ browser, context } = await openBrowser(app.url));
  page = await context.newPage();
  watch = await watchPage(page);
  page.on("dialog", (d) => d.accept()); // hx-confirm
  await signIn(page, app.url, "admin", ADMIN_PASSWORD);
});
afterAll(async () => {
  await browser?.close();
  mock.stop();
});

/** Buttons (and button-like links) of the open dialog whose label wraps onto a second line. */
const brokenButtons = (p: Page) =>
  p.$$eval("dialog[open] button, dialog[open] a.button", (els) =>
    els
      .filter((b) => {
        const range = document.createRange();
        range.selectNodeContents(b);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1;
      })
      .map((b) => b.textContent?.trim()),
  );

const footerCount = async (p: Page) => Number(/· (\d+) tokens/.exec((await p.textContent(".pager")) ?? "")?.[1]);
const rowCount = (p: Page) => p.locator("#token-rows tr").count();

test("after New the footer counts the new row, and after Delete it counts one less", async () => {
  await page.goto(`${app.url}/token`);
  const before = await rowCount(page);
  expect(await footerCount(page)).toBe(before);
  await page.click("button:has-text('New')");
  await page.waitForSelector("dialog[open] form");
  await page.fill('dialog input[name="name"]', "footer-check");
  // typing a quota unticks Unlimited, so the token is limited to it
  expect(await page.isChecked('dialog input[name="unlimited"]')).toBe(true);
  await page.fill('dialog input[name="quota_usd"]', "1.5");
  expect(await page.isChecked('dialog input[name="unlimited"]')).toBe(false);
  await page.click("dialog button.primary");
  await page.waitForSelector("dialog[open] .key-box");
  await page.click("dialog[open] [data-close]");
  expect(await rowCount(page)).toBe(before + 1);
  expect(await footerCount(page)).toBe(before + 1);
  expect(await page.locator("tr", { hasText: "footer-check" }).locator("td:nth-child(5)").textContent()).toBe("$1.50");

  const row = page.locator("tr", { hasText: "footer-check" });
  await row.locator("summary").click();
  await row.locator("button", { hasText: "Delete" }).click();
  await page.waitForSelector("tr:has-text('footer-check')", { state: "detached" });
  expect(await rowCount(page)).toBe(before);
  expect(await footerCount(page)).toBe(before);
});

test("opening New logs no htmx error, and a change of group still redraws the model list", async () => {
  await page.goto(`${app.url}/token`);
  watch.clear();
  await page.click("button:has-text('New')");
  await page.waitForSelector("dialog[open] form");
  await page.waitForTimeout(100); // htmx has processed the swapped-in dialog by then (it does so while swapping)
  expect(watch.problems()).toEqual([]);
  expect(await page.locator("#model-select option").allTextContents()).toEqual(["gpt-4o-mini"]);
  const redrawn = page.waitForResponse((r) => r.url().includes("/token/models"), { timeout: 5000 });
  await page.selectOption('dialog select[name="group"]', "vip");
  await redrawn;
  await page.waitForFunction(
    () => document.querySelector("#model-select option")?.textContent === "vip-model",
    undefined,
    { timeout: 5000 },
  );
  // a field that is not a group does not ask for the list
  let asked = 0;
  const count = (r: { url(): string }) => void (r.url().includes("/token/models") && asked++);
  page.on("request", count);
  await page.fill('dialog input[name="name"]', "typing");
  await page.locator('dialog input[name="name"]').dispatchEvent("change");
  await page.waitForTimeout(200);
  page.off("request", count);
  expect(asked).toBe(0);
  expect(watch.problems()).toEqual([]);
  await page.click("dialog[open] [data-close]");
});

test("Request example's address hint keeps its <port> placeholder", async () => {
  await page.goto(`${app.url}/token`);
  const row = page.locator("tr", { hasText: "limited-one" });
  await row.locator("summary").click();
  await row.locator("button", { hasText: "Request example" }).click();
  await page.waitForSelector("dialog[open] .alert.warn");
  const hint = (await page.textContent("dialog[open] .alert.warn")) ?? "";
  expect(hint).toContain("http://127.0.0.1:<port>");
  expect(await page.locator("dialog[open] port").count()).toBe(0);
  await page.click("dialog[open] .buttons [data-close]");
});

test("at 390 px every row shows its status, remaining quota and wrench, and Copy stays on one line", async () => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${app.url}/token`);
  const rows = await phone.locator("#token-rows tr").count();
  expect(rows).toBeGreaterThanOrEqual(2);
  // by column (Name, Key, Status, Group, Remaining, …): the same cells whatever the layout
  for (const what of [
    "#token-rows td:nth-child(1)",
    "#token-rows td:nth-child(3) .badge",
    "#token-rows td:nth-child(5)",
    "#token-rows details.menu summary",
  ]) {
    expect(await phone.locator(what).count()).toBe(rows);
    expect({ what, clipped: await clipped(phone, what) }).toEqual({ what, clipped: [] });
  }
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const remaining = await phone.locator("tr", { hasText: "limited-one" }).locator("td:nth-child(5)").textContent();
  expect(remaining).toContain("$4.99998");

  // the one-time key dialog: its Copy button is one line, beside or under the key, never split
  await phone.click("button:has-text('New')");
  await phone.waitForSelector("dialog[open] form");
  await phone.fill('dialog input[name="name"]', "phone-key");
  await phone.click("dialog button.primary");
  await phone.waitForSelector("dialog[open] .key-box");
  expect(await brokenButtons(phone)).toEqual([]);
  expect(await clipped(phone, "dialog[open] .key-box button, dialog[open] .key-box code")).toEqual([]);
  await phone.click("dialog[open] [data-close]");
  // the buttons of Request example and Share (Copy, Copy link, Open) too
  for (const item of ["Request example", "Share"]) {
    const row = phone.locator("tr", { hasText: "limited-one" });
    await row.locator("summary").click();
    await row.locator("button", { hasText: item }).click();
    await phone.waitForSelector("dialog[open] .dialog-head");
    expect({ item, broken: await brokenButtons(phone) }).toEqual({ item, broken: [] });
    await phone.click("dialog[open] .buttons [data-close]");
  }
  await phone.close();
});
