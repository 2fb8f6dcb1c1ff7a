// The mock upstream itself: driven with plain fetch and the official `openai` client, it answers like
// OpenAI (non-stream, SSE with usage only when asked, completions, embeddings, models, images), and each
// fault mode is observable: statuses, retry-after, slow first byte, an abrupt cut, no usage, echo, aborts.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { maskKey, type MockUpstream, parseModeSpec, splitText, startMockUpstream } from "../../support/mock-upstream";
import { readSSE, rejection } from "../../support/mock/testkit";

const KEY = "sk-upstream-key-xyz";
let mock: MockUpstream;

beforeAll(() => {
  mock = startMockUpstream({ keys: [KEY] });
});
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const sdk = (baseURL = mock.url, apiKey = KEY) => new OpenAI({ baseURL, apiKey, maxRetries: 0 });
type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type StreamParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
const chat = (extra: Partial<ChatParams> = {}): ChatParams => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
const chatStream = (extra: Partial<StreamParams> = {}): StreamParams => ({ ...chat(), ...extra, stream: true });

/** A raw POST to the mock with the accepted key. */
function post(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(mock.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

describe("normal answers", () => {
  test("models list through the SDK", async () => {
    const ids: string[] = [];
    for await (const m of sdk().models.list()) ids.push(m.id);
    expect(ids).toContain("gpt-4o-mini");
  });

  test("chat non-stream through the SDK: reply, model received, usage with cached tokens when configured", async () => {
    mock.set({ reply: "Hi there.", promptTokens: 7, completionTokens: 3, cachedTokens: 4 });
    const r = await sdk().chat.completions.create(chat({ model: "gpt-4o" }));
    expect(r.object).toBe("chat.completion");
    expect(r.id).toStartWith("chatcmpl-");
    expect(typeof r.created).toBe("number");
    expect(r.model).toBe("gpt-4o");
    expect(r.choices[0].message.content).toBe("Hi there.");
    expect(r.choices[0].finish_reason).toBe("stop");
    expect(r.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 3,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    mock.reset();
    const plain = await sdk().chat.completions.create(chat());
    expect(plain.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  });

  test("chat stream through the SDK: role chunk, N content chunks, finish; no usage chunk unless asked", async () => {
    mock.set({ reply: "abcdefgh", chunks: 4 });
    const chunks: any[] = [];
    for await (const c of await sdk().chat.completions.create(chatStream())) chunks.push(c);
    expect(chunks.length).toBe(6);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.slice(1, 5).map((c) => c.choices[0].delta.content)).toEqual(["ab", "cd", "ef", "gh"]);
    expect(chunks[5].choices[0].finish_reason).toBe("stop");
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect(c.model).toBe("gpt-4o-mini");
      expect(c.usage).toBeNull();
    }
  });

  test("chat stream with include_usage ends with a usage-only chunk", async () => {
    mock.set({ cachedTokens: 2 });
    const chunks: any[] = [];
    const stream = await sdk().chat.completions.create(chatStream({ stream_options: { include_usage: true } }));
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 2 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello from the mock upstream!");
  });

  test("raw SSE: event-stream headers, usage:null in every chunk but the usage one, [DONE] last", async () => {
    const res = await post("/chat/completions", chatStream({ stream_options: { include_usage: true } }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const { events, error } = await readSSE(res);
    expect(error).toBeNull();
    expect(events.at(-1)).toBe("[DONE]");
    const objs = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(objs.length).toBe(1 + 5 + 1 + 1);
    for (const o of objs.slice(0, -1)) expect(o).toHaveProperty("usage", null);
    expect(objs.at(-1).usage.total_tokens).toBe(15);
  });

  test("paced chunks are written as produced, not buffered", async () => {
    mock.set({ chunks: 4, intervalMs: 120 });
    const { events, times, error } = await readSSE(await post("/chat/completions", chatStream()));
    expect(error).toBeNull();
    expect(events.length).toBe(1 + 4 + 1 + 1);
    // first content chunk (event 1) to last content chunk (event 4): three pauses apart on the wire
    expect(times[4] - times[1]).toBeGreaterThanOrEqual(3 * 120 - 30);
  });

  test("completions, non-stream and stream through the SDK", async () => {
    mock.set({ reply: "once upon", chunks: 3 });
    const r = await sdk().completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "say" });
    expect(r.object).toBe("text_completion");
    expect(r.model).toBe("gpt-3.5-turbo-instruct");
    expect(r.choices[0].text).toBe("once upon");
    expect(r.usage?.total_tokens).toBe(15);
    const texts: string[] = [];
    let usage: any;
    const stream = await sdk().completions.create({
      model: "m",
      prompt: "say",
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const c of stream) {
      if (c.choices.length) texts.push(c.choices[0].text);
      else usage = c.usage;
    }
    expect(texts.join("")).toBe("once upon");
    expect(usage.prompt_tokens).toBe(10);
  });

  test("embeddings: one vector per input, base64 (the SDK's default) and float, with usage", async () => {
    const r = await sdk().embeddings.create({ model: "text-embedding-3-small", input: ["a", "bb", "ccc"] });
    expect(r.data.length).toBe(3);
    expect(r.data.map((d) => d.index)).toEqual([0, 1, 2]);
    for (const d of r.data) expect(d.embedding.length).toBe(4);
    expect(r.usage.prompt_tokens).toBe(10);
    const raw = await (
      await post("/embeddings", { model: "e", input: ["a", "bb", "ccc"], encoding_format: "float" })
    ).json();
    expect(raw.data[2].embedding.every((x: unknown) => typeof x === "number")).toBe(true);
    raw.data[2].embedding.forEach((x: number, j: number) => expect(r.data[2].embedding[j]).toBeCloseTo(x, 4));
    const one = await (await post("/embeddings", { model: "e", input: "single" })).json();
    expect(one.data.length).toBe(1);
  });

  test("images: n urls", async () => {
    const r = await sdk().images.generate({ model: "dall-e-3", prompt: "a cat", n: 2 });
    expect(r.data?.length).toBe(2);
    for (const d of r.data ?? []) expect(d.url).toStartWith("http://");
  });

  test("unknown path is an OpenAI-shaped 404", async () => {
    const res = await post("/nope", {});
    expect(res.status).toBe(404);
    expect((await res.json()).error.type).toBe("invalid_request_error");
  });
});

describe("faults", () => {
  test("429 with retry-after surfaces as the SDK's RateLimitError", async () => {
    mock.set({ mode: "status", status: 429, retryAfter: 2 });
    const e = await rejection(sdk().chat.completions.create(chat()));
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.status).toBe(429);
    expect(e.headers.get("retry-after")).toBe("2");
    expect(e.code).toBe("rate_limit_exceeded");
  });

  test.each([500, 502, 503])("status %d surfaces as InternalServerError, also for streams", async (status) => {
    mock.set({ mode: "status", status });
    const e = await rejection(sdk().chat.completions.create(chat()));
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e.status).toBe(status);
    const s = await rejection(sdk().chat.completions.create(chatStream()));
    expect(s.status).toBe(status);
  });

  test("400 names the bad parameter", async () => {
    mock.set({ mode: "status", status: 400 });
    const e = await rejection(sdk().chat.completions.create(chat()));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.param).toBe("temperature");
    expect(e.type).toBe("invalid_request_error");
    expect(e.message).toContain("temperature");
  });

  test("unauthorized: 401 invalid_api_key whose text shows part of the upstream key and its URL", async () => {
    mock.set({ mode: "unauthorized" });
    const res = await post("/chat/completions", chat());
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });
    expect(maskKey(KEY)).toBe("sk-up...xyz");
    expect(body.error.message).toStartWith("Incorrect API key provided: sk-up...xyz");
    expect(body.error.message).toContain(mock.origin);
    const e = await rejection(sdk().chat.completions.create(chat()));
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  test("a key not in opts.keys answers like unauthorized; the right key passes", async () => {
    const e = await rejection(sdk(mock.url, "sk-wrong-key-abc").chat.completions.create(chat()));
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(e.code).toBe("invalid_api_key");
    expect(e.message).toContain("sk-wr...abc");
    const missing = await fetch(mock.url + "/models");
    expect(missing.status).toBe(401);
    expect((await sdk().chat.completions.create(chat())).choices[0].message.content).toBeTruthy();
  });

  test("slow_first_byte: headers arrive after at least the delay", async () => {
    mock.set({ mode: "slow_first_byte", delayMs: 200 });
    const t0 = performance.now();
    const res = await post("/chat/completions", chat());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toBe("Hello from the mock upstream!");
  });

  test("cut_after: K content chunks, then a connection reset (raw reader sees an error, no [DONE])", async () => {
    mock.set({ mode: "cut_after", cutAfter: 2, chunks: 5 });
    const { events, error } = await readSSE(
      await post("/chat/completions", chatStream({ stream_options: { include_usage: true } })),
    );
    expect(error).not.toBeNull();
    expect(events.length).toBe(1 + 2);
    expect(events).not.toContain("[DONE]");
    expect(mock.aborted).toBe(0);
  });

  test("cut_after surfaces as an error in the SDK's stream iteration", async () => {
    mock.set({ mode: "cut_after", cutAfter: 1 });
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const c of await sdk().chat.completions.create(chatStream()))
          seen.push(c.choices[0].delta.content ?? "");
      })(),
    );
    expect(e).toBeInstanceOf(Error);
    expect(seen.join("")).toBe(splitText("Hello from the mock upstream!", 5)[0]);
  });

  test("no_usage: no usage chunk even when asked, and no usage in a non-stream reply", async () => {
    mock.set({ mode: "no_usage" });
    const { events } = await readSSE(
      await post("/chat/completions", chatStream({ stream_options: { include_usage: true } })),
    );
    expect(events.at(-1)).toBe("[DONE]");
    const objs = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(objs.every((o) => o.usage === null && o.choices.length === 1)).toBe(true);
    const r = await sdk().chat.completions.create(chat());
    expect(r.usage).toBeUndefined();
  });

  test("echo: the reply is what was received (method, path, headers with the key, body)", async () => {
    mock.set({ mode: "echo" });
    const r = await sdk().chat.completions.create(chat({ model: "upstream-model", temperature: 0.3, user: "u1" }));
    const got = JSON.parse(r.choices[0].message.content!);
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/v1/chat/completions");
    expect(got.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(got.body).toMatchObject({ model: "upstream-model", temperature: 0.3, user: "u1" });
    const parts: string[] = [];
    for await (const c of await sdk().chat.completions.create(chatStream({ seed: 9 })))
      parts.push(c.choices[0]?.delta?.content ?? "");
    expect(JSON.parse(parts.join("")).body).toMatchObject({ stream: true, seed: 9 });
  });
});

describe("switching, recording, aborts", () => {
  test("x-mock-mode switches one request; urlFor pins a base URL; others stay normal", async () => {
    expect(parseModeSpec("status=429,retryAfter=3")).toEqual({ mode: "status", status: 429, retryAfter: 3 });
    const [bad, good] = await Promise.all([
      post("/chat/completions", chat(), { "x-mock-mode": "status=503" }),
      post("/chat/completions", chat()),
    ]);
    expect([bad.status, good.status]).toEqual([503, 200]);
    const init = { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(chat()) };
    const pinned = await fetch(mock.urlFor("status=429,retryAfter=1") + "/chat/completions", init);
    expect(pinned.status).toBe(429);
    expect(pinned.headers.get("retry-after")).toBe("1");
    const e = await rejection(sdk(mock.urlFor("unauthorized")).models.list());
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(mock.requests.at(-1)).toMatchObject({ path: "/v1/models", mode: "unauthorized" });
  });

  test("records every request; reset clears records and restores the start options", async () => {
    mock.set({ mode: "status", status: 500 });
    await post("/embeddings", { model: "e", input: "x" });
    expect(mock.requests.length).toBe(1);
    const rec = mock.requests[0];
    expect(rec).toMatchObject({
      method: "POST",
      path: "/v1/embeddings",
      body: { model: "e", input: "x" },
      mode: "status",
    });
    expect(rec.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(Math.abs(Date.now() - rec.time)).toBeLessThan(5000);
    mock.reset();
    expect(mock.requests.length).toBe(0);
    expect((await post("/embeddings", { model: "e", input: "x" })).status).toBe(200);
  });

  test("a client aborting a paced stream is counted within 1 s, and the mock stops producing", async () => {
    mock.set({ chunks: 20, intervalMs: 100 });
    const ac = new AbortController();
    const res = await post("/chat/completions", chatStream(), {}, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await mock.waitFor(() => mock.aborted === 1, 1000);
    const sent = mock.requests[0].sent;
    await Bun.sleep(350);
    expect(mock.requests[0].sent).toBeLessThanOrEqual(sent + 1);
    expect(sent).toBeLessThan(10);
    expect(mock.aborted).toBe(1);
  });

  test("completed, errored and cut responses are not counted as aborted", async () => {
    await (await post("/chat/completions", chatStream())).text();
    await (await post("/chat/completions", chat())).json();
    await (await post("/chat/completions", chat(), { "x-mock-mode": "status=500" })).json();
    await readSSE(await post("/chat/completions", chatStream(), { "x-mock-mode": "cut_after=1" }));
    await Bun.sleep(100);
    expect(mock.aborted).toBe(0);
    expect(mock.requests.length).toBe(4);
    expect(mock.requests[0].sent).toBe(1 + 5 + 1 + 1);
  });

  test("waitFor rejects when the condition is not met in time", async () => {
    await expect(mock.waitFor(() => false, 50)).rejects.toThrow("within 50 ms");
  });
});

describe("one server, every wire format (details in test/e2e/mock/*.test.ts)", () => {
  test("each format is routed by path, with its own key header, and recorded with its model", async () => {
    const send = (url: string, headers: Record<string, string>, body: object) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const replies = await Promise.all([
      send(mock.origin + "/v1/messages", { "x-api-key": KEY }, { model: "claude-x", messages: [] }),
      send(mock.geminiUrl + "/models/gemini-y:generateContent", { "x-goog-api-key": KEY }, { contents: [] }),
      send(
        mock.origin + "/openai/deployments/dep-z/chat/completions?api-version=2024-10-21",
        { "api-key": KEY },
        { messages: [] },
      ),
      send(mock.url + "/responses", { authorization: `Bearer ${KEY}` }, { model: "gpt-r", input: "hi" }),
    ]);
    const [claude, gemini, azure, resp] = await Promise.all(replies.map((r) => r.json()));
    expect(claude.content[0].text).toBe("Hello from the mock upstream!");
    expect(gemini.candidates[0].content.parts[0].text).toBe("Hello from the mock upstream!");
    expect(azure.model).toBe("dep-z");
    expect(resp.output[0].content[0].text).toBe("Hello from the mock upstream!");
    expect(mock.requests.map((r) => r.model).sort()).toEqual(["claude-x", "dep-z", "gemini-y", "gpt-r"]);
    expect(mock.urlFor("status=500", "/v1beta")).toBe(`${mock.origin}/m/status=500/v1beta`);
    expect(mock.urlFor("ok")).toBe(`${mock.origin}/m/ok/v1`);
  });
});
