// Issue 10 item 10 in a real browser: the console's Content-Security-Policy is in force (an injected
// inline script does not run and is reported), and walking the whole console under it (sign in, every
// page, every dialog, creating, editing, copying, sharing, disabling and deleting a token, the admin
// dialogs, a channel Test, saving settings, searching prices, signing out) reports no CSP violation,
// no htmx error and no console error, while htmx keeps working with eval turned off.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { openBrowser, signIn, watchPage } from "../../support/browser";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, chatCall, login, priceModels, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["gpt-4o-mini"] });
const app = useServer();
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: Awaited<ReturnType<typeof watchPage>>;

beforeAll(async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "mock", base_url: mock.url, key: "sk-up", models: "gpt-4o-mini" },
    admin,
  );
  await priceModels(app.url, admin, "gpt-4o-mini");
  const key = (await call(app.url, "POST", "/api/token/", { name: "seed", unlimited_quota: true }, admin)).body.data
    .key as string;
  await (await chatCall(app.url, key, "gpt-4o-mini")).text();
  ({ browser, context } = await openBrowser(app.url));
  page = await context.newPage();
  watch = await watchPage(page);
  page.on("dialog", (d) => d.accept()); // hx-confirm
});
afterAll(async () => {
  await browser?.close();
  mock.stop();
});

/** Opens a dialog with `open` (a click), waits for it, and closes it with its Cancel / Done / ✕. */
async function throughDialog(open: () => Promise<void>, inside?: () => Promise<void>) {
  await open();
  await page.waitForSelector("dialog[open]", { timeout: 5000 });
  if (inside) await inside();
  if (await page.locator("dialog[open]").count()) await page.locator("dialog[open] [data-close]").first().click();
  await page
    .waitForSelector("dialog[open]", { state: "detached", timeout: 5000 })
    .catch(() => page.waitForSelector("dialog[open]", { state: "hidden", timeout: 5000 }));
}

const rowMenu = async (rowText: string, item: string) => {
  const row = page.locator("tr", { hasText: rowText }).first();
  await row.locator("details.menu summary").click();
  await row.locator(".menu-items > *", { hasText: item }).first().click();
};

test("the policy is in force: an injected inline script does not run, and the browser reports it", async () => {
  await page.goto(`${app.url}/login`);
  watch.clear();
  const ran = await page.evaluate(async () => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
  await page.waitForTimeout(100);
  expect(watch.problems().some((p) => p.includes("CSP script-src"))).toBe(true);
  watch.clear();
});

test("walking the whole console under the policy: no violation, no htmx or console error, htmx works", async () => {
  await signIn(page, app.url, "admin", ADMIN_PASSWORD);
  expect(
    await page.evaluate(
      () => (window as unknown as { htmx: { config: Record<string, unknown> } }).htmx.config.allowEval,
    ),
  ).toBe(false);
  expect(await page.evaluate(() => document.querySelectorAll("style").length)).toBe(0); // htmx injected none

  // tokens: New (and a change of group), the key dialog, copy, Edit, Request example, Share, disable, delete
  await throughDialog(
    () => page.click("button:has-text('New')"),
    async () => {
      await page.fill('dialog input[name="name"]', "csp-walk");
      // a change of group redraws the model list (an htmx GET without a trigger filter)
      const redrawn = page.waitForResponse((r) => r.url().includes("/token/models"), { timeout: 5000 });
      await page.selectOption('dialog select[name="fallback1"]', "default");
      await redrawn;
      await page.selectOption('dialog select[name="fallback1"]', "");
      await page.click("dialog button.primary");
      await page.waitForSelector("dialog[open] .key-box", { timeout: 5000 });
      await page.click("dialog[open] .key-box button");
      await page.waitForSelector(".toast:has-text('Copied')", { timeout: 5000 });
    },
  );
  await page.locator("tr", { hasText: "csp-walk" }).locator("button[data-copy-from]").click();
  await page.waitForSelector(".toast:has-text('Copied')", { timeout: 5000 });
  await throughDialog(() => rowMenu("csp-walk", "Edit"));
  await throughDialog(
    () => rowMenu("csp-walk", "Request example"),
    async () => {
      await page.locator("dialog[open] .snippet button").first().click();
    },
  );
  await throughDialog(() => rowMenu("csp-walk", "Share"));
  await rowMenu("csp-walk", "Disable");
  await page.waitForSelector("tr:has-text('csp-walk') .badge.off", { timeout: 5000 });
  await rowMenu("csp-walk", "Delete");
  await page.waitForSelector("tr:has-text('csp-walk')", { state: "detached", timeout: 5000 });

  // the user pages
  for (const path of ["/log", "/dashboard", "/groups", "/pricing", "/account"]) await page.goto(app.url + path);
  await page.goto(`${app.url}/pricing`);
  await page.fill('input[name="q"]', "gpt");
  await page.waitForURL(/\?q=gpt/, { timeout: 5000 }); // hx-push-url after the delayed search
  await page.goto(`${app.url}/log?model=gpt-4o-mini`);
  await page.goto(`${app.url}/account`);
  await throughDialog(() => page.click("button:has-text('Create access token'), button:has-text('access token')"));

  // the admin pages and their dialogs
  await page.goto(`${app.url}/admin/channels`);
  await throughDialog(
    () => page.click("button:has-text('New')"),
    async () => {
      await page.selectOption('dialog select[name="type"]', "anthropic");
    },
  );
  await page.locator("tr", { hasText: "mock" }).locator("td.test button").click();
  await page.waitForSelector("tr:has-text('mock') .test-result .badge", { timeout: 10_000 });
  await throughDialog(() => rowMenu("mock", "Edit"));
  await page.goto(`${app.url}/admin/users`);
  await throughDialog(() => page.click("button:has-text('New')"));
  await throughDialog(() => rowMenu("admin", "Top up"));
  await throughDialog(() => rowMenu("admin", "Tokens"));
  await page.goto(`${app.url}/admin/groups`);
  await throughDialog(() => page.click("button:has-text('New')"));
  await page.goto(`${app.url}/admin/pricing`);
  await throughDialog(() => page.click("button:has-text('New')"));
  await page.goto(`${app.url}/admin/settings`);
  await page.click("#settings-form button.primary");
  await page.waitForSelector(".toast:has-text('Settings saved')", { timeout: 5000 });
  await page.goto(`${app.url}/admin/logs`);
  await page.goto(`${app.url}/admin/dashboard?period=today`);
  await page.fill('input[name="from"]', "2026-01-01");
  await page.click("button:has-text('Show these days')");
  await page.waitForURL(/period=custom/, { timeout: 5000 });

  await page.click("button:has-text('Sign out')");
  await page.waitForURL(/\/login/);
  expect(watch.problems()).toEqual([]);
}, 60_000);
