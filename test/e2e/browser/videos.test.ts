// /videos in Chromium: the page renders under the console's Content-Security-Policy without a
// violation, an htmx error or a console error; a finished job's <video> loads its source through the
// cookie-authenticated content route (the browser sends no key: its session cookie is all it has); a
// live job's row refreshes itself (htmx polling) until it shows the finished job and its player.
// The mock's MP4 is noise that no browser decodes, so the channel here points at a thin front that
// passes everything to the mock but answers the content with a real, tiny WAV (a <video> element
// plays audio-only media): what the test proves is the route, the cookie and the policy, not a codec.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { openBrowser, signIn, watchPage } from "../../support/browser";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { makeUser, testClock, useServer } from "../../support/server";
import { addVideoChannel, createVideo, finishedVideo } from "../../support/video-jobs";

/** Half a second of a 440 Hz tone: 8 kHz, 16-bit mono PCM in a RIFF/WAVE file. */
function toneWav(): Uint8Array<ArrayBuffer> {
  const rate = 8000;
  const samples = rate / 2;
  const out = new DataView(new ArrayBuffer(44 + samples * 2));
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => out.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  out.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVEfmt ");
  out.setUint32(16, 16, true); // fmt chunk size
  out.setUint16(20, 1, true); // PCM
  out.setUint16(22, 1, true); // mono
  out.setUint32(24, rate, true);
  out.setUint32(28, rate * 2, true); // bytes per second
  out.setUint16(32, 2, true); // block align
  out.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  out.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++)
    out.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
  return new Uint8Array(out.buffer);
}

const mock = startMockVideo({ keys: ["sk-up-video"] });
const wav = toneWav();
/** The mock's OpenAI video protocol, but a playable file for every job's content. */
const front = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname.endsWith("/content")) return new Response(wav, { headers: { "content-type": "audio/wav" } });
    const headers: Record<string, string> = {};
    for (const h of ["authorization", "content-type"]) if (req.headers.has(h)) headers[h] = req.headers.get(h)!;
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
    return fetch(`${new URL(mock.openaiUrl).origin}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body,
    });
  },
});
const app = useServer({ env: testClock() });
let gw: Gateway;
let browser: Browser;
let page: Page;
let watch: Awaited<ReturnType<typeof watchPage>>;
let key: string;
let done: { id: string };

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  await addVideoChannel(gw, `http://127.0.0.1:${front.port}/v1`, "sk-up-video");
  const vee = await makeUser(app.url, gw.auth, "vee", "vee-password-1");
  expectReply(await gw.admin.post(`/api/user/${vee.id}/topup`, { quota: 5_000_000 }), 200); // $10
  key = expectReply(await vee.api.post("/api/token/", { name: "films", unlimited_quota: true }), 201).key;
  done = await finishedVideo(app.url, key, gw, { model: "sora-2", prompt: "a tone", seconds: "4" });
  const opened = await openBrowser(app.url);
  browser = opened.browser;
  page = await opened.context.newPage();
  watch = await watchPage(page);
  await signIn(page, app.url, "vee", "vee-password-1");
});
afterAll(async () => {
  await browser?.close();
  front.stop(true);
  mock.stop();
});

test("a finished job's player loads its source through the content route, under the CSP", async () => {
  await page.goto(`${app.url}/videos`);
  const video = page.locator(`tr#job-${done.id} video`);
  expect(await video.getAttribute("src")).toBe(`/videos/${done.id}/content`);
  const served = page.waitForResponse((r) => r.url().endsWith(`/videos/${done.id}/content`), { timeout: 10_000 });
  // preload="none" keeps a page of players from fetching anything until one is played: ask for it
  const loaded = await video.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<{ ready: number; error: number | null }>((resolve) => {
        const report = () => resolve({ ready: v.readyState, error: v.error?.code ?? null });
        v.addEventListener("loadedmetadata", report, { once: true });
        v.addEventListener("error", report, { once: true });
        setTimeout(report, 10_000); // neither: report what there is
        v.preload = "metadata";
        v.load();
      }),
  );
  const res = await served;
  expect(res.status()).toBe(200);
  expect(loaded.error).toBeNull();
  expect(loaded.ready).toBeGreaterThanOrEqual(1);
  expect(watch.problems()).toEqual([]);
});

test("a live job's row refreshes itself until it shows the finished job and its player", async () => {
  const live = await createVideo(app.url, key, { model: "sora-2", prompt: "a later tone", seconds: "4" });
  await page.goto(`${app.url}/videos`);
  const row = page.locator(`tr#job-${live.id}`);
  expect(await row.getAttribute("hx-trigger")).toBe("every 3s");
  // the server's clock moves the job on; the row asks for itself again and sees it end
  for (let i = 0; i < 6; i++) {
    await gw.advanceClock(31);
    await Bun.sleep(60);
  }
  await page.waitForSelector(`tr#job-${live.id}[data-state="completed"] video`, { timeout: 15_000 });
  expect(await row.getAttribute("hx-trigger")).toBeNull();
  expect(watch.problems()).toEqual([]);
});
