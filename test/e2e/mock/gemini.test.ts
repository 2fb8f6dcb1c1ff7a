// The mock upstream speaking Gemini: plain fetch (generateContent, SSE and JSON-array streams, countTokens,
// models, usage with cached and thought tokens, functionCall and thought parts, keys, Google error shapes)
// and the official @google/genai SDK.
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream";
import { parsed, postJSON, readSSE, rejection } from "../../support/mock/testkit";

const KEY = "AIza-upstream-key-456";
let mock: MockUpstream;
beforeAll(() => void (mock = startMockUpstream({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const REQ = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
const call = (
  method: string,
  query = "",
  headers: Record<string, string> = { "x-goog-api-key": KEY },
  model = "gemini-2.5-flash",
) => postJSON(`${mock.geminiUrl}/models/${model}:${method}${query}`, REQ, headers);
const sdk = (apiKey = KEY, baseUrl = mock.origin) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
const TOOL = { name: "lookup", arguments: { q: "weather in Oslo", limit: 3 } };

describe("gemini: answers", () => {
  test("generateContent: model parts, STOP, usage; the model from the URL is recorded", async () => {
    mock.set({ reply: "Hej.", promptTokens: 20, completionTokens: 8 });
    const res = await call("generateContent");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.candidates[0]).toEqual({
      content: { role: "model", parts: [{ text: "Hej." }] },
      index: 0,
      finishReason: "STOP",
    });
    expect(body.usageMetadata).toEqual({ promptTokenCount: 20, candidatesTokenCount: 8, totalTokenCount: 28 });
    expect(body.modelVersion).toBe("gemini-2.5-flash");
    expect(mock.requests[0]).toMatchObject({
      path: "/v1beta/models/gemini-2.5-flash:generateContent",
      model: "gemini-2.5-flash",
      body: REQ,
    });
  });

  test("usage: cachedContentTokenCount and thoughtsTokenCount only when set; candidates exclude thoughts", async () => {
    mock.set({ promptTokens: 50, completionTokens: 30, cachedTokens: 40, reasoningTokens: 12 });
    const { usageMetadata } = await (await call("generateContent")).json();
    expect(usageMetadata).toEqual({
      promptTokenCount: 50,
      candidatesTokenCount: 18,
      totalTokenCount: 80,
      cachedContentTokenCount: 40,
      thoughtsTokenCount: 12,
    });
  });

  test("streamGenerateContent?alt=sse: unnamed CRLF events, text chunks, last one STOP with usage", async () => {
    mock.set({ reply: "abcdef", chunks: 3 });
    const res = await call("streamGenerateContent", "?alt=sse");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const raw = await res.clone().text();
    expect(raw).toStartWith("data: {");
    expect(raw.split("\r\n\r\n").length).toBe(4 + 1);
    const { events, names, error } = await readSSE(res);
    expect(error).toBeNull();
    expect(names.every((n) => n === null)).toBe(true);
    const data = parsed(events);
    expect(data.slice(0, 3).map((d) => d.candidates[0].content)).toEqual(
      ["ab", "cd", "ef"].map((text) => ({ role: "model", parts: [{ text }] })),
    );
    expect(data.slice(0, 3).every((d) => !d.usageMetadata && !d.candidates[0].finishReason)).toBe(true);
    expect(data[3].candidates[0].finishReason).toBe("STOP");
    expect(data[3].usageMetadata.totalTokenCount).toBe(15);
  });

  test("streamGenerateContent without alt=sse is one JSON array", async () => {
    const res = await call("streamGenerateContent");
    expect(res.headers.get("content-type")).toBe("application/json");
    const arr = await res.json();
    expect(arr.length).toBe(5 + 1);
    expect(arr.at(-1).candidates[0].finishReason).toBe("STOP");
  });

  test("tool mode: a functionCall part (one stream chunk), finishReason STOP", async () => {
    mock.set({ tool: TOOL });
    const body = await (await call("generateContent")).json();
    expect(body.candidates[0].content.parts).toEqual([{ functionCall: { name: "lookup", args: TOOL.arguments } }]);
    expect(body.candidates[0].finishReason).toBe("STOP");
    const data = parsed((await readSSE(await call("streamGenerateContent", "?alt=sse"))).events);
    expect(data.length).toBe(2);
    expect(data[0].candidates[0].content.parts[0].functionCall.args).toEqual(TOOL.arguments);
  });

  test("reasoning: thought parts first", async () => {
    mock.set({ reasoning: "pondering", chunks: 2, reply: "done" });
    const body = await (await call("generateContent")).json();
    expect(body.candidates[0].content.parts).toEqual([{ text: "pondering", thought: true }, { text: "done" }]);
    const data = parsed((await readSSE(await call("streamGenerateContent", "?alt=sse"))).events);
    expect(data.map((d) => d.candidates[0].content.parts[0].thought ?? false)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test("countTokens and the models list", async () => {
    mock.set({ promptTokens: 33 });
    expect(await (await call("countTokens")).json()).toEqual({ totalTokens: 33 });
    const list = await (await fetch(`${mock.geminiUrl}/models?key=${KEY}`)).json();
    expect(list.models[0]).toMatchObject({ name: "models/gemini-2.5-flash", displayName: "gemini-2.5-flash" });
    expect(list.models[0].supportedGenerationMethods).toContain("generateContent");
  });
});

describe("gemini: keys and errors", () => {
  test("?key= works; a bad or missing key is 400 INVALID_ARGUMENT API_KEY_INVALID", async () => {
    expect((await call("generateContent", `?key=${KEY}`, {})).status).toBe(200);
    for (const headers of [{ "x-goog-api-key": "AIza-wrong" }, {}] as Record<string, string>[]) {
      const res = await call("generateContent", "", headers);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect([error.code, error.status, error.message]).toEqual([
        400,
        "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
      ]);
      expect(error.details[0].reason).toBe("API_KEY_INVALID");
    }
  });

  test.each([
    [400, "INVALID_ARGUMENT"],
    [429, "RESOURCE_EXHAUSTED"],
    [500, "INTERNAL"],
    [503, "UNAVAILABLE"],
  ])("status %d is %s", async (code, status) => {
    const res = await call("generateContent", "", { "x-goog-api-key": KEY, "x-mock-mode": `status=${code}` });
    expect(res.status).toBe(code);
    const { error } = await res.json();
    expect([error.code, error.status, typeof error.message]).toEqual([code, status, "string"]);
  });

  test("unknown method is NOT_FOUND in Google's shape", async () => {
    const res = await call("frobnicate");
    expect(res.status).toBe(404);
    expect((await res.json()).error.status).toBe("NOT_FOUND");
  });
});

describe("gemini: the official SDK", () => {
  test("generateContent, generateContentStream, countTokens", async () => {
    mock.set({ reply: "From Gemini.", chunks: 3, cachedTokens: 2 });
    const ai = sdk();
    const r = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
    expect(r.text).toBe("From Gemini.");
    expect(r.usageMetadata).toMatchObject({
      promptTokenCount: 10,
      candidatesTokenCount: 5,
      cachedContentTokenCount: 2,
    });
    const parts: string[] = [];
    let last: any;
    for await (const c of await ai.models.generateContentStream({ model: "gemini-2.5-flash", contents: "hi" })) {
      parts.push(c.text ?? "");
      last = c;
    }
    expect(parts.join("")).toBe("From Gemini.");
    expect(last.usageMetadata.totalTokenCount).toBe(15);
    expect(mock.requests[1].query).toBe("?alt=sse");
    expect(mock.requests[1].headers["x-goog-api-key"]).toBe(KEY);
    expect((await ai.models.countTokens({ model: "gemini-2.5-flash", contents: "hi" })).totalTokens).toBe(10);
  });

  test("functionCalls through the SDK; errors carry the status", async () => {
    mock.set({ tool: TOOL });
    const r = await sdk().models.generateContent({ model: "gemini-2.5-pro", contents: "hi" });
    expect(r.functionCalls?.[0]).toMatchObject({ name: "lookup", args: TOOL.arguments });
    const bad = await rejection(
      sdk("AIza-wrong").models.generateContent({ model: "gemini-2.5-flash", contents: "hi" }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toContain("API key not valid");
    const busy = await rejection(
      sdk(KEY, mock.urlFor("status=503", "")).models.generateContent({ model: "gemini-2.5-flash", contents: "hi" }),
    );
    expect(busy.status).toBe(503);
  });
});
