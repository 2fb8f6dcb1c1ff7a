// The mock upstream's newer OpenAI-format surfaces: chat in tool and reasoning modes, OpenAI's limits on its
// reasoning models (reasoningModels: max_tokens refused, max_completion_tokens too small refused), image edits and
// transcriptions (multipart, recorded as fields and file sizes), text-to-speech bytes, and Azure OpenAI
// deployments (api-key, api-version, Azure error shapes) through the official `openai` SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI, { AzureOpenAI, toFile } from "openai";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream";
import { parsed, postJSON, readSSE, rejection } from "../../support/mock/testkit";

const KEY = "sk-upstream-extras-000";
let mock: MockUpstream;
beforeAll(() => void (mock = startMockUpstream({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const sdk = () => new OpenAI({ baseURL: mock.url, apiKey: KEY, maxRetries: 0 });
const chat = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };
const TOOL = { name: "get_time", arguments: { tz: "Europe/Paris" } };

describe("chat: tool and reasoning modes", () => {
  test("tool mode: message.tool_calls, finish_reason tool_calls; streamed in 2+ argument fragments", async () => {
    mock.set({ tool: TOOL });
    const r = await sdk().chat.completions.create(chat);
    expect(r.choices[0].finish_reason).toBe("tool_calls");
    expect(r.choices[0].message.content).toBeNull();
    const tc = r.choices[0].message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(tc).toMatchObject({ type: "function", function: { name: "get_time" } });
    expect(JSON.parse(tc.function.arguments)).toEqual(TOOL.arguments);
    const { events } = await readSSE(
      await postJSON(mock.url + "/chat/completions", { ...chat, stream: true }, { authorization: `Bearer ${KEY}` }),
    );
    const chunks = parsed(events.slice(0, -1));
    const frags = chunks
      .slice(1)
      .flatMap((c) => c.choices[0].delta.tool_calls ?? [])
      .map((t: any) => t.function.arguments);
    expect(frags.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0].choices[0].delta.tool_calls[0]).toMatchObject({
      index: 0,
      type: "function",
      function: { name: "get_time", arguments: "" },
    });
    expect(chunks.at(-1).choices[0].finish_reason).toBe("tool_calls");
    const final = await sdk()
      .chat.completions.stream({ ...chat, stream: true })
      .finalChatCompletion();
    expect(JSON.parse((final.choices[0].message.tool_calls![0] as any).function.arguments)).toEqual(TOOL.arguments);
  });

  test("reasoning: reasoning_content deltas before the content; reasoning tokens in usage when set", async () => {
    mock.set({ reasoning: "thinking…", chunks: 2, reply: "ok!", reasoningTokens: 2 });
    const r: any = await sdk().chat.completions.create(chat);
    expect(r.choices[0].message).toMatchObject({ content: "ok!", reasoning_content: "thinking…" });
    expect(r.usage.completion_tokens_details).toEqual({ reasoning_tokens: 2 });
    const kinds: string[] = [];
    for await (const c of await sdk().chat.completions.create({ ...chat, stream: true })) {
      const d: any = c.choices[0].delta;
      if (d.reasoning_content) kinds.push("r");
      if (d.content) kinds.push("c");
    }
    expect(kinds).toEqual(["r", "r", "c", "c"]);
  });
});

describe("reasoningModels: OpenAI's rules for its reasoning models", () => {
  const ask = (model: string, limit: Record<string, number>) =>
    rejection(sdk().chat.completions.create({ ...chat, model, ...limit }));
  test("max_tokens is refused, too small a max_completion_tokens too; other models and the default mock take both", async () => {
    mock.set({ reasoningModels: 1 });
    const e = await ask("o4-mini", { max_tokens: 1 });
    expect([e.status, e.error.code, e.error.param]).toEqual([400, "unsupported_parameter", "max_tokens"]);
    expect(e.error.message).toContain("Use 'max_completion_tokens' instead");
    expect((await ask("gpt-5-nano", { max_completion_tokens: 1 })).error.message).toMatch(/^Could not finish/);
    const ok = await sdk().chat.completions.create({ ...chat, model: "o3", max_completion_tokens: 1024 });
    expect(ok.choices[0].message.content).toBe("Hello from the mock upstream!");
    await sdk().chat.completions.create({ ...chat, max_tokens: 1 }); // gpt-4o
    mock.reset();
    await sdk().chat.completions.create({ ...chat, model: "o3", max_tokens: 1 });
  });
});

describe("images, audio", () => {
  test("images.edit: multipart recorded as fields and file name/size", async () => {
    const image = await toFile(Buffer.alloc(321, 7), "cat.png", { type: "image/png" });
    const r = await sdk().images.edit({ model: "gpt-image-1", image, prompt: "add a hat", n: 2 });
    expect(r.data?.length).toBe(2);
    const rec = mock.requests[0];
    expect(rec.path).toBe("/v1/images/edits");
    expect(rec.body).toMatchObject({
      model: "gpt-image-1",
      prompt: "add a hat",
      n: "2",
      image: { name: "cat.png", size: 321, type: "image/png" },
    });
    expect(rec.model).toBe("gpt-image-1");
  });

  test("audio.speech: a few hundred bytes of audio/mpeg", async () => {
    const res = await sdk().audio.speech.create({ model: "tts-1", voice: "alloy", input: "hello there" });
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(200);
    expect(String.fromCharCode(...bytes.slice(0, 3))).toBe("ID3");
    expect(mock.requests[0].body).toMatchObject({ model: "tts-1", voice: "alloy", input: "hello there" });
  });

  test("audio.transcriptions: {text}, or text/plain for response_format text; the file is required", async () => {
    mock.set({ reply: "transcribed words" });
    const file = await toFile(Buffer.alloc(1000), "speech.mp3", { type: "audio/mpeg" });
    const r = await sdk().audio.transcriptions.create({ model: "whisper-1", file });
    expect(r.text).toBe("transcribed words");
    expect(mock.requests[0].body.file).toEqual({ name: "speech.mp3", size: 1000, type: "audio/mpeg" });
    const plain = await sdk().audio.transcriptions.create({ model: "whisper-1", file, response_format: "text" });
    expect(String(plain).trim()).toBe("transcribed words");
    const form = new FormData();
    form.set("model", "whisper-1");
    const res = await fetch(mock.url + "/audio/transcriptions", {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    expect(res.status).toBe(400);
  });
});

describe("azure openai", () => {
  const azure = (opts: { apiKey?: string; endpoint?: string } = {}) =>
    new AzureOpenAI({
      endpoint: opts.endpoint ?? mock.origin,
      apiKey: opts.apiKey ?? KEY,
      apiVersion: "2024-10-21",
      deployment: "my-gpt4o",
      maxRetries: 0,
    });

  test("the AzureOpenAI client: api-key header, api-version query, model = deployment", async () => {
    const r = await azure().chat.completions.create({ model: "ignored", messages: [{ role: "user", content: "hi" }] });
    expect(r.model).toBe("my-gpt4o");
    expect(r.choices[0].message.content).toBe("Hello from the mock upstream!");
    const rec = mock.requests[0];
    expect(rec).toMatchObject({
      path: "/openai/deployments/my-gpt4o/chat/completions",
      query: "?api-version=2024-10-21",
      model: "my-gpt4o",
    });
    expect(rec.headers["api-key"]).toBe(KEY);
    const parts: string[] = [];
    for await (const c of await azure().chat.completions.create({ model: "x", messages: [], stream: true }))
      parts.push(c.choices[0]?.delta?.content ?? "");
    expect(parts.join("")).toBe("Hello from the mock upstream!");
    const e = await azure().embeddings.create({ model: "x", input: "a" });
    expect(e.model).toBe("my-gpt4o");
  });

  test("missing api-version is Azure's 404; a bad key and a 429 are Azure-shaped", async () => {
    const base = `${mock.origin}/openai/deployments/d1/chat/completions`;
    const nover = await postJSON(base, chat, { "api-key": KEY });
    expect(nover.status).toBe(404);
    expect(await nover.json()).toEqual({ error: { code: "404", message: "Resource not found" } });
    const bad = await rejection(azure({ apiKey: "wrong" }).chat.completions.create(chat));
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(bad.error.code).toBe("401");
    const limited = await postJSON(
      mock.urlFor("status=429,retryAfter=4", "") + "/openai/deployments/d1/chat/completions?api-version=2024-10-21",
      chat,
      { "api-key": KEY },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("4");
    const { error } = await limited.json();
    expect(error.code).toBe("429");
    expect(error.message).toContain("Please retry after 4 seconds");
  });
});
