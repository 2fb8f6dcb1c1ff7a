// Streams cut by the upstream, in every format: the client's stream ends with an error event in its
// own shape (never a normal end), and the call is billed only for what was delivered, counted.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { expectReply } from "../../support/expect";
import { logRows } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let user: Awaited<ReturnType<typeof makeUser>>;
let key = "";
let rows = 0;

beforeAll(async () => {
  mock = startMockUpstream({ chunks: 5, cutAfter: 2 });
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, auth);
  const add = async (type: string, suffix: string, model: string) =>
    expectReply(
      await admin.post("/api/channel/", {
        name: model,
        type,
        key: "k",
        base_url: mock.urlFor("cut_after=2", suffix),
        models: [model],
      }),
      201,
    );
  await add("anthropic", "/v1", "cut-anthropic");
  await add("openai", "/v1", "cut-openai");
  await add("gemini", "/v1beta", "cut-gemini");
  await priceModels(app.url, auth, ["cut-anthropic", "cut-openai", "cut-gemini"]);
  user = await makeUser(app.url, auth, "cutter");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_000_000 }), 200);
  key = expectReply(await user.api.post("/api/token/", { name: "c", unlimited_quota: true }), 201).key;
});

const stream = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((r) => r.text());
const messages = (model: string) =>
  stream("/v1/messages", { model, max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] });
const gemini = (model: string) =>
  stream(`/v1beta/models/${model}:streamGenerateContent?alt=sse`, {
    contents: [{ role: "user", parts: [{ text: "hi" }] }],
  });
const responses = (model: string) => stream("/v1/responses", { model, stream: true, input: "hi" });
const chat = (model: string) =>
  stream("/v1/chat/completions", { model, stream: true, messages: [{ role: "user", content: "hi" }] });

async function expectCutRow() {
  rows++;
  const [row] = await logRows(user.api, rows);
  expect(row).toMatchObject({ error_code: "upstream_stream_interrupted", is_stream: true });
  expect(row.completion_tokens).toBeGreaterThan(0);
  expect(row.completion_tokens).toBeLessThan(5); // only the two delivered pieces, counted
  expect(row.quota).toBeGreaterThan(0);
}

describe("a cut stream ends with an error in the client's shape and is billed for what was delivered", () => {
  const cases: [string, () => Promise<string>, (text: string) => void][] = [
    [
      "Anthropic client, anthropic upstream",
      () => messages("cut-anthropic"),
      (t) => expect(t).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error"/),
    ],
    ["Anthropic client, openai upstream", () => messages("cut-openai"), (t) => expect(t).toMatch(/event: error\n/)],
    [
      "Gemini client, gemini upstream",
      () => gemini("cut-gemini"),
      (t) => expect(t).toContain('"status":"UNAVAILABLE"'),
    ],
    [
      "Gemini client, anthropic upstream",
      () => gemini("cut-anthropic"),
      (t) => expect(t).toContain('"status":"UNAVAILABLE"'),
    ],
    [
      "Responses client, openai upstream",
      () => responses("cut-openai"),
      (t) =>
        expect(t).toMatch(
          /event: response\.failed\ndata: \{"type":"response\.failed","response":\{[^\n]*"status":"failed","error":\{"code":"upstream_stream_interrupted"/,
        ),
    ],
    [
      "chat client, gemini upstream",
      () => chat("cut-gemini"),
      (t) => expect(t).toContain('"code":"upstream_stream_interrupted"'),
    ],
  ];
  for (const [name, call, shape] of cases) {
    test(name, async () => {
      const text = await call();
      shape(text);
      expect(text).not.toContain("message_stop");
      expect(text).not.toContain("[DONE]");
      expect(text).not.toContain("response.completed");
      await expectCutRow();
    });
  }
});

test("the openai SDK's Responses stream helper ends a cut stream with a failed response, the error in it", async () => {
  const sdk = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: key, maxRetries: 0 });
  const r = await sdk.responses.stream({ model: "cut-openai", input: "hi" }).finalResponse();
  expect(r.status).toBe("failed");
  expect(r.error).toMatchObject({ code: "upstream_stream_interrupted" });
  await expectCutRow();
});

test("the Anthropic and Google SDKs raise an error for a cut stream", async () => {
  const anthropic = new Anthropic({ baseURL: app.url, apiKey: key, maxRetries: 0 });
  const err = await anthropic.messages
    .stream({ model: "cut-openai", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
    .finalMessage()
    .catch((e) => e);
  expect(err).toBeInstanceOf(Error);
  expect(String(err.message)).toContain("interrupted");
  await expectCutRow();
  const google = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: app.url } });
  const gerr = await (async () => {
    for await (const _ of await google.models.generateContentStream({ model: "cut-anthropic", contents: "hi" }));
  })().catch((e) => e);
  expect(gerr).toBeInstanceOf(Error);
  expect(String(gerr.message)).toContain("interrupted");
  await expectCutRow();
});
