// The mock upstream speaking Anthropic Messages: plain fetch (shapes, event order, usage arithmetic, tool
// and thinking blocks, count_tokens, keys, error shapes) and the official @anthropic-ai/sdk.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream";
import { parsed, postJSON, readSSE, rejection } from "../../support/mock/testkit";

const KEY = "sk-ant-upstream-key-123";
let mock: MockUpstream;
beforeAll(() => void (mock = startMockUpstream({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const HEADERS = { "x-api-key": KEY, "anthropic-version": "2023-06-01" };
const msg = (extra: object = {}) => ({
  model: "claude-sonnet-4-6",
  max_tokens: 100,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
const post = (body: unknown, headers: Record<string, string> = HEADERS, path = "/v1/messages") =>
  postJSON(mock.origin + path, body, headers);
const sdk = (apiKey = KEY, baseURL = mock.origin) => new Anthropic({ baseURL, apiKey, maxRetries: 0 });
const TOOL = { name: "get_weather", arguments: { city: "Paris", unit: "c" } };

describe("anthropic: answers", () => {
  test("non-stream message; input_tokens excludes both cache counts; headers recorded", async () => {
    mock.set({ reply: "Bonjour.", promptTokens: 100, completionTokens: 7, cachedTokens: 60, cacheWriteTokens: 30 });
    const res = await post(msg(), { ...HEADERS, "anthropic-beta": "prompt-caching-2024-07-31" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(body.id).toStartWith("msg_");
    expect(body.content).toEqual([{ type: "text", text: "Bonjour." }]);
    expect(body.usage).toEqual({
      input_tokens: 10,
      output_tokens: 7,
      cache_creation_input_tokens: 30,
      cache_read_input_tokens: 60,
    });
    const u = body.usage;
    expect(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens).toBe(100);
    const rec = mock.requests[0];
    expect(rec).toMatchObject({ path: "/v1/messages", model: "claude-sonnet-4-6", body: { max_tokens: 100 } });
    expect(rec.headers).toMatchObject({
      "x-api-key": KEY,
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "prompt-caching-2024-07-31",
    });
  });

  test("defaults: no cache settings means cache fields 0 and input_tokens = promptTokens", async () => {
    const body = await (await post(msg())).json();
    expect(body.usage).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  test("stream: event order, names match data.type, text deltas, usage in message_start and message_delta", async () => {
    mock.set({ reply: "abcdef", chunks: 3, cachedTokens: 4 });
    const res = await post(msg({ stream: true }), HEADERS, "/v1/messages?beta=true");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const { events, names, error } = await readSSE(res);
    expect(error).toBeNull();
    const order = [
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
    ];
    expect(names).toEqual([...order, "content_block_stop", "message_delta", "message_stop"]);
    const data = parsed(events);
    data.forEach((d, i) => expect(d.type).toBe(names[i]!));
    expect(data[0].message.usage).toEqual({
      input_tokens: 6,
      output_tokens: 1,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 4,
    });
    expect(data[1].content_block).toEqual({ type: "text", text: "" });
    expect(data.slice(3, 6).map((d) => d.delta)).toEqual(
      ["ab", "cd", "ef"].map((text) => ({ type: "text_delta", text })),
    );
    expect(data[7]).toMatchObject({
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    expect(mock.requests[0].query).toBe("?beta=true");
  });

  test("tool mode: tool_use block, streamed as input_json_delta fragments, stop_reason tool_use", async () => {
    mock.set({ tool: TOOL });
    const body = await (await post(msg())).json();
    expect(body.stop_reason).toBe("tool_use");
    expect(body.content).toEqual([
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "get_weather", input: TOOL.arguments },
    ]);
    const data = parsed((await readSSE(await post(msg({ stream: true })))).events);
    expect(data[1].content_block).toMatchObject({ type: "tool_use", name: "get_weather", input: {} });
    const frags = data.filter((d) => d.delta?.type === "input_json_delta").map((d) => d.delta.partial_json);
    expect(frags.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(frags.join(""))).toEqual(TOOL.arguments);
    expect(data.at(-2).delta.stop_reason).toBe("tool_use");
  });

  test("reasoning: a thinking block first (thinking_delta, then signature_delta), then the text block", async () => {
    mock.set({ reasoning: "Let me think.", chunks: 2 });
    const body = await (await post(msg())).json();
    expect(body.content.map((b: any) => b.type)).toEqual(["thinking", "text"]);
    expect(body.content[0]).toMatchObject({ thinking: "Let me think.", signature: expect.any(String) });
    const data = parsed((await readSSE(await post(msg({ stream: true })))).events);
    const deltas = data.filter((d) => d.type === "content_block_delta").map((d) => `${d.index}:${d.delta.type}`);
    expect(deltas).toEqual([
      "0:thinking_delta",
      "0:thinking_delta",
      "0:signature_delta",
      "1:text_delta",
      "1:text_delta",
    ]);
  });

  test("count_tokens answers promptTokens", async () => {
    mock.set({ promptTokens: 42, cachedTokens: 10 });
    const res = await post(
      { model: "claude-sonnet-4-6", messages: [] },
      HEADERS,
      "/v1/messages/count_tokens?beta=true",
    );
    expect(await res.json()).toEqual({ input_tokens: 42 });
  });

  test("models list in Anthropic's shape when asked with anthropic-version", async () => {
    const res = await fetch(mock.url + "/models", { headers: HEADERS });
    const body = await res.json();
    expect(body.data[0]).toMatchObject({ type: "model", id: expect.any(String), display_name: expect.any(String) });
    expect(body.has_more).toBe(false);
  });
});

describe("anthropic: keys and errors", () => {
  const isError = (body: any, type: string) => {
    expect([body.type, body.error.type, typeof body.error.message]).toEqual(["error", type, "string"]);
  };

  test("x-api-key and Bearer are accepted; a wrong or missing key is 401 authentication_error", async () => {
    expect((await post(msg(), { authorization: `Bearer ${KEY}` })).status).toBe(200);
    const bad = await post(msg(), { "x-api-key": "sk-ant-wrong" });
    expect(bad.status).toBe(401);
    const body = await bad.json();
    isError(body, "authentication_error");
    expect(body.error.message).toBe("invalid x-api-key");
    expect((await post(msg(), {})).status).toBe(401);
  });

  test.each([
    [400, "invalid_request_error"],
    [429, "rate_limit_error"],
    [500, "api_error"],
    [529, "overloaded_error"],
  ])("status %d is %s (stream requests too)", async (status, type) => {
    mock.set({ mode: "status", status, retryAfter: 3 });
    const res = await post(msg());
    expect(res.status).toBe(status);
    isError(await res.json(), type);
    expect(res.headers.get("retry-after")).toBe(status === 429 ? "3" : null);
    expect((await post(msg({ stream: true }))).status).toBe(status);
  });

  test("unauthorized mode and invalid JSON", async () => {
    const res = await fetch(mock.urlFor("unauthorized", "") + "/v1/messages", {
      method: "POST",
      headers: HEADERS,
      body: "{}",
    });
    expect(res.status).toBe(401);
    isError(await res.json(), "authentication_error");
    const junk = await fetch(mock.origin + "/v1/messages", { method: "POST", headers: HEADERS, body: "{oops" });
    expect(junk.status).toBe(400);
    isError(await junk.json(), "invalid_request_error");
  });
});

describe("anthropic: the official SDK", () => {
  test("messages.create reads text and usage", async () => {
    mock.set({ reply: "Hi from Claude.", cachedTokens: 2, cacheWriteTokens: 3 });
    const m = await sdk().messages.create(msg() as Anthropic.MessageCreateParamsNonStreaming);
    expect(m.content[0]).toMatchObject({ type: "text", text: "Hi from Claude." });
    expect(m.usage).toMatchObject({
      input_tokens: 5,
      output_tokens: 5,
      cache_read_input_tokens: 2,
      cache_creation_input_tokens: 3,
    });
  });

  test("messages.stream().finalMessage() assembles text, thinking and tool_use", async () => {
    mock.set({ reply: "streamed text", chunks: 4 });
    const texts: string[] = [];
    const stream = sdk()
      .messages.stream(msg() as Anthropic.MessageStreamParams)
      .on("text", (t) => texts.push(t));
    const m = await stream.finalMessage();
    expect(texts).toEqual(["str", "eam", "ed ", "text"]);
    expect(m.content as unknown[]).toEqual([{ type: "text", text: "streamed text" }]);
    expect(m.usage.output_tokens).toBe(5);
    mock.set({ tool: TOOL, reasoning: "thinking hard" });
    const t = await sdk()
      .messages.stream(msg() as Anthropic.MessageStreamParams)
      .finalMessage();
    expect(t.stop_reason).toBe("tool_use");
    expect(t.content[0]).toMatchObject({ type: "thinking", thinking: "thinking hard" });
    expect(t.content[1]).toMatchObject({ type: "tool_use", name: "get_weather", input: TOOL.arguments });
  });

  test("errors map to the SDK's classes; 529 is an InternalServerError with overloaded_error", async () => {
    expect(await rejection(sdk("sk-ant-wrong").messages.create(msg() as any))).toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    const e = await rejection(sdk(KEY, mock.urlFor("status=529", "")).messages.create(msg() as any));
    expect(e).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e.status).toBe(529);
    expect(e.error.error.type).toBe("overloaded_error");
    expect(await rejection(sdk(KEY, mock.urlFor("status=429", "")).messages.create(msg() as any))).toBeInstanceOf(
      Anthropic.RateLimitError,
    );
  });

  test("countTokens through the SDK", async () => {
    const r = await sdk().messages.countTokens({
      model: "claude-sonnet-4-6",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(r.input_tokens).toBe(10);
  });
});
