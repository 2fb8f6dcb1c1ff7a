// The mock video upstream's protocols: submit → poll (one step per poll) → complete → download in OpenAI
// (official SDK: multipart with input_reference, retrieve, content variants, list, delete), Gemini Veo
// (operations, the keyed redirect to the storage host; the @google/genai SDK) and DashScope Wan (async
// header, task states, OSS link, cancel while PENDING), and what each records.
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI, { toFile } from "openai";
import { type MockVideo, startMockVideo, thumbnailBytes, videoBytes } from "../../support/mock-video";
import { rejection } from "../../support/mock/testkit";
import { baseOf, PROTOCOLS, videoClient } from "../../support/mock/video-testkit";

const KEY = "sk-video-upstream-key";
let mock: MockVideo;
beforeAll(() => void (mock = startMockVideo()));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

describe("every protocol: submit → poll → complete → download", () => {
  for (const protocol of PROTOCOLS) {
    test(`${protocol}: queued, then in progress on poll 1, finished on poll 2; the bytes are the job's`, async () => {
      const c = videoClient(protocol, baseOf(mock, protocol), KEY);
      const sub = await c.submit("a red fox", 8);
      expect(sub.status).toBe(200);
      const job = mock.job(sub.id)!;
      expect(job).toMatchObject({ protocol, prompt: "a red fox", seconds: 8, status: "queued", polls: 0, key: KEY });
      const first = await c.poll(sub.id);
      expect(c.done(first.body)).toBe(false);
      expect(job).toMatchObject({ status: "in_progress", progress: 50, polls: 1 });
      const second = await c.poll(sub.id);
      expect(c.done(second.body)).toBe(true);
      expect(job).toMatchObject({ status: "completed", polls: 2, madeSeconds: 8 });
      expect(c.seconds(second.body)).toBe(protocol === "gemini" ? undefined : 8);
      const video = await c.download(second.body, sub.id);
      expect(video.status).toBe(200);
      expect(video.headers.get("content-type")).toBe("video/mp4");
      const bytes = new Uint8Array(await video.arrayBuffer());
      expect(bytes.length).toBe(64 * 1024);
      expect(bytes).toEqual(videoBytes(sub.id));
      expect(Buffer.from(bytes.subarray(4, 8)).toString()).toBe("ftyp");
      expect(job.downloads).toBe(1);
      expect(mock.keyLeaks()).toBe(0);
      expect(mock.requests.every((r) => r.tag === "")).toBe(true);
    });

    test(`${protocol}: another key does not find the job`, async () => {
      const sub = await videoClient(protocol, baseOf(mock, protocol), KEY).submit();
      const other = await videoClient(protocol, baseOf(mock, protocol), "sk-someone-else").poll(sub.id);
      if (protocol === "dashscope") expect(other.body.output.task_status).toBe("UNKNOWN");
      else expect(other.status).toBe(404);
      expect(mock.job(sub.id)!.polls).toBe(0);
    });
  }
});

describe("openai", () => {
  const sdk = () => new OpenAI({ apiKey: KEY, baseURL: mock.openaiUrl, maxRetries: 0 });

  test("the SDK: multipart create with input_reference, retrieve, content variants, list, delete", async () => {
    const png = new Uint8Array(1234).fill(7);
    const created = await sdk().videos.create({
      model: "sora-2-pro",
      prompt: "a lighthouse",
      seconds: "8",
      size: "1280x720",
      input_reference: await toFile(png, "ref.png", { type: "image/png" }),
    });
    expect(created).toMatchObject({ object: "video", model: "sora-2-pro", status: "queued", progress: 0 });
    expect(created).toMatchObject({
      seconds: "8",
      size: "1280x720",
      completed_at: null,
      expires_at: null,
      error: null,
    });
    expect(created.id).toMatch(/^video_[0-9a-f]{48}$/);
    expect(mock.job(created.id)).toMatchObject({ inputBytes: 1234, size: "1280x720", model: "sora-2-pro" });
    expect(mock.requests[0].body.input_reference).toEqual({ name: "ref.png", size: 1234, type: "image/png" });
    expect(await rejection(sdk().videos.downloadContent(created.id))).toMatchObject({ status: 404 });
    expect((await sdk().videos.retrieve(created.id)).status).toBe("in_progress");
    const done = await sdk().videos.retrieve(created.id);
    expect(done).toMatchObject({ status: "completed", progress: 100, seconds: "8" });
    expect(done.expires_at).toBe(done.completed_at! + 3600);
    const thumb = await sdk().videos.downloadContent(created.id, { variant: "thumbnail" });
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(thumbnailBytes(created.id));
    const sprite = await sdk().videos.downloadContent(created.id, { variant: "spritesheet" });
    expect(sprite.headers.get("content-type")).toBe("image/jpeg");
    const page = await sdk().videos.list();
    expect(page.data.map((v) => v.id)).toEqual([created.id]);
    expect(await sdk().videos.delete(created.id)).toEqual({ id: created.id, object: "video.deleted", deleted: true });
    expect(await rejection(sdk().videos.retrieve(created.id))).toMatchObject({ status: 404 });
    expect(mock.job(created.id)).toMatchObject({ deleted: true, cancelled: false });
  });

  test("JSON create: defaults, `seconds` must be a string, a data-URL reference is counted", async () => {
    const h = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    const post = (body: object) =>
      fetch(`${mock.openaiUrl}/videos`, { method: "POST", headers: h, body: JSON.stringify(body) });
    const bad = await post({ prompt: "x", seconds: 8 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ param: "seconds", code: "invalid_type" });
    const ok = await (
      await post({ prompt: "x", input_reference: { image_url: "data:image/png;base64,AAECAw==" } })
    ).json();
    expect(ok).toMatchObject({ model: "sora-2", seconds: "4", size: "720x1280" });
    expect(mock.job(ok.id)!.inputBytes).toBe(4);
    expect((await post({ seconds: "4" })).status).toBe(400);
  });

  test("DELETE of an unfinished video cancels it", async () => {
    const c = videoClient("openai", mock.openaiUrl, KEY);
    const { id } = await c.submit();
    const del = await fetch(`${mock.openaiUrl}/videos/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(await del.json()).toEqual({ id, object: "video.deleted", deleted: true });
    expect(mock.job(id)).toMatchObject({ status: "cancelled", cancelled: true, deleted: true });
  });
});

describe("gemini", () => {
  test("raw: {name} without done while running, a keyed redirect to the storage host", async () => {
    const c = videoClient("gemini", mock.geminiUrl, KEY);
    const sub = await c.submit("waves");
    expect(sub.body).toEqual({ name: `models/veo-3.0-generate-001/operations/${sub.id}` });
    expect(mock.job(sub.id)).toMatchObject({ seconds: 8, size: "16:9", model: "veo-3.0-generate-001" });
    expect((await c.poll(sub.id)).body).toEqual({ name: sub.body.name });
    const done = (await c.poll(sub.id)).body;
    const uri = `${mock.origin}/v1beta/files/${sub.id}:download?alt=media`;
    expect(done).toEqual({
      name: sub.body.name,
      done: true,
      response: {
        "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
        generateVideoResponse: { generatedSamples: [{ video: { uri } }] },
      },
    });
    expect((await fetch(uri)).status).toBe(403);
    const hop = await fetch(uri, { headers: { "x-goog-api-key": KEY }, redirect: "manual" });
    expect(hop.status).toBe(302);
    const location = new URL(hop.headers.get("location")!);
    expect(location.hostname).toBe("localhost");
    expect(location.pathname).toBe(`/storage/${sub.id}.mp4`);
    expect((await fetch(location)).status).toBe(200);
    expect(mock.requests.at(-1)).toMatchObject({ protocol: "storage", host: location.host, method: "GET" });
    const forged = new URL(location);
    forged.searchParams.set("sig", "0");
    expect((await fetch(forged)).status).toBe(403);
  });

  test("an image and durationSeconds are recorded; ?key= works too", async () => {
    const body = {
      instances: [
        { prompt: "p", image: { bytesBase64Encoded: Buffer.alloc(300).toString("base64"), mimeType: "image/png" } },
      ],
      parameters: { durationSeconds: 6, aspectRatio: "9:16", resolution: "1080p" },
    };
    const res = await fetch(`${mock.geminiUrl}/models/veo-3.1-generate-preview:predictLongRunning?key=${KEY}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    const id = (await res.json()).name.split("/").at(-1);
    expect(mock.job(id)).toMatchObject({
      seconds: 6,
      size: "9:16",
      inputBytes: 300,
      key: KEY,
      parameters: body.parameters,
    });
    expect(mock.requests[0].body.instances[0].image.bytesBase64Encoded).toMatch(/…\(400 chars\)$/);
  });

  test("the @google/genai SDK: generateVideos, getVideosOperation", async () => {
    mock.set({ pollsToComplete: 1 });
    const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: mock.origin } });
    let op = await ai.models.generateVideos({
      model: "veo-3.0-generate-001",
      prompt: "rain",
      config: { durationSeconds: 4 },
    });
    expect(op.done).toBeUndefined();
    op = await ai.operations.getVideosOperation({ operation: op });
    expect(op.done).toBe(true);
    expect(op.response?.generatedVideos?.[0]?.video?.uri).toContain("/v1beta/files/");
    expect(mock.jobs[0]).toMatchObject({ seconds: 4, status: "completed" });
  });
});

describe("dashscope", () => {
  const h = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const submit = (headers: Record<string, string>, input: object = { prompt: "p" }) =>
    fetch(`${mock.dashscopeUrl}/api/v1/services/aigc/video-generation/video-synthesis`, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: "wan2.2-i2v-plus", input, parameters: { resolution: "480P", duration: 5 } }),
    });
  const cancel = (id: string) =>
    fetch(`${mock.dashscopeUrl}/api/v1/tasks/${id}/cancel`, { method: "POST", headers: h });

  test("without X-DashScope-Async: 403 AccessDenied; with it: PENDING, a data-URL image counted", async () => {
    const sync = await submit(h);
    expect(sync.status).toBe(403);
    expect(await sync.json()).toMatchObject({
      code: "AccessDenied",
      message: "current user api does not support synchronous calls",
    });
    const img = `data:image/jpeg;base64,${Buffer.alloc(90).toString("base64")}`;
    const res = await (await submit({ ...h, "x-dashscope-async": "enable" }, { prompt: "p", img_url: img })).json();
    expect(res.output.task_status).toBe("PENDING");
    expect(typeof res.request_id).toBe("string");
    expect(mock.job(res.output.task_id)).toMatchObject({
      size: "480P",
      seconds: 5,
      inputBytes: 90,
      model: "wan2.2-i2v-plus",
    });
  });

  test("task states, the OSS link and usage; unknown tasks are UNKNOWN", async () => {
    const c = videoClient("dashscope", mock.dashscopeUrl, KEY);
    const { id } = await c.submit("p", 10);
    expect((await c.poll(id)).body.output).toMatchObject({ task_id: id, task_status: "RUNNING" });
    const done = (await c.poll(id)).body;
    expect(done.output).toMatchObject({ task_status: "SUCCEEDED", orig_prompt: "p" });
    expect(done.output.end_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(done.usage).toEqual({ video_count: 1, video_ratio: "1280*720", video_duration: 10 });
    const link = new URL(done.output.video_url);
    expect(link.hostname).toBe("localhost");
    expect(link.pathname).toBe(`/oss/${id}.mp4`);
    expect(link.searchParams.get("Expires")).toMatch(/^\d+$/);
    expect((await c.poll("no-such-task")).body.output).toEqual({ task_id: "no-such-task", task_status: "UNKNOWN" });
  });

  test("cancel: only while PENDING", async () => {
    const c = videoClient("dashscope", mock.dashscopeUrl, KEY);
    const a = await c.submit();
    expect((await cancel(a.id)).status).toBe(200);
    expect((await c.poll(a.id)).body.output.task_status).toBe("CANCELED");
    expect(mock.job(a.id)).toMatchObject({ status: "cancelled", cancelled: true });
    const b = await c.submit();
    await c.poll(b.id);
    const late = await cancel(b.id);
    expect(late.status).toBe(400);
    expect((await late.json()).code).toBe("UnsupportedOperation");
    expect(mock.job(b.id)!.status).toBe("in_progress");
  });
});
