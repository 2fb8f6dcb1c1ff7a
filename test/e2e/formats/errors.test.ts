// Each surface answers errors in its own shape and statuses: Anthropic's {"type":"error",…} (429 with
// x-should-retry: false for used-up quota, 529 overloaded_error), Google's {"error":{code,message,
// status}}, OpenAI's for /v1/responses; and no surface ever shows an upstream key or URL.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { modelOf, setupFormats } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer({ args: ["--max-body-mb", "1"] });
let mock: MockUpstream;
let env: Awaited<ReturnType<typeof setupFormats>>;
let poorKey = "";

beforeAll(async () => {
  mock = startMockUpstream({});
  env = await setupFormats(app.url, mock);
  const t = expectReply(
    await env.user.api.post("/api/token/", { name: "poor", unlimited_quota: false, remain_quota: 1 }),
    201,
  );
  poorKey = t.key;
});

const anthropicCall = (body: unknown, key = env.key, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const geminiCall = (model: string, body: unknown, key = env.key, action = "generateContent") =>
  fetch(`${app.url}/v1beta/models/${model}:${action}`, {
    method: "POST",
    headers: { "x-goog-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const msg = (model: string) => ({ model, max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
const contents = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };

async function anthropicError(r: Response, status: number, type: string) {
  expect(r.status).toBe(status);
  const body = (await r.json()) as any;
  expect(body).toEqual({ type: "error", error: { type, message: expect.any(String) } });
  return body.error.message as string;
}

async function googleError(r: Response, code: number, status: string) {
  expect(r.status).toBe(code);
  const body = (await r.json()) as any;
  expect(body).toEqual({ error: { code, message: expect.any(String), status } });
  return body.error.message as string;
}

describe("Anthropic's shape on /v1/messages", () => {
  test("401 authentication_error for a bad key", async () => {
    await anthropicError(await anthropicCall(msg(modelOf("anthropic")), "sk-nope"), 401, "authentication_error");
  });
  test("400 invalid_request_error for a body that is not JSON", async () => {
    await anthropicError(await anthropicCall("{nope"), 400, "invalid_request_error");
  });
  test("404 not_found_error for a model no group serves", async () => {
    await anthropicError(await anthropicCall(msg("no-such-model")), 404, "not_found_error");
  });
  test("413 request_too_large", async () => {
    const huge = { ...msg(modelOf("anthropic")), pad: "x".repeat(2 * 1024 * 1024) };
    await anthropicError(await anthropicCall(huge), 413, "request_too_large");
  });
  test("429 rate_limit_error with x-should-retry: false when the key's quota cannot cover the call, and a message that says what is left and what it needs", async () => {
    const r = await anthropicCall(msg(modelOf("anthropic")), poorKey);
    expect(r.headers.get("x-should-retry")).toBe("false");
    const message = await anthropicError(r, 429, "rate_limit_error");
    expect(message).toContain("this API key has $0.000002 of quota left, and this call needs at least $");
  });
  test("529 overloaded_error when every upstream is overloaded", async () => {
    const c = expectReply(
      await env.admin.post("/api/channel/", {
        name: "busy",
        type: "anthropic",
        key: "k-busy",
        base_url: mock.urlFor("status=529"),
        models: ["busy-model"],
      }),
      201,
    );
    await env.admin.post("/api/pricing/", { model: "busy-model", input: "1", output: "1" });
    await anthropicError(await anthropicCall(msg("busy-model")), 529, "overloaded_error");
    expectReply(await env.admin.del(`/api/channel/${c.id}`), 200);
  });
  test("an unknown path under /v1/messages: 404 in Anthropic's shape", async () => {
    const r = await fetch(`${app.url}/v1/messages/batches`, { method: "POST", headers: { "x-api-key": env.key } });
    await anthropicError(r, 404, "not_found_error");
  });
});

describe("Google's shape on /v1beta", () => {
  test("401 UNAUTHENTICATED for a bad key", async () => {
    await googleError(await geminiCall(modelOf("gemini"), contents, "sk-nope"), 401, "UNAUTHENTICATED");
  });
  test("404 NOT_FOUND for an unknown model and for an unknown action", async () => {
    await googleError(await geminiCall("no-such-model", contents), 404, "NOT_FOUND");
    await googleError(await geminiCall(modelOf("gemini"), contents, env.key, "embedContent"), 404, "NOT_FOUND");
  });
  test("a stream without ?alt=sse: 400 that says to add it", async () => {
    const message = await googleError(
      await geminiCall(modelOf("gemini"), contents, env.key, "streamGenerateContent"),
      400,
      "INVALID_ARGUMENT",
    );
    expect(message).toContain("alt=sse");
  });
  test("429 RESOURCE_EXHAUSTED when the quota is used up", async () => {
    await googleError(await geminiCall(modelOf("gemini"), contents, poorKey), 429, "RESOURCE_EXHAUSTED");
  });
  test("400 INVALID_ARGUMENT naming what cannot be translated", async () => {
    const body = {
      contents: [{ role: "user", parts: [{ fileData: { fileUri: "gs://b/f.pdf", mimeType: "application/pdf" } }] }],
    };
    const message = await googleError(await geminiCall(modelOf("openai"), body), 400, "INVALID_ARGUMENT");
    expect(message).toContain("fileData");
  });
});

describe("OpenAI's shape on /v1/responses", () => {
  test("an input item type a chat upstream cannot take: 400 naming it", async () => {
    const r = await fetch(`${app.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: modelOf("anthropic"),
        input: [{ type: "computer_call", call_id: "c1", action: { type: "click" } }],
      }),
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as any;
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("computer_call");
  });
  test("an endpoint no channel of the model can answer: 400 endpoint_not_supported", async () => {
    const r = await fetch(`${app.url}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: modelOf("anthropic"), input: "hi" }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.code).toBe("endpoint_not_supported");
  });
});

describe("no surface shows an upstream key or URL", () => {
  const secrets = () => ["up-key-", "k-bad-", "127.0.0.1", mock.origin, String(mock.server.port)];
  const bad = async (type: string, suffix: string, model: string, extra: Record<string, unknown> = {}) => {
    expectReply(
      await env.admin.post("/api/channel/", {
        name: model,
        type,
        key: `k-bad-${model}-0001`,
        base_url: mock.urlFor("status=400", suffix),
        models: [model],
        ...extra,
      }),
      201,
    );
    await env.admin.post("/api/pricing/", { model, input: "1", output: "1" });
  };
  beforeAll(async () => {
    await bad("anthropic", "/v1", "bad-anthropic");
    await bad("gemini", "/v1beta", "bad-gemini");
    await bad("openai", "/v1", "bad-responses", { supports_responses: true });
  });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  for (const [name, call] of [
    ["anthropic", () => anthropicCall(msg("bad-anthropic"))],
    ["gemini", () => post("/v1beta/models/bad-gemini:generateContent", { "x-goog-api-key": env.key }, contents)],
    [
      "responses",
      () => post("/v1/responses", { authorization: `Bearer ${env.key}` }, { model: "bad-responses", input: "hi" }),
    ],
    [
      "chat → anthropic",
      () =>
        post(
          "/v1/chat/completions",
          { authorization: `Bearer ${env.key}` },
          { model: "bad-anthropic", messages: [{ role: "user", content: "hi" }] },
        ),
    ],
  ] as const) {
    test(`${name}: an upstream 400 is passed on redacted, in the client's shape`, async () => {
      const r = await call();
      expect(r.status).toBe(400);
      const text = await r.text();
      for (const s of secrets()) expect(text).not.toContain(s);
      const body = JSON.parse(text);
      if (name === "anthropic") expect(body.type).toBe("error");
      else if (name === "gemini") expect(body.error.status).toBe("INVALID_ARGUMENT");
      else expect(body.error.type).toBeDefined();
    });
  }
});
