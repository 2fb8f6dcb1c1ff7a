// Test support: headless Chromium (Debian's, driven by playwright-core; never a downloaded browser),
// launched with the flags this sandbox needs (playwright gives each launch a fresh profile), with
// clipboard access for the page's origin; signing in through the form; a watch on what goes wrong in
// a page (CSP violations, htmx errors, console errors); and a layout check by element boxes (what is
// cut off by the viewport or a scrolling table).
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.APIYI_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = () => existsSync(CHROMIUM);

export async function openBrowser(
  origin: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ browser: Browser; context: BrowserContext }> {
  if (!hasChromium())
    throw new Error(`the browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  return { browser, context };
}

/** Signs in through the /login form and waits for the token page. */
export async function signIn(page: Page, origin: string, username: string, password: string) {
  await page.goto(`${origin}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click("button.primary");
  await page.waitForURL(/\/token$/);
}

/** What went wrong in a page, as it happened: CSP violations (the securitypolicyviolation event, seen
 * by a script injected before any of the page's own), htmx's error events, console errors and
 * uncaught exceptions. Read `problems()` after walking; `clear()` starts over. */
export async function watchPage(page: Page) {
  const seen: string[] = [];
  await page.exposeFunction("__apiyiProblem", (text: string) => void seen.push(`${page.url()} ${text}`));
  await page.addInitScript(() => {
    const report = (text: string) =>
      (window as unknown as { __apiyiProblem: (t: string) => void }).__apiyiProblem(text);
    document.addEventListener("securitypolicyviolation", (e) =>
      report(`CSP ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
    );
    // htmx's own errors arrive as events on the element (htmx:syntax:error, htmx:evalDisallowedError, …)
    for (const name of [
      "htmx:syntax:error",
      "htmx:evalDisallowedError",
      "htmx:responseError",
      "htmx:sendError",
      "htmx:swapError",
      "htmx:targetError",
      "htmx:oobErrorNoTarget",
    ]) {
      document.addEventListener(name, () => report(name), true);
    }
  });
  page.on("console", (m) => {
    if (m.type() === "error") seen.push(`${page.url()} console: ${m.text()}`);
  });
  page.on("pageerror", (e) => seen.push(`${page.url()} exception: ${e.message}`));
  return { problems: () => [...seen], clear: () => void seen.splice(0) };
}

/** Boxes of elements that stick out of the viewport or are cut off by a scrolling ancestor (the
 * table's own scroll box included): "what is not visible without scrolling sideways". */
export async function clipped(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.trim().slice(0, 30)}" is not shown`);
        continue;
      }
      let right = vw;
      let left = 0;
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX !== "visible") {
          const box = a.getBoundingClientRect();
          right = Math.min(right, box.right);
          left = Math.max(left, box.left);
        }
      }
      if (r.right > right + 0.5 || r.left < left - 0.5) {
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.trim().slice(0, 30)}" spans ${Math.round(r.left)}–${Math.round(r.right)} px, visible ${Math.round(left)}–${Math.round(right)}`,
        );
      }
    }
    return out;
  });
}
