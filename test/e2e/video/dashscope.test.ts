// Wan video jobs on "dashscope" channels (Alibaba Cloud Model Studio's asynchronous tasks), through the
// official `openai` SDK unmodified, against a real server and the mock video upstream's DashScope
// protocol: videos.create → retrieve until completed → downloadContent gives the mock's bytes, fetched
// from its OSS host without any key; billed at the seconds the task reports (usage.video_duration);
// an Arrearage answer fails over to the next channel and leaves the first enabled; the seed's example
// of a dedicated "Wan" group as the key's fallback (served there, billed at its multiplier); a DELETE
// of a PENDING job cancels the task upstream and gives the hold back whole; a task the upstream does
// not know (UNKNOWN) is asked again, then failed and refunded; the channel test checks the key without
// making a video. The poller runs on the server's test clock, moved by the test.
import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import type { VideoSeconds } from "openai/resources/videos";
import { expectReply } from "../../support/expect";
import { untilFinalSdk } from "../../support/video-jobs";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo, videoBytes } from "../../support/mock-video";
import { makeUser, testClock, useServer } from "../../support/server";

const KEY = "sk-up-dashscope";
const mock = startMockVideo({ keys: [KEY] });
const app = useServer({ env: testClock() });
let gw: Gateway;
let user: Awaited<ReturnType<typeof makeUser>>;
let userKey: string;
let wanKey: string;
let broke: { id: number };

const MODEL = "wan2.2-t2v-plus"; // one channel, default group
const FAILOVER = "wan2.5-t2v-preview"; // an Arrearage channel first, then a good one
const WAN_ONLY = "wan2.6-t2v"; // only in the dedicated "Wan" group
const REKEYED = "wanx2.1-t2v-turbo"; // its channel's key is replaced while a job runs
/** Wan's 5 s: the SDK types seconds as Sora's "4" | "8" | "12", and sends whatever string it is given */
const FIVE = "5" as VideoSeconds;
const SYNTHESIS = "/api/v1/services/aigc/video-generation/video-synthesis";

const channel = (name: string, model: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "dashscope",
  base_url: mock.dashscopeUrl,
  key: KEY,
  models: [model],
  ...extra,
});

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  // $0.10 per second; Wan makes 5 s when a request names none, at most 10
  const video = { per_second: "0.10", default_seconds: 5, max_seconds: 10 };
  for (const model of [MODEL, FAILOVER, WAN_ONLY, REKEYED])
    expectReply(await gw.admin.post("/api/pricing/", { model, video }), 201);
  expectReply(await gw.admin.post("/api/group/", { name: "Wan", multiplier: "0.8" }), 201);
  expectReply(await gw.admin.post("/api/channel/", channel("wan-main", MODEL)), 201);
  const arrearage = mock.urlFor("insufficientBalance,tag=broke", "dashscope");
  broke = expectReply(
    await gw.admin.post("/api/channel/", channel("wan-broke", FAILOVER, { base_url: arrearage, priority: 10 })),
    201,
  );
  expectReply(await gw.admin.post("/api/channel/", channel("wan-good", FAILOVER)), 201);
  expectReply(await gw.admin.post("/api/channel/", channel("wan-group", WAN_ONLY, { group: ["Wan"] })), 201);
  user = await makeUser(app.url, gw.auth, "wan-user");
  expectReply(await gw.admin.post(`/api/user/${user.id}/topup`, { quota: 5_000_000 }), 200); // $10
  userKey = expectReply(await user.api.post("/api/token/", { name: "w", unlimited_quota: true }), 201).key;
  const fallback = { name: "wan-fallback", unlimited_quota: true, fallback_groups: ["Wan"] };
  wanKey = expectReply(await user.api.post("/api/token/", fallback), 201).key;
});
afterAll(() => mock.stop());

const sdk = (key: string) => new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 });
const me = async () => expectReply(await user.api.get("/api/user/self"), 200);

const untilFinal = (client: OpenAI, id: string) => untilFinalSdk(client, gw, id);

/** The job's one log row (endpoint videos), once written. */
async function videoRow(model: string) {
  for (let i = 0; i < 100; i++) {
    const rows = expectReply(await gw.admin.get(`/api/log/?username=wan-user&model=${model}`), 200).items;
    const row = rows.find((r: { endpoint: string }) => r.endpoint === "videos");
    if (row) return row;
    await Bun.sleep(50);
  }
  throw new Error(`no videos log row for ${model}`);
}

test("create → retrieve until completed → downloadContent; billed at the reported usage.video_duration", async () => {
  mock.set({ moreSeconds: -3 }); // asked 8 s, the task reports 5
  try {
    const before = await me();
    const client = sdk(userKey);
    const created = await client.videos.create({ model: MODEL, prompt: "a fox", seconds: "8", size: "1280x720" });
    expect(created).toMatchObject({ status: "queued", model: MODEL, seconds: "8", size: "1280x720" });
    expect(before.quota - (await me()).quota).toBe(400_000); // 8 s × $0.10 held
    const submit = mock.requests.find((r) => r.path === SYNTHESIS)!;
    expect(submit.headers["x-dashscope-async"]).toBe("enable");
    expect(submit.body).toEqual({
      model: MODEL,
      input: { prompt: "a fox" },
      parameters: { duration: 8, size: "1280*720" },
    });
    const done = await untilFinal(client, created.id);
    expect(done).toMatchObject({ status: "completed", progress: 100, seconds: FIVE });
    const content = await client.videos.downloadContent(created.id);
    const bytes = Buffer.from(await content.arrayBuffer());
    const task = mock.jobs.at(-1)!;
    expect(bytes.equals(Buffer.from(videoBytes(task.id)))).toBe(true);
    // the OSS host got no key; a thumbnail does not exist on DashScope
    expect(mock.keyLeaks()).toBe(0);
    expect(mock.requests.filter((r) => r.protocol === "storage").length).toBe(1);
    const thumb = await fetch(`${app.url}/v1/videos/${created.id}/content?variant=thumbnail`, {
      headers: { authorization: `Bearer ${userKey}` },
    });
    expect(thumb.status).toBe(404);
    // 5 s × $0.10 × 1 = $0.50 = 250,000 units
    const row = await videoRow(MODEL);
    expect(row).toMatchObject({ type: 2, quota: 250_000, model_name: MODEL, status_code: 200 });
    const after = await me();
    expect(before.quota - after.quota).toBe(250_000);
    expect(after.used_quota - before.used_quota).toBe(250_000);
    for (const reply of [row, done]) expect(JSON.stringify(reply)).not.toContain(KEY);
  } finally {
    mock.set({ moreSeconds: undefined });
  }
});

test("an Arrearage answer fails over to the next channel; the first stays enabled", async () => {
  const client = sdk(userKey);
  const created = await client.videos.create({ model: FAILOVER, prompt: "a river", seconds: FIVE });
  const refused = mock.requests.filter((r) => r.path === SYNTHESIS && r.tag === "broke");
  expect(refused.length).toBe(1);
  expect(mock.job(mock.jobs.at(-1)!.id)!.tag).toBe(""); // the good channel made it
  expect((await untilFinal(client, created.id)).status).toBe("completed");
  const row = await videoRow(FAILOVER);
  expect(row.attempts.map((a: { channel_id: number }) => a.channel_id)[0]).toBe(broke.id);
  expect(row.attempts[0]).toMatchObject({ status: 400, error: "video_submit" });
  expect(row.attempts[0].cause).toContain("Arrearage");
  expect((await gw.channel(broke.id)).status).toBe(1);
});

test("the seed's example: a key whose fallback is a dedicated Wan group is served there, at its multiplier", async () => {
  const before = await me();
  const client = sdk(wanKey);
  const created = await client.videos.create({ model: WAN_ONLY, prompt: "lanterns", seconds: FIVE });
  expect(before.quota - (await me()).quota).toBe(200_000); // 5 s × $0.10 × 0.8 held
  expect((await untilFinal(client, created.id)).status).toBe("completed");
  const row = await videoRow(WAN_ONLY);
  expect(row).toMatchObject({ quota: 200_000, group: "Wan" });
  expect(before.quota - (await me()).quota).toBe(200_000);
  // the default key has no such model in its groups
  const other = await fetch(`${app.url}/v1/videos`, {
    method: "POST",
    headers: { authorization: `Bearer ${userKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: WAN_ONLY, prompt: "x" }),
  });
  expect(other.status).toBe(404);
});

test("DELETE of a PENDING job cancels the task upstream and gives the hold back whole", async () => {
  const before = await me();
  const client = sdk(userKey);
  const created = await client.videos.create({ model: MODEL, prompt: "to be cancelled", seconds: FIVE });
  const task = mock.jobs.at(-1)!;
  expect(task.status).toBe("queued");
  expect(before.quota - (await me()).quota).toBe(250_000);
  const deleted = await client.videos.delete(created.id);
  expect(deleted.deleted).toBe(true);
  expect(task).toMatchObject({ cancelled: true, status: "cancelled" });
  const cancel = mock.requests.find((r) => r.path === `/api/v1/tasks/${task.id}/cancel`)!;
  expect(cancel.method).toBe("POST");
  const after = await me();
  expect(after.quota).toBe(before.quota);
  expect(after.used_quota).toBe(before.used_quota);
  expect((await client.videos.retrieve(created.id)).status).toBe("failed");
});

test("the channel test checks the key with a task status (UNKNOWN), making no video; a bad key fails", async () => {
  const id = (await gw.channel(broke.id)).id;
  const made = mock.jobs.length;
  const ok = expectReply(await gw.admin.post(`/api/channel/${id}/test`, {}), 200);
  expect(ok).toMatchObject({ ok: true, status: 200 });
  expect(ok.message).toContain("accepted the key");
  expect(mock.jobs.length).toBe(made);
  const bad = expectReply(
    await gw.admin.post("/api/channel/", channel("wan-bad-key", MODEL, { key: "sk-wrong", status: 2 })),
    201,
  );
  const failed = expectReply(await gw.admin.post(`/api/channel/${bad.id}/test`, {}), 200);
  expect(failed).toMatchObject({ ok: false, status: 401, failure: "key_dead" });
  expect(failed.message).toContain("InvalidApiKey");
});

test("a task the upstream does not know (UNKNOWN, e.g. the channel's key replaced) fails after 3 polls, refunded", async () => {
  const ch = expectReply(await gw.admin.post("/api/channel/", channel("wan-rekeyed", REKEYED)), 201);
  mock.setKeys([KEY, "sk-up-other-account"]);
  try {
    const before = await me();
    const client = sdk(userKey);
    const created = await client.videos.create({ model: REKEYED, prompt: "lost", seconds: FIVE });
    const task = mock.jobs.at(-1)!;
    expectReply(await gw.admin.put("/api/channel/", { id: ch.id, key: "sk-up-other-account" }), 200);
    const done = await untilFinal(client, created.id);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "video_not_found" });
    const polls = mock.requests.filter((r) => r.path === `/api/v1/tasks/${task.id}` && r.method === "GET");
    expect(polls.length).toBe(3);
    expect(task.polls).toBe(0); // no poll reached the task: each was another account's
    const after = await me();
    expect(after.quota).toBe(before.quota);
    expect(after.used_quota).toBe(before.used_quota);
  } finally {
    mock.setKeys([KEY]);
  }
});

test("a chat call for a model only on dashscope channels is refused without reaching them", async () => {
  const sent = mock.requests.length;
  const r = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${userKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
  });
  expect(r.status).toBe(400);
  expect(((await r.json()) as { error: { code: string } }).error.code).toBe("endpoint_not_supported");
  expect(mock.requests.length).toBe(sent);
});
