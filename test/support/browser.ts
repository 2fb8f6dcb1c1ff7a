// Test support: headless Chromium (Debian's, driven by playwright-core; never a downloaded browser),
// launched with the flags this sandbox needs (playwright gives each launch a fresh profile), with
// clipboard access for the page's origin.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.APIYI_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = () => existsSync(CHROMIUM);

export async function openBrowser(origin: string, viewport = { width: 1280, height: 800 }): Promise<{ browser: Browser; context: BrowserContext }> {
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
