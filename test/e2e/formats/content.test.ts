// Rich conversations through translation, end to end: images, system prompts (also one inside
// Anthropic's messages), and a tool call with its result in the history, as the upstream of another
// format receives them.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { modelOf, setupFormats } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let env: Awaited<ReturnType<typeof setupFormats>>;
const PNG = "iVBORw0KGgoAAAANSUhEUg==";
const last = () => mock.requests[mock.requests.length - 1];

beforeAll(async () => {
  mock = startMockUpstream({});
  env = await setupFormats(app.url, mock);
});

async function post(path: string, body: unknown) {
  const r = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
  return last().body;
}

describe("through translation, the upstream receives the whole conversation", () => {
  test("Anthropic → chat: system blocks, an image, a tool round, a system turn inside messages", async () => {
    const up = await post("/v1/messages", {
      model: modelOf("openai"),
      max_tokens: 100,
      system: [{ type: "text", text: "Be terse.", cache_control: { type: "ephemeral" } }],
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
        { role: "system", content: "Reminder: answer in English." },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
            { type: "text", text: "And so?" },
          ],
        },
      ],
    });
    expect(up.messages).toEqual([
      { role: "system", content: "Be terse." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
      { role: "system", content: "Reminder: answer in English." },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18°C" },
      { role: "user", content: "And so?" },
    ]);
    expect(up.tools[0]).toMatchObject({ type: "function", function: { name: "get_weather" } });
  });

  test("chat → Anthropic: system to the top level, a data-URL image, tool results as a user turn", async () => {
    const up = await post("/v1/chat/completions", {
      model: modelOf("anthropic"),
      messages: [
        { role: "system", content: "Be terse." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C" },
      ],
    });
    expect(up.system).toBe("Be terse.");
    expect(up.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Look" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        ],
      },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18°C" }] },
    ]);
    expect(up.max_tokens).toBeGreaterThan(0); // Anthropic requires it; chat did not send one
  });

  test("Gemini → chat: systemInstruction, inlineData, a functionCall and its functionResponse", async () => {
    const up = await post(`/v1beta/models/${modelOf("openai")}:generateContent`, {
      systemInstruction: { parts: [{ text: "Be terse." }] },
      contents: [
        { role: "user", parts: [{ text: "Look" }, { inlineData: { mimeType: "image/png", data: PNG } }] },
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 18 } } }] },
      ],
    });
    expect(up.messages[0]).toEqual({ role: "system", content: "Be terse." });
    expect(up.messages[1].content[1]).toEqual({
      type: "image_url",
      image_url: { url: `data:image/png;base64,${PNG}` },
    });
    const call = up.messages[2].tool_calls[0];
    expect(call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(up.messages[3]).toEqual({ role: "tool", tool_call_id: call.id, content: '{"temp":18}' });
  });

  test("Responses → Anthropic: instructions and a developer item as system, a function call round", async () => {
    const up = await post("/v1/responses", {
      model: modelOf("anthropic"),
      instructions: "Be terse.",
      input: [
        { type: "message", role: "developer", content: "Answer in English." },
        { type: "message", role: "user", content: "Weather in Paris?" },
        { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call_output", call_id: "c1", output: "18°C" },
      ],
      tools: [{ type: "function", name: "get_weather", parameters: { type: "object", properties: {} } }],
    });
    expect(up.system).toBe("Be terse.\n\nAnswer in English.");
    expect(up.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "get_weather", input: { city: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "c1", content: "18°C" }] },
    ]);
    expect(up.tools).toEqual([{ name: "get_weather", input_schema: { type: "object", properties: {} } }]);
  });
});
