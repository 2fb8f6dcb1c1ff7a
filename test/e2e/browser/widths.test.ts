// Chinese labels are shorter and English ones longer: at 1280 px (a laptop) and 390 px (a phone), in
// both languages, no table on any console page cuts off its last column. At 1280 px the last column
// is visible without scrolling sideways; at 390 px a table either turns into cards (.cards) or fits,
// or its last column can be scrolled to inside the table's own box (.table-wrap, overflow-x: auto):
// what a box neither shows nor scrolls to is what the check calls clipped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import type { Lang } from "../../../src/i18n";
import { openBrowser, signIn } from "../../support/browser";
import { startMockUpstream } from "../../support/mock-upstream";
import { startMockVideo } from "../../support/mock-video";
import { ADMIN_PASSWORD, call, chatCall, login, makeUser, priceModels, useServer } from "../../support/server";
import { createVideo, VIDEO_PRICE } from "../../support/video-jobs";

const MODEL = "gpt-4o-mini";
const mock = startMockUpstream({ models: [MODEL] });
const videoMock = startMockVideo();
const app = useServer();
let browser: Browser;

const PAGES = [
  "/token",
  "/log",
  "/videos",
  "/dashboard",
  "/topup",
  "/groups",
  "/pricing",
  "/account",
  "/admin/dashboard",
  "/admin/channels",
  "/admin/users",
  "/admin/redemptions",
  "/admin/groups",
  "/admin/pricing",
  "/admin/logs",
  "/admin/settings",
];

beforeAll(async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const ch = { name: "a-channel-with-a-longer-name", base_url: mock.url, key: "sk-up", models: MODEL };
  expect((await call(app.url, "POST", "/api/channel/", ch, admin)).status).toBe(201);
  await priceModels(app.url, admin, MODEL);
  await makeUser(app.url, admin, "a-second-user");
  await call(app.url, "POST", "/api/redemption/", { name: "launch-codes", quota: 5_000_000, count: 2 }, admin);
  const token = { name: "a-token-with-a-long-name", remain_quota: 5_000_000 };
  const key = (await call(app.url, "POST", "/api/token/", token, admin)).body.data.key as string;
  for (let i = 0; i < 3; i++) await (await chatCall(app.url, key, MODEL)).text();
  // a video job, so that /videos has a row (live or finished, whichever it is by then)
  await call(app.url, "POST", "/api/pricing/", { model: "sora-2", video: VIDEO_PRICE }, admin);
  const video = { name: "videos", type: "openai", base_url: videoMock.openaiUrl, key: "sk-up", models: "sora-2" };
  expect((await call(app.url, "POST", "/api/channel/", video, admin)).status).toBe(201);
  await createVideo(app.url, key, { model: "sora-2", prompt: "a long pan across a city at night", size: "1280x720" });
  ({ browser } = await openBrowser(app.url));
});
afterAll(async () => {
  await browser?.close();
  mock.stop();
  videoMock.stop();
});

/** The last cells of every shown table that are cut off: outside the viewport, or outside a box that
 * hides its overflow; with `scrollOk`, a box that scrolls sideways counts as showing what it holds. */
function lastColumnClipped(page: Page, scrollOk: boolean): Promise<string[]> {
  return page.$$eval(
    "table tr > :last-child",
    (cells, scrollOk) => {
      const out: string[] = [];
      const vw = document.documentElement.clientWidth;
      for (const cell of cells) {
        const r = cell.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // a hidden table (a closed dialog, an empty list)
        // the right edge that must be visible: the cell's, or (once a box scrolls to it) that box's
        let edge = r.right;
        let right = vw;
        for (let a = cell.parentElement; a; a = a.parentElement) {
          const s = getComputedStyle(a);
          if (s.overflowX === "visible") continue;
          const box = a.getBoundingClientRect();
          if (scrollOk && (s.overflowX === "auto" || s.overflowX === "scroll")) edge = Math.min(edge, box.right);
          else right = Math.min(right, box.right);
        }
        if (edge > right + 1) {
          const head = cell.closest("table")?.querySelector("th:last-child")?.textContent?.trim() ?? "";
          out.push(`"${head}" column: ends at ${Math.round(edge)} px, visible to ${Math.round(right)} px`);
        }
      }
      return [...new Set(out)];
    },
    scrollOk,
  );
}

describe.each(["en", "zh-CN"] as Lang[])("in %s", (lang) => {
  for (const width of [1280, 390]) {
    test(`at ${width} px no table clips its last column`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
      const page = await context.newPage();
      await signIn(page, app.url, "admin", ADMIN_PASSWORD);
      const found: Record<string, string[]> = {};
      for (const path of PAGES) {
        await page.goto(`${app.url}${path}`);
        expect(await page.locator("html").getAttribute("lang")).toBe(lang);
        const clipped = await lastColumnClipped(page, width < 640);
        if (clipped.length) found[path] = clipped;
      }
      await context.close();
      expect(found).toEqual({});
    });
  }
});
