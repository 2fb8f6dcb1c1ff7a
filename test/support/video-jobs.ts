// Test support: video jobs for the console's tests. A priced video model on a channel to an OpenAI-shaped
// video upstream (the mock, or anything speaking its protocol), a job made with POST /v1/videos, and
// that job driven to its end by moving the server's test clock (servers started with testClock()).
import type OpenAI from "openai";
import { expectReply } from "./expect";
import type { Gateway } from "./gateway";

/** $0.10 a second, 4 s when a request names none (the price openai-sdk.test.ts uses). */
export const VIDEO_PRICE = { per_second: "0.10", default_seconds: 4, max_seconds: 12 };

/** Prices `model` as a video model and adds a channel for it to `baseUrl` (OpenAI's /v1/videos). */
export async function addVideoChannel(gw: Gateway, baseUrl: string, key: string, model = "sora-2") {
  expectReply(await gw.admin.post("/api/pricing/", { model, video: VIDEO_PRICE }), 201);
  const ch = { name: `video-${model}`, type: "openai", base_url: baseUrl, key, models: [model] };
  return expectReply(await gw.admin.post("/api/channel/", ch), 201);
}

type VideoObject = { id: string; status: string; progress: number };

/** POST /v1/videos with `key`; the video object. */
export async function createVideo(base: string, key: string, body: Record<string, unknown>): Promise<VideoObject> {
  const res = await fetch(`${base}/v1/videos`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`create video: ${res.status} ${await res.text()}`);
  return (await res.json()) as VideoObject;
}

/** Retrieves the job until it is final, moving the test clock past each poll's due time. */
export async function untilFinal(base: string, key: string, gw: Gateway, id: string): Promise<VideoObject> {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${base}/v1/videos/${id}`, { headers: { authorization: `Bearer ${key}` } });
    const v = (await res.json()) as VideoObject;
    if (v.status === "completed" || v.status === "failed") return v;
    await gw.advanceClock(31);
    await Bun.sleep(60);
  }
  throw new Error(`video ${id} did not finish`);
}

/** The same through the official `openai` SDK: retrieve until final, the test clock moved between. */
export async function untilFinalSdk(client: OpenAI, gw: Gateway, id: string) {
  for (let i = 0; i < 60; i++) {
    const v = await client.videos.retrieve(id);
    if (v.status === "completed" || v.status === "failed") return v;
    await gw.advanceClock(31);
    await Bun.sleep(60);
  }
  throw new Error(`video ${id} did not finish`);
}

/** A job made and driven to its end; its log row is written in the ledger's next batch. */
export async function finishedVideo(base: string, key: string, gw: Gateway, body: Record<string, unknown>) {
  const created = await createVideo(base, key, body);
  return untilFinal(base, key, gw, created.id);
}
