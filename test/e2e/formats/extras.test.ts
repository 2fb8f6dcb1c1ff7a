// OpenAI's extra endpoints: image edits and transcriptions (multipart: the model is read from the
// form and mapped, the file forwarded) and speech (audio bytes passed through), billed per call;
// without a per-call price they are refused before anything is sent upstream.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI, { toFile } from "openai";
import { expectReply } from "../../support/expect";
import { logRows } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let sdk: OpenAI;
let user: Awaited<ReturnType<typeof makeUser>>;
const last = () => mock.requests[mock.requests.length - 1];

beforeAll(async () => {
  mock = startMockUpstream({});
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, auth);
  expectReply(
    await admin.post("/api/channel/", {
      name: "media",
      type: "openai",
      key: "k-media",
      base_url: mock.url,
      models: ["gpt-image-1", "tts-1", "whisper-1", "unpriced-tts"],
      model_mapping: { "whisper-1": "whisper-large" },
    }),
    201,
  );
  await priceModels(app.url, auth, ["gpt-image-1", "tts-1", "whisper-1"], { per_call: "0.01" });
  await priceModels(app.url, auth, ["unpriced-tts"], { input: "1", output: "1" });
  user = await makeUser(app.url, auth, "media-user");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_000_000 }), 200);
  const t = expectReply(await user.api.post("/api/token/", { name: "m", unlimited_quota: true }), 201);
  sdk = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: t.key, maxRetries: 0 });
});

describe("multipart and binary endpoints", () => {
  test("POST /v1/images/edits: the image and prompt reach the upstream; billed per call", async () => {
    const image = await toFile(Buffer.from("\x89PNG\r\n\x1a\nfake"), "cat.png", { type: "image/png" });
    const r = await sdk.images.edit({ model: "gpt-image-1", image, prompt: "add a hat" });
    expect(r.data?.length).toBe(1);
    expect(last().path).toBe("/v1/images/edits");
    expect(last().body).toMatchObject({ model: "gpt-image-1", prompt: "add a hat", image: { name: "cat.png" } });
    const [row] = await logRows(user.api, 1);
    expect(row).toMatchObject({ model_name: "gpt-image-1", endpoint: "image_edits", quota: 5000, status_code: 200 });
  });

  test("POST /v1/audio/speech: the audio bytes come back as the upstream sent them", async () => {
    const r = await sdk.audio.speech.create({ model: "tts-1", voice: "alloy", input: "hello" });
    expect(r.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0x49, 0x44, 0x33]);
    const [row] = await logRows(user.api, 2);
    expect(row).toMatchObject({ model_name: "tts-1", endpoint: "speech", quota: 5000 });
  });

  test("POST /v1/audio/transcriptions: the model is mapped inside the form", async () => {
    const file = await toFile(Buffer.from("RIFF....WAVEfmt "), "a.wav", { type: "audio/wav" });
    const r = await sdk.audio.transcriptions.create({ model: "whisper-1", file });
    expect(r.text).toBe("Hello from the mock upstream!");
    expect(last().body).toMatchObject({ model: "whisper-large", file: { name: "a.wav" } });
    const [row] = await logRows(user.api, 3);
    expect(row).toMatchObject({ model_name: "whisper-1", upstream_model: "whisper-large", quota: 5000 });
  });

  test("no per-call price: 403 that says so, nothing sent upstream", async () => {
    const before = mock.requests.length;
    const err = await sdk.audio.speech
      .create({ model: "unpriced-tts", voice: "alloy", input: "hello" })
      .catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.message).toContain("per-call price");
    expect(mock.requests.length).toBe(before);
  });

  test("a JSON body where multipart is expected: 415 that says what to send", async () => {
    const r = await fetch(`${app.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${sdk.apiKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(r.status).toBe(415);
    expect(((await r.json()) as any).error.message).toContain("multipart/form-data");
  });
});
