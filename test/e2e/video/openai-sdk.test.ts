// Video jobs through the official `openai` SDK, unmodified, against a real server and the mock video
// upstream: videos.create → retrieve until completed → downloadContent gives the upstream's bytes;
// billed the seconds the upstream made × the price × the group's multiplier, in one log row (endpoint
// videos); a failed job costs nothing (the hold back whole, used_quota unchanged); a job that reports
// more seconds than were held is charged the hold; another user's job id is 404; no upstream key in
// any reply. The poller runs on the server's test clock, moved forward by the test.
import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { expectReply } from "../../support/expect";
import { untilFinalSdk } from "../../support/video-jobs";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo, videoBytes } from "../../support/mock-video";
import { makeUser, testClock, useServer } from "../../support/server";

const mock = startMockVideo({ keys: ["sk-up-video"] });
const app = useServer({ env: testClock() });
let gw: Gateway;
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let aliceKey: string;
const MODEL = "sora-2";

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  // $0.10 per second, $0.25 at 1792x1024; 4 s when a request names none, at most 12
  const video = { per_second: "0.10", sizes: { "1792x1024": "0.25" }, default_seconds: 4, max_seconds: 12 };
  expectReply(await gw.admin.post("/api/pricing/", { model: MODEL, video }), 201);
  const ch = { name: "video-openai", type: "openai", base_url: mock.openaiUrl, key: "sk-up-video", models: [MODEL] };
  expectReply(await gw.admin.post("/api/channel/", ch), 201);
  alice = await makeUser(app.url, gw.auth, "alice-video");
  bob = await makeUser(app.url, gw.auth, "bob-video");
  expectReply(await gw.admin.post(`/api/user/${alice.id}/topup`, { quota: 5_000_000 }), 200); // $10
  aliceKey = expectReply(await alice.api.post("/api/token/", { name: "v", unlimited_quota: true }), 201).key;
});
afterAll(() => mock.stop());

const sdk = (key: string) => new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 });
const me = async (u: typeof alice) => expectReply(await u.api.get("/api/user/self"), 200);

const untilFinal = (client: OpenAI, id: string) => untilFinalSdk(client, gw, id);

test("create → retrieve until completed → downloadContent; billed seconds × price × multiplier", async () => {
  const before = await me(alice);
  const client = sdk(aliceKey);
  const created = await client.videos.create({
    model: MODEL,
    prompt: "a cat on a piano",
    seconds: "8",
    size: "1280x720",
  });
  expect(created.id).toMatch(/^video_[0-9a-z]{32}$/);
  expect(created.status).toBe("queued");
  expect(created.object).toBe("video");
  const held = await me(alice);
  expect(before.quota - held.quota).toBe(400_000); // 8 s × $0.10 held
  const done = await untilFinal(client, created.id);
  expect(done.status).toBe("completed");
  expect(done.progress).toBe(100);
  const content = await client.videos.downloadContent(created.id);
  const bytes = new Uint8Array(await content.arrayBuffer());
  const upstream = mock.jobs.at(-1)!;
  expect(Buffer.from(bytes).equals(Buffer.from(videoBytes(upstream.id)))).toBe(true);
  // the mock reports the seconds asked: 8 s × $0.10 × 1 = $0.80 = 400,000 units, and nothing more
  await Bun.sleep(250);
  const after = await me(alice);
  expect(before.quota - after.quota).toBe(400_000);
  expect(after.used_quota - before.used_quota).toBe(400_000);
  const rows = expectReply(await gw.admin.get(`/api/log/?username=alice-video&model=${MODEL}`), 200).items;
  const row = rows.find((r: { endpoint: string }) => r.endpoint === "videos");
  expect(row).toMatchObject({ type: 2, quota: 400_000, model_name: MODEL, status_code: 200 });
  expect(JSON.stringify(row)).not.toContain("sk-up-video");
  expect(JSON.stringify(done)).not.toContain("sk-up-video");
});

test("a failed upstream job: hold released, 0 charged, used_quota unchanged", async () => {
  mock.set({ fail: true });
  try {
    const before = await me(alice);
    const client = sdk(aliceKey);
    const created = await client.videos.create({ model: MODEL, prompt: "fails", seconds: "4" });
    const done = await untilFinal(client, created.id);
    expect(done.status).toBe("failed");
    expect(done.error?.message).toBeTruthy();
    await Bun.sleep(250);
    const after = await me(alice);
    expect(after.quota).toBe(before.quota);
    expect(after.used_quota).toBe(before.used_quota);
  } finally {
    mock.set({ fail: false });
  }
});

test("more seconds than held: charged the hold, never more", async () => {
  mock.set({ moreSeconds: 6 });
  try {
    const before = await me(alice);
    const client = sdk(aliceKey);
    const created = await client.videos.create({ model: MODEL, prompt: "long", size: "1792x1024" }); // 4 s by default
    const done = await untilFinal(client, created.id);
    expect(done.status).toBe("completed");
    await Bun.sleep(250);
    const after = await me(alice);
    expect(before.quota - after.quota).toBe(500_000); // 4 s × $0.25 held = $1.00, charged the hold
  } finally {
    mock.set({ moreSeconds: undefined });
  }
});

test("another user's job id is 404; a bad seconds is 400 naming it", async () => {
  const created = await sdk(aliceKey).videos.create({ model: MODEL, prompt: "mine", seconds: "4" });
  const bobKey = expectReply(await bob.api.post("/api/token/", { name: "b", unlimited_quota: true }), 201).key;
  const theirs = await fetch(`${app.url}/v1/videos/${created.id}`, { headers: { authorization: `Bearer ${bobKey}` } });
  expect(theirs.status).toBe(404);
  const bad = await fetch(`${app.url}/v1/videos`, {
    method: "POST",
    headers: { authorization: `Bearer ${aliceKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, prompt: "x", seconds: "99" }),
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("seconds");
  const list = await sdk(aliceKey).videos.list({ limit: 2 });
  expect(list.data.length).toBe(2);
  expect(list.data.every((v) => v.id.startsWith("video_"))).toBe(true);
});
