// Video jobs in Gemini's long-running shape, both ways, against a real server and the mock video
// upstream: the official @google/genai SDK's generateVideos → getVideosOperation until done →
// files.download gives the upstream's bytes, billed the held seconds × the price (Veo reports none),
// with the Gemini download's redirect to the storage host fetched without the key (keyLeaks 0); the
// openai SDK on a Gemini channel and a genai client on an OpenAI-shaped channel, with the fields that
// do not map refused naming them; Google's out-of-quota answer fails over and leaves the channel
// enabled; another user's operation and file are 404. The poller runs on the server's test clock.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GoogleGenAI, type GenerateVideosOperation } from "@google/genai";
import OpenAI, { toFile } from "openai";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo, videoBytes } from "../../support/mock-video";
import { makeUser, scratchDirs, testClock, useServer } from "../../support/server";

const mock = startMockVideo({ keys: ["sk-up-gemini", "sk-up-openai"] });
const app = useServer({ env: testClock() });
const scratch = scratchDirs("apiyi-gemini-video-");
const PUBLIC = "https://apiyi.example";
const VEO = "veo-3.1-generate-preview";
const VEO_FAILOVER = "veo-3.0-generate-001";
const SORA = "sora-2";
let gw: Gateway;
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let aliceKey: string;
let bobKey: string;
let brokeChannel: number;

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  // genai's files.download finds the file id only in an https:// uri: the public address is https
  expectReply(await gw.admin.put("/api/setting", { public_url: PUBLIC }), 200);
  for (const model of [VEO, VEO_FAILOVER, SORA]) {
    const video = { per_second: "0.40", default_seconds: 8, max_seconds: 8 }; // 8 s = $3.20 = 1,600,000 units
    expectReply(await gw.admin.post("/api/pricing/", { model, video }), 201);
  }
  const channel = async (name: string, type: string, base_url: string, key: string, models: string[], priority = 0) =>
    expectReply(await gw.admin.post("/api/channel/", { name, type, base_url, key, models, priority }), 201).id;
  await channel("veo", "gemini", mock.geminiUrl, "sk-up-gemini", [VEO, VEO_FAILOVER]);
  await channel("sora", "openai", mock.openaiUrl, "sk-up-openai", [SORA]);
  const broke = mock.urlFor("insufficientBalance,tag=broke", "gemini");
  brokeChannel = await channel("veo-broke", "gemini", broke, "sk-up-gemini", [VEO_FAILOVER], 10);
  alice = await makeUser(app.url, gw.auth, "alice-gemini-video");
  bob = await makeUser(app.url, gw.auth, "bob-gemini-video");
  expectReply(await gw.admin.post(`/api/user/${alice.id}/topup`, { quota: 10_000_000 }), 200); // $20
  aliceKey = expectReply(await alice.api.post("/api/token/", { name: "v", unlimited_quota: true }), 201).key;
  bobKey = expectReply(await bob.api.post("/api/token/", { name: "b", unlimited_quota: true }), 201).key;
});
afterAll(() => mock.stop());

const genai = (key: string) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: app.url } });
const openai = (key: string) => new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 });
const me = async () => expectReply(await alice.api.get("/api/user/self"), 200);
const tick = async () => {
  await gw.advanceClock(31);
  await Bun.sleep(60);
};
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Polls the operation (as genai does) until done, moving the test clock past each poll's due time. */
async function untilDone(ai: GoogleGenAI, op: GenerateVideosOperation) {
  for (let i = 0; i < 60; i++) {
    op = await ai.operations.getVideosOperation({ operation: op });
    if (op.done) return op;
    await tick();
  }
  throw new Error(`operation ${op.name} did not finish`);
}

async function untilFinal(client: OpenAI, id: string) {
  for (let i = 0; i < 60; i++) {
    const v = await client.videos.retrieve(id);
    if (v.status === "completed" || v.status === "failed") return v;
    await tick();
  }
  throw new Error(`video ${id} did not finish`);
}

/** genai's files.download of the operation's video, read back. */
async function download(ai: GoogleGenAI, op: GenerateVideosOperation) {
  const downloadPath = join(scratch(), "video.mp4");
  await ai.files.download({ file: op.response!.generatedVideos![0]!.video!, downloadPath });
  return new Uint8Array(readFileSync(downloadPath));
}

test("genai: generateVideos → getVideosOperation until done → files.download; billed 8 s × price", async () => {
  const before = await me();
  const ai = genai(aliceKey);
  let op = await ai.models.generateVideos({
    model: VEO,
    prompt: "a lighthouse at dusk",
    config: { durationSeconds: 8 },
  });
  expect(op.name).toMatch(new RegExp(`^models/${VEO}/operations/video_[0-9a-z]{32}$`));
  expect(op.done).toBeFalsy();
  expect(before.quota - (await me()).quota).toBe(1_600_000); // 8 s × $0.40 held
  const upstream = mock.jobs.at(-1)!;
  expect(upstream).toMatchObject({ protocol: "gemini", model: VEO, seconds: 8, key: "sk-up-gemini" });
  expect(upstream.parameters).toEqual({ durationSeconds: 8 });
  op = await untilDone(ai, op);
  expect(op.error).toBeUndefined();
  const fileId = op.name!.split("/").at(-1)!.slice("video_".length);
  expect(op.response?.generatedVideos?.[0]?.video?.uri).toBe(`${PUBLIC}/v1beta/files/${fileId}:download?alt=media`);
  expect(same(await download(ai, op), videoBytes(upstream.id))).toBe(true);
  // the keyed download answered 302; the storage host was asked without any key
  const storage = mock.requests.filter((r) => r.protocol === "storage");
  expect(storage.length).toBe(1);
  expect(mock.keyLeaks()).toBe(0);
  await Bun.sleep(250);
  const after = await me();
  expect(before.quota - after.quota).toBe(1_600_000); // Veo reports no seconds: the held 8 s are billed
  expect(after.used_quota - before.used_quota).toBe(1_600_000);
  expect(JSON.stringify(op)).not.toContain("sk-up-");
});

test("the key in any of Gemini's forms: ?key= and Bearer read the operation", async () => {
  const op = await genai(aliceKey).models.generateVideos({ model: VEO, source: { prompt: "forms" } });
  const byQuery = await fetch(`${app.url}/v1beta/${op.name}?key=${aliceKey}`);
  expect(byQuery.status).toBe(200);
  expect(((await byQuery.json()) as { name: string }).name).toBe(op.name!);
  const id = op.name!.split("/").at(-1);
  const byBearer = await fetch(`${app.url}/v1beta/operations/${id}`, {
    headers: { authorization: `Bearer ${aliceKey}` },
  });
  expect(((await byBearer.json()) as { name: string }).name).toBe(op.name!);
});

test("the openai SDK on a Gemini channel: seconds and size map to Veo's parameters; completes and downloads", async () => {
  const before = await me();
  const client = openai(aliceKey);
  const image = await toFile(Buffer.alloc(300, 7), "start.png", { type: "image/png" });
  const created = await client.videos.create({
    model: VEO,
    prompt: "waves",
    seconds: "8",
    size: "1280x720",
    input_reference: image,
  });
  const upstream = mock.jobs.at(-1)!;
  expect(upstream.parameters).toEqual({ durationSeconds: 8, aspectRatio: "16:9", resolution: "720p" });
  expect(upstream.inputBytes).toBe(300);
  const done = await untilFinal(client, created.id);
  expect(done.status).toBe("completed");
  const content = await client.videos.downloadContent(created.id);
  expect(same(new Uint8Array(await content.arrayBuffer()), videoBytes(upstream.id))).toBe(true);
  expect(mock.keyLeaks()).toBe(0);
  await Bun.sleep(250);
  expect(before.quota - (await me()).quota).toBe(1_600_000);
});

test("a size Veo cannot make is refused naming `size`, nothing held", async () => {
  const before = await me();
  const res = await fetch(`${app.url}/v1/videos`, {
    method: "POST",
    headers: { authorization: `Bearer ${aliceKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: VEO, prompt: "x", seconds: "8", size: "1792x1024" }),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { param: string } }).error.param).toBe("size");
  expect((await me()).quota).toBe(before.quota);
});

test("genai on an OpenAI-shaped channel: aspect ratio → size, image → input_reference; Veo-only fields refused", async () => {
  const ai = genai(aliceKey);
  const image = { imageBytes: Buffer.alloc(120, 3).toString("base64"), mimeType: "image/png" };
  let op = await ai.models.generateVideos({
    model: SORA,
    source: { prompt: "a paper boat", image },
    config: { durationSeconds: 4, aspectRatio: "9:16" },
  });
  const upstream = mock.jobs.at(-1)!;
  expect(upstream).toMatchObject({ protocol: "openai", seconds: 4, size: "720x1280", key: "sk-up-openai" });
  expect(upstream.inputBytes).toBe(120);
  op = await untilDone(ai, op);
  expect(op.error).toBeUndefined();
  expect(same(await download(ai, op), videoBytes(upstream.id))).toBe(true);
  const refused = await fetch(`${app.url}/v1beta/models/${SORA}:predictLongRunning`, {
    method: "POST",
    headers: { "x-goog-api-key": aliceKey, "content-type": "application/json" },
    body: JSON.stringify({ instances: [{ prompt: "p" }], parameters: { negativePrompt: "rain" } }),
  });
  expect(refused.status).toBe(400);
  const body = (await refused.json()) as { error: { code: number; status: string; message: string } };
  expect(body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
  expect(body.error.message).toContain("negativePrompt");
  const two = await fetch(`${app.url}/v1beta/models/${VEO}:predictLongRunning`, {
    method: "POST",
    headers: { "x-goog-api-key": aliceKey, "content-type": "application/json" },
    body: JSON.stringify({ instances: [{ prompt: "p" }], parameters: { sampleCount: 2 } }),
  });
  expect(two.status).toBe(400);
  expect(((await two.json()) as { error: { message: string } }).error.message).toContain("parameters.sampleCount");
});

test("Google's out-of-quota answer on the first channel fails over to the next; the first stays enabled", async () => {
  const op = await genai(aliceKey).models.generateVideos({ model: VEO_FAILOVER, source: { prompt: "failover" } });
  expect(op.name).toMatch(/operations\/video_/);
  const submits = mock.requests.filter((r) => r.path.endsWith(`${VEO_FAILOVER}:predictLongRunning`));
  expect(submits.map((r) => r.tag)).toEqual(["broke", ""]);
  const broke = expectReply(await gw.admin.get(`/api/channel/${brokeChannel}`), 200);
  expect(broke.status).toBe(1);
});

test("another user's operation and file are 404 in Google's error shape", async () => {
  const ai = genai(aliceKey);
  const op = await untilDone(ai, await ai.models.generateVideos({ model: VEO, source: { prompt: "mine" } }));
  const uri = op.response!.generatedVideos![0]!.video!.uri!;
  const theirs = { "x-goog-api-key": bobKey };
  const read = await fetch(`${app.url}/v1beta/${op.name}`, { headers: theirs });
  expect(read.status).toBe(404);
  expect(((await read.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
  const file = await fetch(`${app.url}${new URL(uri).pathname}?alt=media`, { headers: theirs });
  expect(file.status).toBe(404);
  await expect(genai(bobKey).operations.getVideosOperation({ operation: op })).rejects.toMatchObject({ status: 404 });
  const mine = await fetch(`${app.url}${new URL(uri).pathname}?alt=media`, { headers: { "x-goog-api-key": aliceKey } });
  expect(mine.status).toBe(200);
});
