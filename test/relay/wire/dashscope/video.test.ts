// The dashscope upstream type, pure: the submit it builds (async header, size "W*H", duration, a
// first-frame image as a data URL with a resolution tier), how each task status reads, where the
// content is (only the video, keyless), the cancel and key-check requests, and its base URL rules.
import { describe, expect, test } from "bun:test";
import type { ChannelEntry } from "../../../../src/core/snapshot";
import { dashscope } from "../../../../src/relay/wire/dashscope/provider";
import { dashscopeVideo as v } from "../../../../src/relay/wire/dashscope/video";

const channel = { baseUrl: "https://dashscope-intl.aliyuncs.com" } as ChannelEntry;
const ask = { model: "wan2.2-t2v-plus", prompt: "a fox", seconds: 5, size: "1280x720", image: null };
const headers = (init: RequestInit) => init.headers as Record<string, string>;

describe("submit", () => {
  test("text to video: the async header, the key, size as W*H and the duration", () => {
    const r = v.submit(channel, "sk-1", ask);
    expect(r.url).toBe("https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis");
    expect(headers(r.init)).toMatchObject({ authorization: "Bearer sk-1", "x-dashscope-async": "enable" });
    expect(JSON.parse(r.init.body as string)).toEqual({
      model: "wan2.2-t2v-plus",
      input: { prompt: "a fox" },
      parameters: { duration: 5, size: "1280*720" },
    });
  });
  test("no size: the model's default; an image: img_url as a data URL and the resolution tier", () => {
    expect(JSON.parse(v.submit(channel, "k", { ...ask, size: "" }).init.body as string).parameters).toEqual({
      duration: 5,
    });
    const image = { bytes: new Uint8Array([1, 2, 3]), type: "image/jpeg", name: "a.jpg" };
    for (const [size, resolution] of [
      ["832x480", "480P"],
      ["720x1280", "720P"],
      ["1920x1080", "1080P"],
    ]) {
      const body = JSON.parse(v.submit(channel, "k", { ...ask, size, image }).init.body as string);
      expect(body.input).toEqual({ prompt: "a fox", img_url: "data:image/jpeg;base64,AQID" });
      expect(body.parameters).toEqual({ duration: 5, resolution });
    }
  });
  test("the task id from the answer", () => {
    expect(v.submitted({ request_id: "r", output: { task_id: "t-1", task_status: "PENDING" } })).toBe("t-1");
    expect(v.submitted({ request_id: "r" })).toBeNull();
  });
});

describe("polled", () => {
  const task = (output: object, usage?: object) => ({ request_id: "r", output: { task_id: "t", ...output }, usage });
  test("PENDING, RUNNING, CANCELED", () => {
    expect(v.polled(task({ task_status: "PENDING" }))).toEqual({ state: "queued" });
    expect(v.polled(task({ task_status: "RUNNING" }))).toEqual({ state: "in_progress" });
    expect(v.polled(task({ task_status: "CANCELED" }))).toEqual({ state: "cancelled" });
  });
  test("SUCCEEDED: the video URL, usage.video_duration, the signed URL's expiry", () => {
    const url = "https://dashscope-result.oss-cn-beijing.aliyuncs.com/a.mp4?Expires=1760000000&Signature=x";
    expect(v.polled(task({ task_status: "SUCCEEDED", video_url: url }, { video_duration: 5 }))).toEqual({
      state: "completed",
      resultRef: url,
      seconds: 5,
      expiresAtMs: 1_760_000_000_000,
    });
    expect(v.polled(task({ task_status: "SUCCEEDED", video_url: "https://h/b.mp4" }, {}))).toEqual({
      state: "completed",
      resultRef: "https://h/b.mp4",
    });
  });
  test("FAILED with its code and message; UNKNOWN is not known (asked again)", () => {
    const failed = v.polled(task({ task_status: "FAILED", code: "DataInspectionFailed", message: "bad input" }));
    expect(failed).toEqual({ state: "failed", error: { code: "DataInspectionFailed", message: "bad input" } });
    expect(v.polled(task({ task_status: "UNKNOWN" }))).toEqual({ state: "queued", unknown: true });
  });
});

test("content: the video only, from its own URL without a key; cancel; unfunded; the key check", () => {
  const job = { upstreamId: "t", resultRef: "https://oss.example/a.mp4?Signature=s" };
  expect(v.content(channel, "sk-1", job, "video")).toEqual({
    url: job.resultRef,
    init: { method: "GET" },
    keyed: false,
  });
  expect(v.content(channel, "sk-1", job, "thumbnail")).toBeNull();
  expect(v.content(channel, "sk-1", job, "spritesheet")).toBeNull();
  expect(v.cancel!(channel, "sk-1", "t/1").url).toBe("https://dashscope-intl.aliyuncs.com/api/v1/tasks/t%2F1/cancel");
  const arrearage = JSON.stringify({ request_id: "r", code: "Arrearage", message: "Access denied." });
  expect(v.unfunded(400, arrearage)).toBe(true);
  expect(v.unfunded(400, JSON.stringify({ code: "InvalidParameter", message: "size" }))).toBe(false);
  const check = dashscope.check!(channel, "sk-1");
  expect(check.url).toStartWith("https://dashscope-intl.aliyuncs.com/api/v1/tasks/");
  expect(check.init).toMatchObject({ method: "GET", headers: { authorization: "Bearer sk-1" } });
  expect(dashscope.serves(channel).size).toBe(0);
  expect(dashscope.errorMessage(arrearage)).toBe("Arrearage: Access denied.");
});
