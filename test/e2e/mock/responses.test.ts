// The mock upstream speaking OpenAI Responses: plain fetch (Response object, event order with
// sequence_number, function_call and reasoning items, usage, cut_after) and the official `openai` SDK's
// responses.create / responses.stream.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { type MockUpstream, startMockUpstream } from "../../support/mock-upstream";
import { parsed, postJSON, readSSE, rejection } from "../../support/mock/testkit";

const KEY = "sk-upstream-responses-789";
let mock: MockUpstream;
beforeAll(() => void (mock = startMockUpstream({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const post = (body: object, headers: Record<string, string> = {}) =>
  postJSON(
    mock.url + "/responses",
    { model: "gpt-5", input: "hi", ...body },
    { authorization: `Bearer ${KEY}`, ...headers },
  );
const sdk = (baseURL = mock.url) => new OpenAI({ baseURL, apiKey: KEY, maxRetries: 0 });
const TOOL = { name: "search", arguments: { query: "bun sse", top: 2 } };

const TEXT_EVENTS = ["response.output_item.added", "response.content_part.added"];
const TEXT_DONE = ["response.output_text.done", "response.content_part.done", "response.output_item.done"];

describe("responses: answers", () => {
  test("non-stream Response object with a message item and usage details", async () => {
    mock.set({ reply: "Done.", promptTokens: 30, completionTokens: 20, cachedTokens: 10, reasoningTokens: 5 });
    const body = await (await post({})).json();
    expect(body).toMatchObject({ object: "response", status: "completed", model: "gpt-5" });
    expect(body.id).toStartWith("resp_");
    expect(body.output).toHaveLength(1);
    expect(body.output[0]).toMatchObject({ type: "message", status: "completed", role: "assistant" });
    expect(body.output[0].content).toEqual([{ type: "output_text", text: "Done.", annotations: [] }]);
    expect(body.usage).toEqual({
      input_tokens: 30,
      input_tokens_details: { cached_tokens: 10 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 50,
    });
  });

  test("stream: event names equal data.type, sequence numbers 0…n, deltas, completed carries usage", async () => {
    mock.set({ reply: "abcd", chunks: 2 });
    const { events, names, error } = await readSSE(await post({ stream: true }));
    expect(error).toBeNull();
    const deltas = ["response.output_text.delta", "response.output_text.delta"];
    expect(names).toEqual([
      "response.created",
      "response.in_progress",
      ...TEXT_EVENTS,
      ...deltas,
      ...TEXT_DONE,
      "response.completed",
    ]);
    const data = parsed(events);
    data.forEach((d, i) => expect([d.type, d.sequence_number]).toEqual([names[i], i]));
    expect(data[0].response).toMatchObject({ status: "in_progress", output: [], usage: null });
    expect(data.slice(4, 6).map((d) => d.delta)).toEqual(["ab", "cd"]);
    expect(data[6].text).toBe("abcd");
    const done = data.at(-1).response;
    expect(done.status).toBe("completed");
    expect(done.output[0].content[0].text).toBe("abcd");
    expect(done.usage.total_tokens).toBe(15);
  });

  test("tool mode: a function_call item, arguments streamed in fragments", async () => {
    mock.set({ tool: TOOL });
    const body = await (await post({})).json();
    expect(body.output[0]).toMatchObject({
      type: "function_call",
      status: "completed",
      name: "search",
      arguments: JSON.stringify(TOOL.arguments),
    });
    expect(body.output[0].call_id).toStartWith("call_");
    const { events, names } = await readSSE(await post({ stream: true }));
    const data = parsed(events);
    const frags = data.filter((d) => d.type === "response.function_call_arguments.delta").map((d) => d.delta);
    expect(frags.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(frags.join(""))).toEqual(TOOL.arguments);
    expect(names).toContain("response.function_call_arguments.done");
    expect(names).not.toContain("response.output_text.delta");
  });

  test("reasoning: a reasoning item with a summary comes first", async () => {
    mock.set({ reasoning: "First, think.", chunks: 2 });
    const body = await (await post({})).json();
    expect(body.output.map((o: any) => o.type)).toEqual(["reasoning", "message"]);
    expect(body.output[0].summary).toEqual([{ type: "summary_text", text: "First, think." }]);
    const { names } = await readSSE(await post({ stream: true }));
    expect(names.filter((n) => n!.endsWith(".delta"))).toEqual([
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
    ]);
  });

  test("cut_after cuts after N deltas; no_usage drops the usage", async () => {
    const cut = await readSSE(await post({ stream: true }, { "x-mock-mode": "cut_after=2" }));
    expect(cut.error).not.toBeNull();
    expect(cut.names.filter((n) => n === "response.output_text.delta").length).toBe(2);
    expect(cut.names).not.toContain("response.completed");
    const none = await (await post({}, { "x-mock-mode": "no_usage" })).json();
    expect(none.usage).toBeUndefined();
  });
});

describe("responses: the official SDK", () => {
  test("responses.create: output_text and usage", async () => {
    mock.set({ reply: "SDK says hi.", cachedTokens: 3 });
    const r = await sdk().responses.create({ model: "gpt-5", input: "hi" });
    expect(r.output_text).toBe("SDK says hi.");
    expect(r.usage?.input_tokens_details.cached_tokens).toBe(3);
  });

  test("responses.stream: text deltas and the final response; function calls too", async () => {
    mock.set({ reply: "streaming along", chunks: 3 });
    const deltas: string[] = [];
    const stream = sdk()
      .responses.stream({ model: "gpt-5", input: "hi" })
      .on("response.output_text.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("streaming along");
    expect(final.output_text).toBe("streaming along");
    expect(final.usage?.total_tokens).toBe(15);
    mock.set({ tool: TOOL, reasoning: "hmm" });
    const withTool = await sdk().responses.stream({ model: "gpt-5", input: "hi" }).finalResponse();
    const fc = withTool.output.find((o) => o.type === "function_call") as OpenAI.Responses.ResponseFunctionToolCall;
    expect(JSON.parse(fc.arguments)).toEqual(TOOL.arguments);
    expect(withTool.output[0].type).toBe("reasoning");
  });

  test("errors are OpenAI-shaped", async () => {
    const e = await rejection(
      sdk(mock.urlFor("status=429,retryAfter=1")).responses.create({ model: "gpt-5", input: "hi" }),
    );
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.headers.get("retry-after")).toBe("1");
  });
});
