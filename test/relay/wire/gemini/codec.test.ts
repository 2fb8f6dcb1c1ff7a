// The Gemini codec: requests, replies and streams both ways through the chat pivot, the 400s for what
// cannot be translated, and round trips.
import { describe, expect, test } from "bun:test";
import { AppError } from "../../../../src/errors";
import { gemini } from "../../../../src/relay/wire/gemini/codec";
import { formatSse, parseSse } from "../../../../src/relay/wire/sse";
import type { Json, SseEvent } from "../../../../src/relay/wire/codec";

const toChat = (body: Json) => gemini.requestToChat({ model: "gemini-2.5-pro", ...body });
const fromChat = (chat: Json) => gemini.requestFromChat!(chat, "gemini-2.5-flash", false);
const user = (...parts: Json[]) => ({ role: "user", parts });
const model = (...parts: Json[]) => ({ role: "model", parts });

/** The AppError `fn` throws; fails the test when it throws none. */
function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return err as AppError;
  }
  throw new Error("expected a refusal");
}

/** Runs a stream translator over `items` and its end(). */
function run<In, Out>(translator: { push(i: In): Out[]; end(): Out[] }, items: In[]): Out[] {
  return [...items.flatMap((item) => translator.push(item)), ...translator.end()];
}

const chunk = (delta: Json, finish: string | null = null): Json => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  model: "up",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk = (usage: Json): Json => ({ id: "chatcmpl-1", object: "chat.completion.chunk", choices: [], usage });
const geminiEvent = (parts: Json[], extra: Json = {}, candidate: Json = {}): SseEvent => ({
  data: {
    candidates: [{ content: { role: "model", parts }, index: 0, ...candidate }],
    modelVersion: "gemini-2.5-pro",
    responseId: "r1",
    ...extra,
  },
});
const meta = (prompt: number, candidates: number, extra: Json = {}) => ({
  promptTokenCount: prompt,
  candidatesTokenCount: candidates,
  totalTokenCount: prompt + candidates + (extra.thoughtsTokenCount ?? 0),
  ...extra,
});

describe("requestToChat", () => {
  test("text turns, system instruction, model from the body", () => {
    const chat = toChat({
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }] },
      contents: [user({ text: "Hi" }), model({ text: "Bon" }, { text: "jour" }), user({ text: "a" }, { text: "b" })],
    });
    expect(chat).toEqual({
      model: "gemini-2.5-pro",
      messages: [
        { role: "system", content: "Be brief.\nAnswer in French." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Bonjour" },
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
    });
    expect(chat.stream).toBeUndefined();
  });

  test("systemInstruction as a string or a list of parts; a turn without role is the user's", () => {
    expect(toChat({ systemInstruction: "Sys", contents: [{ parts: [{ text: "x" }] }] }).messages).toEqual([
      { role: "system", content: "Sys" },
      { role: "user", content: "x" },
    ]);
    expect(toChat({ systemInstruction: [{ text: "A" }, "B"], contents: [] }).messages[0].content).toBe("A\nB");
  });

  test("images become data: URLs; other inline data, file data and code parts are refused", () => {
    const chat = toChat({
      contents: [user({ text: "what is this" }, { inlineData: { mimeType: "image/png", data: "iVBOR" } })],
    });
    expect(chat.messages[0].content).toEqual([
      { type: "text", text: "what is this" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } },
    ]);
    const pdf = refusal(() =>
      toChat({ contents: [user({ inlineData: { mimeType: "application/pdf", data: "JVBER" } })] }),
    );
    expect(pdf.message).toContain("application/pdf");
    expect(pdf.param).toBe("contents[0].parts[0]");
    const file = refusal(() =>
      toChat({ contents: [user({ text: "x" }, { fileData: { fileUri: "gs://b/f.png", mimeType: "image/png" } })] }),
    );
    expect(file.message).toContain("fileData");
    expect(file.param).toBe("contents[0].parts[1]");
    expect(
      refusal(() => toChat({ contents: [model({ executableCode: { language: "PYTHON", code: "1" } })] })).message,
    ).toContain("executableCode");
    expect(
      refusal(() => toChat({ contents: [user({ codeExecutionResult: { outcome: "OUTCOME_OK" } })] })).message,
    ).toContain("codeExecutionResult");
    expect(
      refusal(() => toChat({ contents: [model({ inlineData: { mimeType: "image/png", data: "x" } })] })).message,
    ).toContain("model turn");
  });

  test("function calls with ids and their responses", () => {
    const chat = toChat({
      contents: [
        user({ text: "weather in Paris and Rome?" }),
        model(
          { functionCall: { id: "fc-1", name: "weather", args: { city: "Paris" } }, thoughtSignature: "c2ln" },
          { functionCall: { id: "fc-2", name: "weather", args: { city: "Rome" } } },
        ),
        user(
          { functionResponse: { id: "fc-2", name: "weather", response: { temp: 20 } } },
          { functionResponse: { id: "fc-1", name: "weather", response: { temp: 12 } } },
        ),
      ],
    });
    expect(chat.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "fc-1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          { id: "fc-2", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "fc-2", content: '{"temp":20}' },
      { role: "tool", tool_call_id: "fc-1", content: '{"temp":12}' },
    ]);
  });

  test("calls without ids get call_ ids, and responses match them by name in order", () => {
    const chat = toChat({
      contents: [
        user({ text: "go" }),
        model(
          { text: "Checking." },
          { functionCall: { name: "ls", args: { dir: "a" } } },
          { functionCall: { name: "ls" } },
          { functionCall: { name: "cat", args: {} } },
        ),
        user(
          { functionResponse: { name: "cat", response: { out: "c" } } },
          { functionResponse: { name: "ls", response: { out: "1" } } },
          { functionResponse: { name: "ls", response: { out: "2" } } },
          { text: "and now?" },
        ),
      ],
    });
    const [, assistant, cat, ls1, ls2, next] = chat.messages;
    expect(assistant.content).toBe("Checking.");
    const ids = assistant.tool_calls.map((c: Json) => c.id);
    for (const id of ids) expect(id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(3);
    expect(assistant.tool_calls[1].function.arguments).toBe("{}");
    expect([cat.tool_call_id, ls1.tool_call_id, ls2.tool_call_id]).toEqual([ids[2], ids[0], ids[1]]);
    expect(ls2).toEqual({ role: "tool", tool_call_id: ids[1], content: '{"out":"2"}' });
    expect(next).toEqual({ role: "user", content: "and now?" });
  });

  test("a function response that answers no call is refused", () => {
    const err = refusal(() => toChat({ contents: [user({ functionResponse: { name: "ghost", response: {} } })] }));
    expect(err.message).toContain("ghost");
  });

  test("thought parts and bare signatures are dropped", () => {
    const chat = toChat({
      contents: [
        user({ text: "q" }),
        model(
          { text: "let me think", thought: true },
          { thoughtSignature: "c2ln" },
          { text: "answer", thoughtSignature: "c2ln" },
        ),
        model({ text: "only thinking", thought: true }),
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "q" },
      { role: "assistant", content: "answer" },
    ]);
  });

  test("unknown roles and parts are refused", () => {
    expect(refusal(() => toChat({ contents: [{ role: "system", parts: [{ text: "x" }] }] })).param).toBe(
      "contents[0].role",
    );
    expect(refusal(() => toChat({ contents: [user({ hologram: {} })] })).message).toContain("hologram");
    expect(refusal(() => toChat({ contents: "hi" })).param).toBe("contents");
    expect(refusal(() => toChat({ systemInstruction: { parts: [{ inlineData: {} }] }, contents: [] })).param).toBe(
      "systemInstruction.parts[0]",
    );
  });

  test("function declarations: OpenAPI type names lowercased all the way down", () => {
    const parameters = {
      type: "OBJECT",
      properties: {
        type: { type: "STRING", enum: ["OBJECT", "STRING"], description: "a property named type" },
        tags: { type: "ARRAY", items: { type: "STRING" } },
        where: { type: "OBJECT", properties: { lat: { type: "NUMBER" }, n: { type: "INTEGER", nullable: true } } },
        either: { anyOf: [{ type: "BOOLEAN" }, { type: "NULL" }] },
      },
      required: ["type"],
    };
    const chat = toChat({
      contents: [user({ text: "x" })],
      tools: [{ functionDeclarations: [{ name: "find", description: "Find things", parameters }, { name: "noop" }] }],
    });
    expect(chat.tools).toEqual([
      {
        type: "function",
        function: {
          name: "find",
          description: "Find things",
          parameters: {
            type: "object",
            properties: {
              type: { type: "string", enum: ["OBJECT", "STRING"], description: "a property named type" },
              tags: { type: "array", items: { type: "string" } },
              where: {
                type: "object",
                properties: { lat: { type: "number" }, n: { type: "integer", nullable: true } },
              },
              either: { anyOf: [{ type: "boolean" }, { type: "null" }] },
            },
            required: ["type"],
          },
        },
      },
      { type: "function", function: { name: "noop", parameters: { type: "object", properties: {} } } },
    ]);
    expect(parameters.type).toBe("OBJECT"); // the input is left alone
  });

  test("parametersJsonSchema is taken as it is", () => {
    const schema = { type: "object", properties: { q: { type: "string" } }, additionalProperties: false };
    const chat = toChat({
      contents: [],
      tools: [{ functionDeclarations: [{ name: "s", parametersJsonSchema: schema }] }],
    });
    expect(chat.tools[0].function.parameters).toEqual(schema);
  });

  test("built-in tool kinds are refused by name", () => {
    expect(refusal(() => toChat({ contents: [], tools: [{ googleSearch: {} }] })).message).toContain("googleSearch");
    const err = refusal(() =>
      toChat({ contents: [], tools: [{ functionDeclarations: [] }, { codeExecution: {}, urlContext: {} }] }),
    );
    expect(err.message).toContain("codeExecution, urlContext");
    expect(err.param).toBe("tools[1]");
  });

  test("function calling modes", () => {
    const choice = (functionCallingConfig: Json) =>
      toChat({ contents: [], toolConfig: { functionCallingConfig } }).tool_choice;
    expect(choice({ mode: "AUTO" })).toBe("auto");
    expect(choice({ mode: "NONE" })).toBe("none");
    expect(choice({ mode: "ANY" })).toBe("required");
    expect(choice({ mode: "ANY", allowedFunctionNames: ["f"] })).toEqual({ type: "function", function: { name: "f" } });
    expect(choice({ mode: "ANY", allowedFunctionNames: ["f", "g"] })).toBe("required");
    expect(choice({})).toBeUndefined();
  });

  test("generation settings; thinking, safety and cache settings are ignored", () => {
    const chat = toChat({
      contents: [user({ text: "x" })],
      generationConfig: {
        maxOutputTokens: 100,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stopSequences: ["END"],
        candidateCount: 2,
        seed: 7,
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
        responseModalities: ["TEXT"],
      },
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/abc",
    });
    const { messages, ...rest } = chat;
    expect(rest).toEqual({
      model: "gemini-2.5-pro",
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
      n: 2,
      seed: 7,
    });
    expect(
      refusal(() => toChat({ contents: [], generationConfig: { responseModalities: ["TEXT", "IMAGE"] } })).message,
    ).toContain("IMAGE");
  });

  test("JSON response formats", () => {
    const format = (generationConfig: Json) => toChat({ contents: [], generationConfig }).response_format;
    expect(format({ responseMimeType: "application/json" })).toEqual({ type: "json_object" });
    expect(format({ responseMimeType: "text/plain" })).toBeUndefined();
    expect(
      format({ responseMimeType: "application/json", responseSchema: { type: "ARRAY", items: { type: "STRING" } } }),
    ).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema: { type: "array", items: { type: "string" } } },
    });
    const schema = { type: "object", properties: { a: { type: "integer" } } };
    expect(format({ responseMimeType: "application/json", responseJsonSchema: schema })).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema },
    });
    expect(refusal(() => format({ responseMimeType: "text/x.enum" })).param).toBe("generationConfig.responseMimeType");
  });

  test("streaming asks for usage", () => {
    const chat = toChat({ contents: [user({ text: "x" })], stream: true });
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toEqual({ include_usage: true });
  });
});

describe("replyFromChat", () => {
  const reply = (message: Json, finish_reason = "stop", usage?: Json): Json => ({
    id: "chatcmpl-9",
    object: "chat.completion",
    model: "upstream-model",
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason }],
    ...(usage ? { usage } : {}),
  });

  test("thoughts first, then text, then function calls; usage without thoughts in candidates", () => {
    const out = gemini.replyFromChat(
      reply(
        {
          content: "Calling.",
          reasoning_content: "need the weather",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "broken", arguments: "{not json" } },
          ],
        },
        "tool_calls",
        {
          prompt_tokens: 100,
          completion_tokens: 50,
          total_tokens: 150,
          prompt_tokens_details: { cached_tokens: 60 },
          completion_tokens_details: { reasoning_tokens: 20 },
        },
      ),
      "gemini-2.5-pro",
    );
    expect(out).toEqual({
      candidates: [
        {
          content: {
            role: "model",
            parts: [
              { text: "need the weather", thought: true },
              { text: "Calling." },
              { functionCall: { name: "weather", args: { city: "Paris" }, id: "call_1" } },
              { functionCall: { name: "broken", args: {}, id: "call_2" } },
            ],
          },
          index: 0,
          finishReason: "STOP",
        },
      ],
      usageMetadata: {
        promptTokenCount: 100,
        candidatesTokenCount: 30,
        totalTokenCount: 150,
        cachedContentTokenCount: 60,
        thoughtsTokenCount: 20,
      },
      modelVersion: "gemini-2.5-pro",
      responseId: "chatcmpl-9",
    });
  });

  test("finish reasons", () => {
    const finish = (reason: string | null) =>
      gemini.replyFromChat(reply({ content: "x" }, reason as string), "m").candidates[0].finishReason;
    expect(finish("stop")).toBe("STOP");
    expect(finish("tool_calls")).toBe("STOP");
    expect(finish("length")).toBe("MAX_TOKENS");
    expect(finish("content_filter")).toBe("SAFETY");
    expect(finish(null)).toBe("STOP");
  });

  test("plain usage has no cached or thought counts; no usage, no usageMetadata", () => {
    const out = gemini.replyFromChat(
      reply({ content: "hi" }, "stop", { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }),
      "m",
    );
    expect(out.usageMetadata).toEqual({ promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 });
    expect(out.candidates[0].content.parts).toEqual([{ text: "hi" }]);
    expect(gemini.replyFromChat(reply({ content: null }), "m").usageMetadata).toBeUndefined();
    expect(gemini.replyFromChat(reply({ content: null }), "m").candidates[0].content.parts).toEqual([]);
  });
});

describe("streamFromChat", () => {
  const data = (events: SseEvent[]) => events.map((e) => e.data as Json);

  test("text: one event per delta, the final one held until usage and carrying it", () => {
    const t = gemini.streamFromChat({ model: "gemini-2.5-pro" });
    expect(t.push(chunk({ role: "assistant", content: "" }))).toEqual([]);
    const first = t.push(chunk({ content: "Hel" }));
    expect(first).toEqual([
      {
        data: {
          candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] }, index: 0 }],
          modelVersion: "gemini-2.5-pro",
          responseId: "chatcmpl-1",
        },
      },
    ]);
    expect(first[0].event).toBeUndefined();
    expect(data(t.push(chunk({ content: "lo" })))[0].candidates[0].content.parts).toEqual([{ text: "lo" }]);
    expect(t.push(chunk({}, "stop"))).toEqual([]);
    const last = data(t.push(usageChunk({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 })));
    expect(last).toHaveLength(1);
    expect(last[0].candidates[0]).toEqual({ content: { role: "model", parts: [] }, index: 0, finishReason: "STOP" });
    expect(last[0].usageMetadata).toEqual({ promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 });
    expect(t.end()).toEqual([]);
  });

  test("thoughts stream as thought parts", () => {
    const events = data(
      run(gemini.streamFromChat({ model: "m" }), [
        chunk({ reasoning_content: "hmm" }),
        chunk({ content: "ok" }),
        chunk({}, "stop"),
      ]),
    );
    expect(events.map((e) => e.candidates[0].content.parts)).toEqual([
      [{ text: "hmm", thought: true }],
      [{ text: "ok" }],
      [],
    ]);
    expect(events.map((e) => e.candidates[0].finishReason)).toEqual([undefined, undefined, "STOP"]);
  });

  test("a finish chunk's own content goes out with the finish", () => {
    const events = data(run(gemini.streamFromChat({ model: "m" }), [chunk({ content: "bye" }, "length")]));
    expect(events).toHaveLength(1);
    expect(events[0].candidates[0]).toEqual({
      content: { role: "model", parts: [{ text: "bye" }] },
      index: 0,
      finishReason: "MAX_TOKENS",
    });
    expect(events[0].usageMetadata).toBeUndefined();
  });

  test("tool call arguments split across chunks go out as one functionCall each", () => {
    const events = data(
      run(gemini.streamFromChat({ model: "m" }), [
        chunk({ role: "assistant", content: null }),
        chunk({
          tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "weather", arguments: "" } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
        chunk({
          tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "time", arguments: "{}" } }],
        }),
        chunk({}, "tool_calls"),
        usageChunk({
          prompt_tokens: 10,
          completion_tokens: 8,
          total_tokens: 18,
          completion_tokens_details: { reasoning_tokens: 3 },
        }),
      ]),
    );
    expect(events).toHaveLength(1);
    expect(events[0].candidates[0].content.parts).toEqual([
      { functionCall: { name: "weather", args: { city: "Paris" }, id: "call_a" } },
      { functionCall: { name: "time", args: {}, id: "call_b" } },
    ]);
    expect(events[0].candidates[0].finishReason).toBe("STOP");
    expect(events[0].usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 5,
      totalTokenCount: 18,
      thoughtsTokenCount: 3,
    });
  });

  test("without usage, end() sends the final event; without a finish, end() sends STOP", () => {
    const t = gemini.streamFromChat({ model: "m" });
    t.push(chunk({ content: "a" }));
    expect(t.push(chunk({}, "content_filter"))).toEqual([]);
    const [final] = data(t.end());
    expect(final.candidates[0].finishReason).toBe("SAFETY");
    expect(final.usageMetadata).toBeUndefined();

    const cut = data(
      run(gemini.streamFromChat({ model: "m" }), [
        chunk({ content: "a" }),
        chunk({ tool_calls: [{ index: 0, id: "c", function: { name: "f", arguments: "{}" } }] }),
      ]),
    );
    expect(cut.map((e) => e.candidates[0].finishReason)).toEqual([undefined, "STOP"]);
    expect(cut[1].candidates[0].content.parts).toEqual([{ functionCall: { name: "f", args: {}, id: "c" } }]);
  });

  test("usage on the finish chunk itself releases the final event at once", () => {
    const t = gemini.streamFromChat({ model: "m" });
    const out = data(
      t.push({ ...chunk({}, "stop"), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }),
    );
    expect(out[0].usageMetadata.totalTokenCount).toBe(2);
    expect(t.end()).toEqual([]);
  });

  test("an error chunk becomes a Gemini error", () => {
    const t = gemini.streamFromChat({ model: "m" });
    expect(t.push({ error: { message: "upstream died", type: "server_error" } })).toEqual([
      { data: { error: { code: 500, message: "upstream died", status: "INTERNAL" } } },
    ]);
  });

  test("events are written as bare data: lines", () => {
    const [ev] = gemini.streamFromChat({ model: "m" }).push(chunk({ content: "x" }));
    expect(formatSse(ev)).toStartWith("data: {");
  });
});

describe("requestFromChat", () => {
  test("system and developer text, user text and images, no model field", () => {
    const body = fromChat({
      model: "gpt-4o",
      stream: true,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "No emoji." }] },
        { role: "user", content: "Hi" },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "data:image/webp;base64,UklGR" } },
            { type: "image_url", image_url: { url: "https://x.test/a/cat.PNG?size=2" } },
            { type: "image_url", image_url: { url: "https://x.test/photo" } },
          ],
        },
      ],
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "No emoji." }] },
      contents: [
        {
          role: "user",
          parts: [
            { text: "Hi" },
            { text: "look" },
            { inlineData: { mimeType: "image/webp", data: "UklGR" } },
            { fileData: { fileUri: "https://x.test/a/cat.PNG?size=2", mimeType: "image/png" } },
            { fileData: { fileUri: "https://x.test/photo", mimeType: "image/jpeg" } },
          ],
        },
      ],
    });
  });

  test("tool calls and results: functionCall parts, functionResponse turns looked up by id", () => {
    const body = fromChat({
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: "Checking.",
          reasoning_content: "hidden",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "clock", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_2", content: "12:00" },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":20}' },
        { role: "user", content: "thanks" },
        { role: "assistant", content: "You're welcome." },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "weather?" }] },
      {
        role: "model",
        parts: [
          { text: "Checking." },
          {
            functionCall: { name: "weather", args: { city: "Paris" } },
            thoughtSignature: "skip_thought_signature_validator",
          },
          { functionCall: { name: "clock", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "clock", response: { result: "12:00" } } },
          { functionResponse: { name: "weather", response: { temp: 20 } } },
          { text: "thanks" },
        ],
      },
      { role: "model", parts: [{ text: "You're welcome." }] },
    ]);
  });

  test("a JSON result that is not an object is wrapped", () => {
    const body = fromChat({
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c", content: [{ type: "text", text: "[1,2]" }] },
      ],
    });
    expect(body.contents[1].parts[0].functionResponse.response).toEqual({ result: "[1,2]" });
  });

  test("what cannot be translated is refused", () => {
    expect(
      refusal(() => fromChat({ messages: [{ role: "tool", tool_call_id: "nope", content: "x" }] })).message,
    ).toContain("nope");
    const file = refusal(() =>
      fromChat({ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "f" } }] }] }),
    );
    expect(file.message).toContain('"file"');
    expect(file.param).toBe("messages[0].content[0].type");
    expect(refusal(() => fromChat({ messages: [{ role: "function", content: "x" }] })).param).toBe("messages[0].role");
    expect(
      refusal(() =>
        fromChat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x" } }] }] }),
      ).message,
    ).toContain("image_url");
    expect(
      refusal(() =>
        fromChat({
          messages: [
            { role: "system", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,x" } }] },
          ],
        }),
      ).param,
    ).toBe("messages[0].content[0]");
    expect(
      refusal(() => fromChat({ messages: [], tools: [{ type: "custom", custom: { name: "x" } }] })).message,
    ).toContain("custom");
    expect(refusal(() => fromChat({ messages: [], tool_choice: { type: "allowed_tools" } })).param).toBe("tool_choice");
    expect(refusal(() => fromChat({ messages: [], response_format: { type: "grammar" } })).message).toContain(
      "grammar",
    );
  });

  test("tools and tool choice", () => {
    const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const body = fromChat({
      messages: [{ role: "user", content: "x" }],
      tools: [
        { type: "function", function: { name: "weather", description: "Weather now", parameters } },
        { type: "function", function: { name: "ping" } },
      ],
      tool_choice: { type: "function", function: { name: "weather" } },
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: "weather", description: "Weather now", parametersJsonSchema: parameters },
          { name: "ping" },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } });
    const mode = (tool_choice: string) => fromChat({ messages: [], tool_choice }).toolConfig.functionCallingConfig.mode;
    expect([mode("auto"), mode("none"), mode("required")]).toEqual(["AUTO", "NONE", "ANY"]);
  });

  test("generation settings and response formats", () => {
    const body = fromChat({
      messages: [],
      max_tokens: 50,
      max_completion_tokens: 80,
      temperature: 0,
      top_p: 0.5,
      n: 2,
      stop: "END",
      seed: 3,
      response_format: { type: "json_object" },
    });
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 80,
      temperature: 0,
      topP: 0.5,
      candidateCount: 2,
      seed: 3,
      stopSequences: ["END"],
      responseMimeType: "application/json",
    });
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(
      fromChat({ messages: [], response_format: { type: "json_schema", json_schema: { name: "x", schema } } })
        .generationConfig,
    ).toEqual({
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
    expect(fromChat({ messages: [], stop: ["a", "b"] }).generationConfig.stopSequences).toEqual(["a", "b"]);
    expect(fromChat({ messages: [{ role: "user", content: "x" }] })).toEqual({
      contents: [{ role: "user", parts: [{ text: "x" }] }],
    });
  });

  test("audio input becomes inline data; empty text adds no part", () => {
    const body = fromChat({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "" },
            { type: "input_audio", input_audio: { data: "UklG", format: "wav" } },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([{ role: "user", parts: [{ inlineData: { mimeType: "audio/wav", data: "UklG" } }] }]);
    expect(fromChat({ messages: [{ role: "user", content: "" }] }).contents).toEqual([]);
  });
});

describe("replyToChat", () => {
  const response = (parts: Json[], finishReason = "STOP", usageMetadata?: Json): Json => ({
    candidates: [{ content: { role: "model", parts }, finishReason, index: 0 }],
    ...(usageMetadata ? { usageMetadata } : {}),
    modelVersion: "gemini-2.5-pro",
    responseId: "resp-1",
  });

  test("text, thoughts and usage with cached and thought tokens", () => {
    const out = gemini.replyToChat!(
      response(
        [{ text: "think", thought: true }, { text: "Hello" }, { text: " world", thoughtSignature: "c2ln" }],
        "STOP",
        meta(100, 20, { cachedContentTokenCount: 64, thoughtsTokenCount: 30 }),
      ),
    );
    expect(out).toMatchObject({
      id: "resp-1",
      object: "chat.completion",
      model: "gemini-2.5-pro",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello world", reasoning_content: "think" },
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 30 },
      },
    });
    expect(typeof out.created).toBe("number");
  });

  test("function calls become tool calls; STOP with calls is tool_calls", () => {
    const out = gemini.replyToChat!(
      response([
        { functionCall: { id: "g1", name: "weather", args: { city: "Paris" } } },
        { functionCall: { name: "clock" } },
      ]),
    );
    const message = out.choices[0].message;
    expect(message.content).toBeNull();
    expect(message.tool_calls[0]).toEqual({
      id: "g1",
      type: "function",
      function: { name: "weather", arguments: '{"city":"Paris"}' },
    });
    expect(message.tool_calls[1].id).toMatch(/^call_/);
    expect(message.tool_calls[1].function.arguments).toBe("{}");
    expect(out.choices[0].finish_reason).toBe("tool_calls");
    expect(out.usage).toBeUndefined();
  });

  test("finish reasons", () => {
    const finish = (reason: string) => gemini.replyToChat!(response([{ text: "x" }], reason)).choices[0].finish_reason;
    expect(finish("STOP")).toBe("stop");
    expect(finish("MAX_TOKENS")).toBe("length");
    for (const r of ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"])
      expect(finish(r)).toBe("content_filter");
    expect(finish("OTHER")).toBe("stop");
    expect(finish("MALFORMED_FUNCTION_CALL")).toBe("stop");
  });

  test("a blocked prompt has no candidates", () => {
    const out = gemini.replyToChat!({
      promptFeedback: { blockReason: "SAFETY" },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
    });
    expect(out.choices[0].message).toEqual({ role: "assistant", content: "" });
    expect(out.choices[0].finish_reason).toBe("content_filter");
    expect(out.usage).toEqual({ prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 });
  });
});

describe("streamToChat", () => {
  test("usage on every event: one usage chunk, the latest, after the finish", () => {
    const out = run(gemini.streamToChat!(), [
      geminiEvent([{ text: "Hel" }], { usageMetadata: meta(10, 1) }),
      geminiEvent([{ text: "lo" }], { usageMetadata: meta(10, 2) }),
      geminiEvent([{ text: "!" }], { usageMetadata: meta(10, 3) }, { finishReason: "STOP" }),
    ]);
    expect(out.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", content: "Hel" },
      { content: "lo" },
      { content: "!" },
      {},
      null,
    ]);
    expect(out.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, "stop", null]);
    expect(out[4]).toMatchObject({
      id: "r1",
      object: "chat.completion.chunk",
      model: "gemini-2.5-pro",
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    });
    for (const c of out) expect(c.id).toBe("r1");
  });

  test("usage only on the last event, with thoughts and cache", () => {
    const out = run(gemini.streamToChat!(), [
      geminiEvent([{ text: "plan", thought: true }]),
      geminiEvent(
        [{ text: "done" }],
        { usageMetadata: meta(50, 5, { thoughtsTokenCount: 7, cachedContentTokenCount: 32 }) },
        { finishReason: "MAX_TOKENS" },
      ),
    ]);
    expect(out[0].choices[0].delta).toEqual({ role: "assistant", reasoning_content: "plan" });
    expect(out[1].choices[0].delta).toEqual({ content: "done" });
    expect(out[2].choices[0].finish_reason).toBe("length");
    expect(out[3].usage).toEqual({
      prompt_tokens: 50,
      completion_tokens: 12,
      total_tokens: 62,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });
    expect(out).toHaveLength(4);
  });

  test("usage arriving after the finish event is sent then", () => {
    const t = gemini.streamToChat!();
    t.push(geminiEvent([{ text: "x" }]));
    expect(t.push(geminiEvent([], {}, { finishReason: "STOP" })).map((c) => c.choices[0].finish_reason)).toEqual([
      "stop",
    ]);
    const later = t.push({ data: { usageMetadata: meta(4, 1), modelVersion: "gemini-2.5-pro" } });
    expect(later).toHaveLength(1);
    expect(later[0].usage.total_tokens).toBe(5);
    expect(t.end()).toEqual([]);
  });

  test("function calls become whole tool call deltas, indexed across events", () => {
    const out = run(gemini.streamToChat!(), [
      geminiEvent([{ functionCall: { id: "a", name: "ls", args: { dir: "/" } }, thoughtSignature: "c2ln" }]),
      geminiEvent(
        [{ functionCall: { name: "pwd", args: {} } }],
        { usageMetadata: meta(8, 6) },
        { finishReason: "STOP" },
      ),
    ]);
    expect(out[0].choices[0].delta).toEqual({
      role: "assistant",
      tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "ls", arguments: '{"dir":"/"}' } }],
    });
    const second = out[1].choices[0].delta.tool_calls[0];
    expect(second).toMatchObject({ index: 1, type: "function", function: { name: "pwd", arguments: "{}" } });
    expect(second.id).toMatch(/^call_/);
    expect(out[2].choices[0].finish_reason).toBe("tool_calls");
    expect(out[3].usage.total_tokens).toBe(14);
  });

  test("errors, [DONE] and a blocked prompt", () => {
    const t = gemini.streamToChat!();
    expect(t.push({ data: "[DONE]" })).toEqual([]);
    expect(t.push({ data: { error: { code: 429, message: "quota", status: "RESOURCE_EXHAUSTED" } } })).toEqual([
      { error: { message: "quota", type: "RESOURCE_EXHAUSTED" } },
    ]);
    const blocked = run(gemini.streamToChat!(), [
      {
        data: {
          promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
          usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 },
        },
      },
    ]);
    expect(blocked[0].choices[0]).toEqual({ index: 0, delta: { role: "assistant" }, finish_reason: "content_filter" });
    expect(blocked[1].usage.prompt_tokens).toBe(3);
  });

  test("end() sends usage that never went out, once", () => {
    const t = gemini.streamToChat!();
    t.push(geminiEvent([{ text: "x" }], { usageMetadata: meta(2, 1) }));
    const end = t.end();
    expect(end).toHaveLength(1);
    expect(end[0].usage.total_tokens).toBe(3);
  });
});

describe("round trips", () => {
  test("a Gemini request through chat and back", () => {
    const original = {
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [
        user({ text: "weather?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/" } }),
        model({ text: "Checking." }, { functionCall: { name: "weather", args: { city: "Paris" } } }),
        user({ functionResponse: { name: "weather", response: { temp: 20 } } }),
      ],
      tools: [
        {
          functionDeclarations: [{ name: "weather", description: "Weather", parametersJsonSchema: { type: "object" } }],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "AUTO" } },
      generationConfig: {
        maxOutputTokens: 64,
        temperature: 0.3,
        stopSequences: ["X"],
        responseMimeType: "application/json",
      },
    };
    const back = fromChat(toChat(original));
    expect(back).toEqual({
      ...original,
      contents: [
        original.contents[0],
        model(
          { text: "Checking." },
          {
            functionCall: { name: "weather", args: { city: "Paris" } },
            thoughtSignature: "skip_thought_signature_validator",
          },
        ),
        original.contents[2],
      ],
      tools: [
        {
          functionDeclarations: [{ name: "weather", description: "Weather", parametersJsonSchema: { type: "object" } }],
        },
      ],
    });
  });

  test("a chat reply through Gemini and back", () => {
    const reply = {
      id: "x",
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Sure.",
            reasoning_content: "thinking",
            tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 9,
        total_tokens: 19,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 5 },
      },
    };
    const back = gemini.replyToChat!(gemini.replyFromChat(reply, "gemini-x"));
    expect(back.choices[0]).toEqual({ ...reply.choices[0], logprobs: null });
    expect(back.usage).toEqual(reply.usage);
    expect(back.model).toBe("gemini-x");
  });

  test("a chat stream through Gemini SSE text and back", () => {
    const chunks = [
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "hm" }),
      chunk({ content: "Hi " }),
      chunk({ content: "there" }),
      chunk({
        tool_calls: [{ index: 0, id: "call_z", type: "function", function: { name: "f", arguments: '{"q":' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk({
        prompt_tokens: 7,
        completion_tokens: 6,
        total_tokens: 13,
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
    ];
    const text = run(gemini.streamFromChat({ model: "gemini-x" }), chunks)
      .map(formatSse)
      .join("");
    const back = run(gemini.streamToChat!(), parseSse(text));
    const deltas = back.flatMap((c) => c.choices.map((ch: Json) => ch.delta));
    expect(deltas.map((d) => d.content ?? "").join("")).toBe("Hi there");
    expect(deltas.map((d) => d.reasoning_content ?? "").join("")).toBe("hm");
    expect(deltas.flatMap((d) => d.tool_calls ?? [])).toEqual([
      { index: 0, id: "call_z", type: "function", function: { name: "f", arguments: '{"q":"x"}' } },
    ]);
    const finishes = back.flatMap((c) => c.choices.map((ch: Json) => ch.finish_reason)).filter(Boolean);
    expect(finishes).toEqual(["tool_calls"]);
    expect(back[back.length - 1]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 7,
        completion_tokens: 6,
        total_tokens: 13,
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
  });
});
