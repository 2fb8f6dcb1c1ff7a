// The seed's journey in a real browser, once in each language (the browser asks for it by its
// Accept-Language, as a reader's would): sign in, create a token in the New dialog, copy its key (read
// back from the clipboard), call the relay with it, see the call in the logs (日志), disable the token
// and watch the next call fail with token_disabled. The words it clicks come from the catalogs, so
// the journey proves each language's page works, not just that it exists. Saves screenshots for
// README (English in docs/screenshots/, Chinese in docs/screenshots/zh-CN/).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { translator, type Lang } from "../../../src/i18n";
import { openBrowser } from "../../support/browser";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, login, priceModels, ROOT, tempDir, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["gpt-4o-mini"] });
const app = useServer();
let browser: Browser;
// README's screenshots are rewritten only on request (APIYI_SCREENSHOTS=1), so a test run leaves the
// checkout as it was
const shotsRoot = process.env.APIYI_SCREENSHOTS ? join(ROOT, "docs/screenshots") : tempDir("apiyi-shots-");

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
  // snippets and share links carry the server's public address, a setting (never the Host header)
  await call(app.url, "PUT", "/api/setting", { public_url: app.url }, admin);
  ({ browser } = await openBrowser(app.url));
});
afterAll(async () => {
  await browser?.close();
  mock.stop();
});

const chat = (key: string) =>
  fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });

describe.each(["en", "zh-CN"] as Lang[])("in %s", (lang) => {
  const { t } = translator(lang);
  const shots = lang === "en" ? shotsRoot : join(shotsRoot, lang);
  const keyName = `browser-key-${lang}`;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  test("sign in → New → copy → call → 日志 → disable → 401 token_disabled", async () => {
    await page.goto(`${app.url}/token`);
    await page.waitForURL(/\/login/);
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    expect(await page.content()).toContain(t("login.lead"));
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', ADMIN_PASSWORD);
    await page.click("button.primary");
    await page.waitForURL(/\/token$/);
    await page.screenshot({ path: join(shots, "token.png") });

    await page.getByRole("button", { name: t("common.new"), exact: true }).click();
    await page.waitForSelector("dialog[open] form");
    await page.fill('dialog input[name="name"]', keyName);
    await page.uncheck('dialog input[name="unlimited"]');
    await page.fill('dialog input[name="quota_usd"]', "5");
    await page.screenshot({ path: join(shots, "token-new-dialog.png") });
    await page.click("dialog button.primary");
    await page.waitForSelector("dialog[open] .key-box");
    const shown = await page.textContent("dialog[open] .key-box code");
    expect(shown).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    await page.click("dialog[open] [data-close]");

    // the row's copy icon fetches the full key and puts it on the clipboard
    const row = page.locator("tr", { hasText: keyName });
    await row.locator("button[data-copy-from]").click();
    await page.waitForSelector(`.toast:has-text('${t("toast.copied")}')`);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown!);

    const ok = await chat(copied);
    expect(ok.status).toBe(200);
    const requestId = ok.headers.get("x-request-id")!;

    // the call is in the logs (日志), reached by the navigation, with its request id; and in the dashboard
    await page
      .locator("header nav")
      .getByRole("link", { name: t("nav.logs"), exact: true })
      .click();
    await page.waitForURL(/\/log$/);
    expect(await page.locator("h1").textContent()).toBe(t("nav.logs"));
    expect(await page.content()).toContain(requestId);
    await page.screenshot({ path: join(shots, "log.png") });
    await page.goto(`${app.url}/dashboard`);
    await page.screenshot({ path: join(shots, "dashboard.png") });
    await page.goto(`${app.url}/token`);
    const used = await page.locator("tr", { hasText: keyName }).textContent();
    expect(used).toContain("$4.99998"); // $5 less the call's 10 units (10 + 5 tokens at $1 / $2 per 1M)

    await page.locator("tr", { hasText: keyName }).locator("summary").click();
    await page
      .locator("tr", { hasText: keyName })
      .locator("button", { hasText: t("tokens.disable") })
      .click();
    await page.waitForSelector(`tr:has-text('${keyName}') .badge.off`);
    const refused = await chat(copied);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("token_disabled");

    // Request example and Share: the snippets and links carry the key and this server's address
    const menu = () => page.locator("tr", { hasText: keyName });
    await menu().locator("summary").click();
    await menu()
      .locator("button", { hasText: t("tokens.example") })
      .click();
    await page.waitForSelector("dialog[open]");
    const example = (await page.textContent("dialog[open]")) ?? "";
    expect(example).toContain(copied);
    expect(example).toContain(app.url);
    await page.screenshot({ path: join(shots, "request-example.png") });
    await page.click("dialog[open] [data-close]");
    await menu().locator("summary").click();
    await menu()
      .locator("button", { hasText: t("tokens.share") })
      .click();
    await page.waitForSelector("dialog[open]");
    const hrefs = await page
      .locator("dialog[open] a[href]")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    const ama = decodeURIComponent(hrefs.find((h) => h.startsWith("ama://"))!);
    expect(ama).toContain(copied);
    expect(ama).toContain(app.url);
  });

  test("the token page on a 390-pixel phone screen", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${app.url}/token`);
    expect(await phone.locator("h1").textContent()).toBe(t("tokens.title"));
    await phone.screenshot({ path: join(shots, "token-phone.png") });
    await phone.close();
  });
});
