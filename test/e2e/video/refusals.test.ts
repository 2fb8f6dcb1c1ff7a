// Regressions of the video routes' edges: a DELETE of a running job the upstream will not stop is
// refused (409) and the job runs on and is billed (the operator pays the upstream for it either way);
// a submit that a channel refuses for its own key (401) goes on to the next channel instead of
// passing the channel's refusal to the client.
import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { testClock, useServer } from "../../support/server";

const mock = startMockVideo({ keys: ["sk-up-good"] });
const app = useServer({ env: testClock() });
let gw: Gateway;

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  const video = { per_second: "0.10", default_seconds: 4, max_seconds: 12 };
  for (const model of ["stubborn", "rekey"]) expectReply(await gw.admin.post("/api/pricing/", { model, video }), 201);
  const channel = (name: string, model: string, extra: Record<string, unknown> = {}) => ({
    name,
    type: "openai",
    base_url: mock.openaiUrl,
    key: "sk-up-good",
    models: [model],
    ...extra,
  });
  const noCancel = mock.urlFor("noCancel,pollsToComplete=4", "openai");
  expectReply(await gw.admin.post("/api/channel/", channel("no-cancel", "stubborn", { base_url: noCancel })), 201);
  expectReply(
    await gw.admin.post("/api/channel/", channel("bad-key", "rekey", { key: "sk-up-bad", priority: 10 })),
    201,
  );
  expectReply(await gw.admin.post("/api/channel/", channel("good-key", "rekey")), 201);
});
afterAll(() => mock.stop());

const sdk = () => new OpenAI({ apiKey: gw.key, baseURL: `${app.url}/v1`, maxRetries: 0 });

test("DELETE of a job the upstream will not stop: 409, and it runs to its end", async () => {
  const created = await sdk().videos.create({ model: "stubborn", prompt: "keeps going", seconds: "4" });
  const del = await fetch(`${app.url}/v1/videos/${created.id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${gw.key}` },
  });
  expect(del.status).toBe(409);
  expect(((await del.json()) as { error: { code: string } }).error.code).toBe("video_not_cancellable");
  for (let i = 0; i < 40; i++) {
    const v = await sdk().videos.retrieve(created.id);
    if (v.status === "completed") return;
    await gw.advanceClock(31);
    await Bun.sleep(60);
  }
  throw new Error("the job did not finish");
});

test("a channel that refuses its own key (401): the submit goes on to the next channel", async () => {
  const created = await sdk().videos.create({ model: "rekey", prompt: "second channel", seconds: "4" });
  expect(created.status).toBe("queued");
  expect(mock.jobs.at(-1)?.key).toBe("sk-up-good");
});
