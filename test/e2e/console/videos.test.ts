// The console's video pieces over HTTP, in English and Chinese: /videos lists the user's jobs newest
// first (paged) with status, progress, seconds, size and cost (in the reader's currency), a player for
// a finished video whose cookie-authenticated content route serves the upstream's bytes (another
// user: 404; nobody: sign in), a live job's row that refreshes itself until it is final; /log's
// "video" type filter and the row's link to the video while it is kept; the token's Request
// example's video snippets.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { FAIL_MESSAGE, startMockVideo, videoBytes } from "../../support/mock-video";
import { makeUser, testClock, useServer } from "../../support/server";
import { addVideoChannel, createVideo, finishedVideo, untilFinal } from "../../support/video-jobs";

setDefaultTimeout(30_000);

const MODEL = "sora-2";
const mock = startMockVideo({ keys: ["sk-up-video"] });
const app = useServer({ env: testClock(), args: ["--public-url", "https://gw.example.com"] });
const { page, fragment } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9" };
const EN = { "accept-language": "en-US,en;q=0.9" };
let gw: Gateway;
let ann: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let annToken: { id: number; key: string };
let done: { id: string };

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  await addVideoChannel(gw, mock.openaiUrl, "sk-up-video", MODEL);
  ann = await makeUser(app.url, gw.auth, "ann-video");
  bob = await makeUser(app.url, gw.auth, "bob-video");
  expectReply(await gw.admin.post(`/api/user/${ann.id}/topup`, { quota: 5_000_000 }), 200); // $10
  const t = expectReply(await ann.api.post("/api/token/", { name: "films", unlimited_quota: true }), 201);
  annToken = { id: t.token?.id ?? t.id, key: t.key };
  done = await finishedVideo(app.url, annToken.key, gw, { model: MODEL, prompt: "a cat", seconds: "8" });
  expect(done).toMatchObject({ status: "completed" });
});
afterAll(() => mock.stop());

/** The row of a job on /videos, or "". */
const rowOf = (html: string, id: string) => new RegExp(`<tr id="job-${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? "";

describe.each([
  ["en", EN, "Videos", "completed", "$0.80", "8 s"],
  ["zh-CN", ZH, "视频", "已完成", "$0.80", "8 秒"],
] as const)("/videos in %s", (_lang, lang, title, completed, cost, seconds) => {
  test("a finished job: its status, seconds, cost and a player on the content route", async () => {
    const r = await page("/videos", ann.auth, lang);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<title>${title} · apiyi</title>`);
    expect(r.text).toContain(`<a href="/videos" class="active">${title}</a>`);
    const row = rowOf(r.text, done.id);
    expect(row).toContain(MODEL);
    expect(row).toContain(`>${completed}</span>`);
    expect(row).toContain(cost);
    expect(row).toContain(seconds);
    expect(row).toContain("100%");
    expect(row).toContain(`<video controls preload="none" src="/videos/${done.id}/content"`);
    expect(row).not.toContain("hx-trigger"); // final: nothing refreshes
  });
});

test("the content route serves the upstream's bytes with the owner's cookie; others get 404", async () => {
  const url = `${app.url}/videos/${done.id}/content`;
  const mine = await fetch(url, { headers: { cookie: ann.auth.cookie } });
  expect(mine.status).toBe(200);
  expect(mine.headers.get("content-type")).toBe("video/mp4");
  const upstream = mock.jobs.find((j) => j.prompt === "a cat")!;
  expect(Buffer.from(await mine.arrayBuffer()).equals(Buffer.from(videoBytes(upstream.id)))).toBe(true);
  const theirs = await fetch(url, { headers: { cookie: bob.auth.cookie, ...ZH } });
  expect(theirs.status).toBe(404);
  expect(await theirs.text()).toContain(`视频任务 ${done.id} 不存在`);
  expect((await fetch(`${app.url}/videos/video_nope/content`, { headers: { cookie: ann.auth.cookie } })).status).toBe(
    404,
  );
  const nobody = await fetch(url, { redirect: "manual" });
  expect(nobody.status).toBe(302);
  expect(nobody.headers.get("location")).toStartWith("/login");
  // bob's own /videos is empty, and ann's job does not show as his
  const list = await page("/videos", bob.auth, EN);
  expect(list.text).not.toContain(done.id);
  expect(list.text).toContain("No video jobs yet");
  expect(rowOf((await page(`/videos?job=${done.id}`, bob.auth, EN)).text, done.id)).toBe("");
  const row = await fragment(`/videos/${done.id}/row`, bob.auth, EN);
  expect(row.text).toBe("");
  expect(row.trigger.toast).toMatchObject({ kind: "error", message: `video job ${done.id} not found` });
});

test("a live job's row refreshes itself until it is final, showing what is held", async () => {
  const live = await createVideo(app.url, annToken.key, { model: MODEL, prompt: "a slow dog", seconds: "6" });
  const en = rowOf((await page("/videos", ann.auth, EN)).text, live.id);
  expect(en).toContain(`hx-get="/videos/${live.id}/row"`);
  expect(en).toContain('hx-trigger="every 3s"');
  expect(en).toContain("held $0.60");
  expect(en).toContain("<progress");
  expect(rowOf((await page("/videos", ann.auth, ZH)).text, live.id)).toContain("预扣 $0.60");
  // newest first: the live job above the finished one
  const text = (await page("/videos", ann.auth, EN)).text;
  expect(text.indexOf(live.id)).toBeLessThan(text.indexOf(done.id));
  await untilFinal(app.url, annToken.key, gw, live.id);
  const row = await fragment(`/videos/${live.id}/row`, ann.auth, EN);
  expect(row.text).toStartWith(`<tr id="job-${live.id}"`);
  expect(row.text).not.toContain("hx-trigger");
  expect(row.text).toContain("$0.60");
});

test("paged: newest first, an Older link to the rest and a Newest link back", async () => {
  const first = await page("/videos?size=1", ann.auth, EN);
  const older = /href="(\/videos\?after=[^"]+)"/.exec(first.text)?.[1];
  expect(older).toBeTruthy();
  const second = await page(older!.replaceAll("&amp;", "&"), ann.auth, EN);
  expect(second.text).toContain('href="/videos?size=1"');
  // two jobs so far: the newer (live one above) on the first page, the finished one on the second
  expect(first.text.match(/<tr id="job-/g)?.length).toBe(1);
  expect(rowOf(first.text, done.id)).toBe("");
  expect(rowOf(second.text, done.id)).toContain(done.id);
  expect(second.text).not.toContain('href="/videos?after=');
});

describe.each([
  ["en", EN, "video", "watch"],
  ["zh-CN", ZH, "视频", "观看"],
] as const)("/log in %s", (_lang, lang, video, watch) => {
  test('the type filter "video" shows the video jobs\' rows, each linking to its video', async () => {
    await Bun.sleep(300); // the ledger's batch
    const all = await page("/log", ann.auth, lang);
    expect(all.text).toContain(`<option value="video">${video}</option>`);
    expect(all.text).toContain('class="badge info"'); // the top-up row
    const r = await page("/log?type=video", ann.auth, lang);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<option value="video" selected>${video}</option>`);
    expect(r.text).not.toContain('class="badge info"'); // no top-up row under the filter
    expect(r.text).toContain(`<a class="watch-tag" href="/videos?job=${done.id}">${watch}</a>`);
    expect(r.text).toContain('data-count="2"'); // two video jobs ended so far
    const one = await page(`/videos?job=${done.id}`, ann.auth, lang);
    expect(rowOf(one.text, done.id)).toContain(`src="/videos/${done.id}/content"`);
    const csv = await page("/log.csv?type=video", ann.auth);
    expect(csv.text.trim().split("\n").length).toBe(3); // header + two jobs
  });
});

describe.each([
  ["en", EN, "Video with curl and jq: create, poll, download"],
  ["zh-CN", ZH, "视频：用 curl 和 jq 提交、轮询、下载"],
] as const)("the Request example in %s", (_lang, lang, curlTitle) => {
  test("gains video snippets when the token reaches a video model", async () => {
    const r = await fragment(`/token/${annToken.id}/example`, ann.auth, lang);
    expect(r.status).toBe(200);
    expect(r.text).toContain(curlTitle);
    const code = (id: string) =>
      (new RegExp(`id="snippet-${id}">[\\s\\S]*?<pre><code>([\\s\\S]*?)</code>`).exec(r.text)?.[1] ?? "")
        .replaceAll("&quot;", '"')
        .replaceAll("&#39;", "'")
        .replaceAll("&amp;", "&")
        .replaceAll("&gt;", ">")
        .replaceAll("&lt;", "<");
    const curl = code("video-curl");
    expect(curl).toContain("https://gw.example.com/v1/videos");
    expect(curl).toContain(`Authorization: Bearer ${annToken.key}`);
    expect(curl).toContain(`"model":"${MODEL}"`);
    expect(curl).toContain('"$ID/content"');
    const py = code("video-python");
    expect(py).toContain("client.videos.create(");
    expect(py).toContain("client.videos.retrieve(video.id)");
    expect(py).toContain("client.videos.download_content(video.id)");
    const node = code("video-node");
    expect(node).toContain("client.videos.create(");
    expect(node).toContain("client.videos.retrieve(video.id)");
    expect(node).toContain("client.videos.downloadContent(video.id)");
  });
});

test("a reader in yuan sees the cost in ¥", async () => {
  const set = (body: Record<string, unknown>) => gw.admin.put("/api/setting", body);
  expectReply(await set({ display_currency: "CNY", usd_to_cny: 7.3 }), 200);
  try {
    // $0.80 at 7.3
    expect(rowOf((await page("/videos", ann.auth, ZH)).text, done.id)).toContain("¥5.84");
  } finally {
    await set({ display_currency: "USD" });
  }
});

test("a token that reaches no video model has no video snippets", async () => {
  const t = expectReply(await bob.api.post("/api/token/", { name: "chat", models: ["gpt-4o-mini"] }), 201);
  const r = await fragment(`/token/${t.token?.id ?? t.id}/example`, bob.auth, EN);
  expect(r.status).toBe(200);
  expect(r.text).not.toContain("snippet-video");
});

test("once the upstream no longer keeps it: no player, no link from /log", async () => {
  await gw.advanceClock(2 * 3600);
  const row = rowOf((await page("/videos", ann.auth, EN)).text, done.id);
  expect(row).not.toContain("<video");
  expect(row).toContain("no longer kept upstream");
  expect((await page("/log?type=video", ann.auth, EN)).text).not.toContain("watch-tag");
  const gone = await fetch(`${app.url}/videos/${done.id}/content`, { headers: { cookie: ann.auth.cookie } });
  expect(gone.status).toBe(410);
});

test("a failed job: its badge, no cost, and why, in the upstream's words", async () => {
  mock.set({ fail: true });
  try {
    const failed = await finishedVideo(app.url, annToken.key, gw, { model: MODEL, prompt: "fails", seconds: "4" });
    expect(failed.status).toBe("failed");
    const row = rowOf((await page("/videos", ann.auth, ZH)).text, failed.id);
    expect(row).toContain(">失败</span>");
    expect(row).toContain("$0.00");
    expect(row).toContain(FAIL_MESSAGE.slice(0, 30));
    expect(row).not.toContain("<video");
  } finally {
    mock.set({ fail: false });
  }
});
