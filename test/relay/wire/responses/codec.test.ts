// The Responses API client-side codec: requests to chat (and the 400s for what chat cannot carry),
// chat replies and chunk streams back to Response objects and events, checked by the openai SDK too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { AppError } from "../../../../src/errors";
import { responses } from "../../../../src/relay/wire/responses/codec";
import { formatSse } from "../../../../src/relay/wire/sse";
import type { Json, SseEvent } from "../../../../src/relay/wire/codec";

const toChat = (body: Json) => responses.requestToChat({ model: "gpt-x", ...body });

/** The AppError requestToChat throws for `body`. */
function refusal(body: Json): AppError {
  try {
    toChat(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

const chunk = (delta: Json, finish_reason: string | null = null): Json => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "up",
  choices: [{ index: 0, delta, finish_reason }],
});
const usageChunk = (prompt = 10, completion = 5, extra: Json = {}): Json => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  choices: [],
  usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...extra },
});
const toolChunk = (index: number, fn: Json, id?: string) =>
  chunk({ tool_calls: [{ index, ...(id ? { id, type: "function" } : {}), function: fn }] });

/** Every event the stream translator gives for `chunks`, then end(). */
function stream(chunks: Json[], model = "gpt-x"): SseEvent[] {
  const t = responses.streamFromChat({ model });
  return [...chunks.flatMap((c) => t.push(c)), ...t.end()];
}
const names = (events: SseEvent[]) => events.map((e) => e.event);
const data = (events: SseEvent[], type: string): Json[] =>
  events.filter((e) => e.event === type).map((e) => e.data as Json);
const last = (events: SseEvent[]) => events.at(-1)!.data as Json;

const TEXT_CHUNKS = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Hel" }),
  chunk({ content: "lo" }),
  chunk({}, "stop"),
  usageChunk(),
];

describe("requestToChat: messages", () => {
  test("a string input is one user message; settings carry over", () => {
    const chat = toChat({ input: "hi", max_output_tokens: 100, temperature: 0.2, top_p: 0.9, top_logprobs: null });
    expect(chat).toEqual({
      model: "gpt-x",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
    });
  });

  test("instructions lead as system; developer items become system; parts become text", () => {
    const chat = toChat({
      instructions: "be brief",
      input: [
        { type: "message", role: "developer", content: [{ type: "input_text", text: "rules" }] },
        { role: "user", content: "q1" },
        {
          type: "message",
          role: "assistant",
          id: "msg_1",
          status: "completed",
          content: [{ type: "output_text", text: "a1", annotations: [] }],
        },
        { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
        { role: "system", content: "sys" },
        {
          role: "user",
          content: [
            { type: "input_text", text: "a" },
            { type: "input_text", text: "b" },
          ],
        },
        { role: "user", content: [] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "system", content: "be brief" },
      { role: "system", content: "rules" },
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "assistant", content: "no" },
      { role: "system", content: "sys" },
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      { role: "user", content: "" },
    ]);
  });

  test("images by URL become image_url parts, with detail when it is low or high", () => {
    const chat = toChat({
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "what is this?" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "high" },
            { type: "input_image", image_url: "https://x/y.png", detail: "auto" },
          ],
        },
      ],
    });
    expect(chat.messages[0].content).toEqual([
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "high" } },
      { type: "image_url", image_url: { url: "https://x/y.png" } },
    ]);
  });

  test("reasoning items are dropped (a resumed session replays them)", () => {
    const chat = toChat({
      input: [
        { role: "user", content: "q" },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAAA…" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "a" }] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "q" },
      { role: "assistant", content: "a" },
    ]);
  });
});

describe("requestToChat: tools", () => {
  const shell = {
    type: "function",
    name: "shell",
    description: "run a command",
    parameters: { type: "object", properties: { cmd: { type: "string" } } },
    strict: false,
  };

  test("function tools, tool_choice and a full call round", () => {
    const chat = toChat({
      tools: [shell, { type: "function", name: "bare" }],
      tool_choice: { type: "function", name: "shell" },
      input: [
        { role: "user", content: "list files" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Let me look." }] },
        { type: "reasoning", id: "rs_1", summary: [] },
        {
          type: "function_call",
          id: "fc_1",
          call_id: "call_a",
          name: "shell",
          arguments: '{"cmd":"ls"}',
          status: "completed",
        },
        { type: "function_call", call_id: "call_b", name: "shell", arguments: '{"cmd":"pwd"}' },
        { type: "function_call_output", call_id: "call_a", output: "a.txt" },
        { type: "function_call_output", call_id: "call_b", output: [{ type: "input_text", text: "/home" }] },
        { type: "function_call", call_id: "call_c", name: "bare", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "call_c",
          output: [
            { type: "input_text", text: "x" },
            { type: "input_text", text: "y" },
          ],
        },
      ],
    });
    expect(chat.tools).toEqual([
      {
        type: "function",
        function: { name: "shell", description: "run a command", parameters: shell.parameters, strict: false },
      },
      { type: "function", function: { name: "bare" } },
    ]);
    expect(chat.tool_choice).toEqual({ type: "function", function: { name: "shell" } });
    expect(chat.messages).toEqual([
      { role: "user", content: "list files" },
      {
        role: "assistant",
        content: "Let me look.",
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "shell", arguments: '{"cmd":"ls"}' } },
          { id: "call_b", type: "function", function: { name: "shell", arguments: '{"cmd":"pwd"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "a.txt" },
      { role: "tool", tool_call_id: "call_b", content: "/home" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_c", type: "function", function: { name: "bare", arguments: "{}" } }],
      },
      {
        role: "tool",
        tool_call_id: "call_c",
        content: [
          { type: "text", text: "x" },
          { type: "text", text: "y" },
        ],
      },
    ]);
  });

  test("string tool_choice values and parallel_tool_calls pass, with tools only (chat refuses them alone)", () => {
    for (const choice of ["auto", "none", "required"])
      expect(toChat({ input: "x", tools: [shell], tool_choice: choice }).tool_choice).toBe(choice);
    expect(toChat({ input: "x", tools: [shell], parallel_tool_calls: false }).parallel_tool_calls).toBe(false);
    const bare = toChat({ input: "x", tools: [], tool_choice: "auto", parallel_tool_calls: true });
    expect(bare).toEqual({ model: "gpt-x", messages: [{ role: "user", content: "x" }] });
  });

  test("every non-function tool type is refused by name", () => {
    const types = [
      "custom",
      "namespace",
      "tool_search",
      "web_search",
      "web_search_preview",
      "file_search",
      "computer_use_preview",
      "mcp",
      "code_interpreter",
      "image_generation",
      "local_shell",
    ];
    for (const type of types) {
      const err = refusal({ input: "x", tools: [shell, { type, name: "t" }] });
      expect(err.status).toBe(400);
      expect(err.param).toBe("tools[1]");
      expect(err.message).toBe(
        `tool type "${type}" cannot be translated to chat completions; use a channel that speaks the Responses API`,
      );
    }
  });

  test("a non-function tool_choice is refused by name", () => {
    expect(refusal({ input: "x", tools: [shell], tool_choice: { type: "web_search_preview" } }).message).toContain(
      'tool_choice type "web_search_preview"',
    );
  });
});

describe("requestToChat: other settings", () => {
  test("text.format becomes response_format", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    };
    expect(
      toChat({
        input: "x",
        text: { format: { type: "json_schema", name: "thing", schema, strict: true }, verbosity: "low" },
      }).response_format,
    ).toEqual({
      type: "json_schema",
      json_schema: { name: "thing", schema, strict: true },
    });
    expect(toChat({ input: "x", text: { format: { type: "json_object" } } }).response_format).toEqual({
      type: "json_object",
    });
    expect(toChat({ input: "x", text: { format: { type: "text" } } }).response_format).toBeUndefined();
  });

  test("reasoning.effort and stream; OpenAI-only settings are left out", () => {
    const chat = toChat({
      input: "x",
      reasoning: { effort: "high", summary: "auto" },
      stream: true,
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "k",
      user: "u",
      metadata: { a: "b" },
      truncation: "auto",
      service_tier: "auto",
      background: false,
      previous_response_id: null,
    });
    expect(chat).toEqual({
      model: "gpt-x",
      messages: [{ role: "user", content: "x" }],
      reasoning_effort: "high",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(toChat({ input: "x", stream: false }).stream).toBeUndefined();
  });

  test("state kept by OpenAI is refused", () => {
    const err = refusal({ input: "x", previous_response_id: "resp_1" });
    expect(err.status).toBe(400);
    expect(err.param).toBe("previous_response_id");
    expect(err.message).toStartWith("previous_response_id needs a channel that speaks the Responses API");
    for (const field of ["conversation", "prompt", "background"]) {
      const value = field === "background" ? true : field === "prompt" ? { id: "pmpt_1" } : "conv_1";
      expect(refusal({ input: "x", [field]: value }).message).toStartWith(`${field} `);
    }
  });
});

describe("requestToChat: refusals of items and parts", () => {
  const itemTypes = [
    "custom_tool_call",
    "custom_tool_call_output",
    "local_shell_call",
    "local_shell_call_output",
    "computer_call",
    "computer_call_output",
    "web_search_call",
    "file_search_call",
    "image_generation_call",
    "code_interpreter_call",
    "mcp_call",
    "mcp_list_tools",
    "mcp_approval_request",
    "mcp_approval_response",
    "item_reference",
  ];
  test.each(itemTypes)("input item %s is refused by name", (type) => {
    const err = refusal({
      input: [
        { role: "user", content: "q" },
        { type, id: "x_1", call_id: "c" },
      ],
    });
    expect(err.status).toBe(400);
    expect(err.code).toBe("invalid_request");
    expect(err.param).toBe("input[1]");
    expect(err.message).toBe(
      `input item type "${type}" cannot be translated to chat completions; use a channel that speaks the Responses API`,
    );
  });

  test("files, images by file_id, and images outside user messages are refused", () => {
    const file = refusal({
      input: [
        {
          role: "user",
          content: [{ type: "input_file", file_data: "data:application/pdf;base64,AA", filename: "a.pdf" }],
        },
      ],
    });
    expect(file.message).toStartWith(
      'content part type "input_file" cannot be translated to chat completions; use a channel that speaks the Responses API',
    );
    expect(file.param).toBe("input[0].content[0]");
    const byId = refusal({ input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] });
    expect(byId.message).toStartWith("an input_image given by file_id cannot be translated");
    const inDev = refusal({
      input: [{ role: "developer", content: [{ type: "input_image", image_url: "https://x/y.png" }] }],
    });
    expect(inDev.message).toStartWith("an input_image in a developer message cannot be translated");
    const inTool = refusal({
      input: [
        { type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "https://x/y.png" }] },
      ],
    });
    expect(inTool.message).toStartWith("an input_image in a function_call_output cannot be translated");
    expect(inTool.param).toBe("input[0].output[0]");
  });

  test("malformed input is a 400, not a crash", () => {
    expect(refusal({ input: 5 }).param).toBe("input");
    expect(refusal({ input: [{ content: "no role" }] }).message).toContain("neither a type nor a role");
    expect(refusal({ input: [{ role: "tool", content: "x" }] }).param).toBe("input[0].role");
    expect(refusal({ input: [{ role: "user", content: [{ type: "input_audio" }] }] }).message).toContain(
      'content part type "input_audio"',
    );
  });
});

describe("replyFromChat", () => {
  const reply = (
    message: Json,
    finish_reason = "stop",
    usage: Json | null = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  ) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "upstream-model",
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason }],
    usage,
  });

  test("text", () => {
    const r = responses.replyFromChat(reply({ content: "Hello" }), "gpt-x");
    expect(r.id).toMatch(/^resp_/);
    expect(r).toMatchObject({
      object: "response",
      created_at: 1_700_000_000,
      status: "completed",
      model: "gpt-x",
      error: null,
      incomplete_details: null,
      tools: [],
    });
    expect(r.output).toHaveLength(1);
    expect(r.output[0]).toMatchObject({
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello", annotations: [] }],
    });
    expect(r.output[0].id).toMatch(/^msg_/);
    expect(r.output_text).toBeUndefined();
    expect(r.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 19,
    });
  });

  test("reasoning first, then text, then tool calls; cached and reasoning tokens", () => {
    const r = responses.replyFromChat(
      reply(
        {
          reasoning_content: "thinking",
          content: "calling",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "shell", arguments: '{"cmd":"ls"}' } }],
        },
        "tool_calls",
        {
          prompt_tokens: 100,
          completion_tokens: 20,
          total_tokens: 120,
          prompt_tokens_details: { cached_tokens: 60 },
          completion_tokens_details: { reasoning_tokens: 8 },
        },
      ),
      "gpt-x",
    );
    expect(r.status).toBe("completed");
    expect(r.output.map((i: Json) => i.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(r.output[0]).toMatchObject({ summary: [{ type: "summary_text", text: "thinking" }] });
    expect(r.output[0].id).toMatch(/^rs_/);
    expect(r.output[2]).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      name: "shell",
      arguments: '{"cmd":"ls"}',
      status: "completed",
    });
    expect(r.output[2].id).toMatch(/^fc_/);
    expect(r.usage.input_tokens_details).toEqual({ cached_tokens: 60 });
    expect(r.usage.output_tokens_details).toEqual({ reasoning_tokens: 8 });
  });

  test("a tool call alone has no message item", () => {
    const r = responses.replyFromChat(
      reply(
        { content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] },
        "tool_calls",
      ),
      "m",
    );
    expect(r.output.map((i: Json) => i.type)).toEqual(["function_call"]);
  });

  test("length and content_filter make it incomplete", () => {
    const cut = responses.replyFromChat(reply({ content: "Hel" }, "length"), "m");
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(cut.output[0].status).toBe("incomplete");
    const filtered = responses.replyFromChat(reply({ content: "" }, "content_filter"), "m");
    expect(filtered).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "content_filter" },
      output: [],
    });
  });

  test("a refusal becomes a refusal part; missing usage is null", () => {
    const r = responses.replyFromChat(reply({ content: null, refusal: "I can't" }, "stop", null), "m");
    expect(r.output[0].content).toEqual([{ type: "refusal", refusal: "I can't" }]);
    expect(r.usage).toBeNull();
  });
});

describe("streamFromChat", () => {
  test("text: the full event order", () => {
    const events = stream(TEXT_CHUNKS);
    expect(names(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    for (const e of events) expect((e.data as Json).type).toBe(e.event!);
    const created = data(events, "response.created")[0];
    expect(created.response).toMatchObject({ object: "response", status: "in_progress", output: [], model: "gpt-x" });
    const added = data(events, "response.output_item.added")[0];
    expect(added).toMatchObject({
      output_index: 0,
      item: { type: "message", status: "in_progress", role: "assistant", content: [] },
    });
    const deltas = data(events, "response.output_text.delta");
    expect(deltas.map((d) => d.delta)).toEqual(["Hel", "lo"]);
    expect(deltas[0]).toMatchObject({ item_id: added.item.id, output_index: 0, content_index: 0 });
    expect(data(events, "response.output_text.done")[0].text).toBe("Hello");
    expect(data(events, "response.content_part.done")[0].part).toEqual({
      type: "output_text",
      text: "Hello",
      annotations: [],
    });
    expect(data(events, "response.output_item.done")[0].item).toMatchObject({
      id: added.item.id,
      status: "completed",
      content: [{ type: "output_text", text: "Hello" }],
    });
    const done = last(events).response;
    expect(done).toMatchObject({
      id: created.response.id,
      status: "completed",
      output: [{ type: "message", content: [{ text: "Hello" }] }],
    });
  });

  test("sequence numbers count up from 0 without gaps", () => {
    const events = stream(TEXT_CHUNKS);
    expect(events.map((e) => (e.data as Json).sequence_number)).toEqual(events.map((_, i) => i));
  });

  test("response.completed carries the usage, and waits for the usage chunk", () => {
    const t = responses.streamFromChat({ model: "gpt-x" });
    const before = [chunk({ content: "hi" }), chunk({}, "stop")].flatMap((c) => t.push(c));
    expect(names(before)).not.toContain("response.completed");
    expect(names(before)).toContain("response.output_item.done");
    const after = t.push(
      usageChunk(40, 9, {
        prompt_tokens_details: { cached_tokens: 32 },
        completion_tokens_details: { reasoning_tokens: 3 },
      }),
    );
    expect(names(after)).toEqual(["response.completed"]);
    expect(last(after).response.usage).toEqual({
      input_tokens: 40,
      input_tokens_details: { cached_tokens: 32 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 49,
    });
    expect(t.end()).toEqual([]);
    expect(t.push(chunk({ content: "late" }))).toEqual([]);
  });

  test("without a usage chunk, end() completes with usage null", () => {
    const events = stream([chunk({ content: "hi" }), chunk({}, "stop")]);
    expect(last(events)).toMatchObject({ type: "response.completed", response: { status: "completed", usage: null } });
  });

  test("usage on every chunk: only the one after finish completes", () => {
    const withUsage = (c: Json) => ({ ...c, usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
    const events = stream([
      withUsage(chunk({ content: "a" })),
      withUsage(chunk({ content: "b" })),
      withUsage(chunk({}, "stop")),
    ]);
    expect(data(events, "response.output_text.delta")).toHaveLength(2);
    expect(names(events).filter((n) => n === "response.completed")).toHaveLength(1);
  });

  test("a tool call with arguments in fragments", () => {
    const events = stream([
      chunk({ role: "assistant" }),
      toolChunk(0, { name: "shell", arguments: "" }, "call_1"),
      toolChunk(0, { arguments: '{"cmd":' }),
      toolChunk(0, { arguments: '"ls"}' }),
      chunk({}, "tool_calls"),
      usageChunk(),
    ]);
    expect(names(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const added = data(events, "response.output_item.added")[0];
    expect(added.item).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      name: "shell",
      arguments: "",
      status: "in_progress",
    });
    expect(added.item.id).toMatch(/^fc_/);
    expect(data(events, "response.function_call_arguments.done")[0]).toMatchObject({
      item_id: added.item.id,
      output_index: 0,
      arguments: '{"cmd":"ls"}',
    });
    const item = {
      type: "function_call",
      call_id: "call_1",
      name: "shell",
      arguments: '{"cmd":"ls"}',
      status: "completed",
    };
    expect(data(events, "response.output_item.done")[0].item).toMatchObject(item);
    expect(last(events).response.output).toMatchObject([item]);
  });

  test("text then two tool calls: each item closes before the next opens", () => {
    const events = stream([
      chunk({ content: "Looking." }),
      toolChunk(0, { name: "a", arguments: "{}" }, "call_a"),
      toolChunk(1, { name: "b", arguments: "{" }, "call_b"),
      toolChunk(1, { arguments: "}" }),
      chunk({}, "tool_calls"),
      usageChunk(),
    ]);
    const itemEvents = events
      .filter((e) => e.event === "response.output_item.added" || e.event === "response.output_item.done")
      .map((e) => `${e.event!.slice(21)}:${(e.data as Json).output_index}`);
    expect(itemEvents).toEqual(["added:0", "done:0", "added:1", "done:1", "added:2", "done:2"]);
    expect(last(events).response.output.map((i: Json) => i.type)).toEqual([
      "message",
      "function_call",
      "function_call",
    ]);
    expect(last(events).response.output[2].arguments).toBe("{}");
  });

  test("reasoning then text", () => {
    const events = stream([
      chunk({ reasoning_content: "Let me " }),
      chunk({ reasoning_content: "think." }),
      chunk({ content: "Answer." }),
      chunk({}, "stop"),
      usageChunk(),
    ]);
    expect(names(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const reasoning = data(events, "response.output_item.added")[0];
    expect(reasoning).toMatchObject({ output_index: 0, item: { type: "reasoning", summary: [] } });
    expect(data(events, "response.reasoning_summary_text.delta")[0]).toMatchObject({
      item_id: reasoning.item.id,
      output_index: 0,
      summary_index: 0,
    });
    expect(data(events, "response.reasoning_summary_text.done")[0].text).toBe("Let me think.");
    expect(data(events, "response.output_item.added")[1].output_index).toBe(1);
    expect(last(events).response.output).toMatchObject([
      { type: "reasoning", summary: [{ type: "summary_text", text: "Let me think." }] },
      { type: "message", content: [{ type: "output_text", text: "Answer." }] },
    ]);
  });

  test("a refusal streams as a refusal part", () => {
    const events = stream([chunk({ refusal: "I can't" }), chunk({}, "stop")]);
    expect(names(events)).toContain("response.refusal.delta");
    expect(data(events, "response.refusal.done")[0].refusal).toBe("I can't");
    expect(last(events).response.output[0].content).toEqual([{ type: "refusal", refusal: "I can't" }]);
  });

  test("finish_reason length ends in response.incomplete", () => {
    const events = stream([chunk({ content: "Hel" }), chunk({}, "length"), usageChunk()]);
    expect(data(events, "response.output_item.done")[0].item.status).toBe("incomplete");
    expect(last(events)).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
    expect(names(events)).not.toContain("response.completed");
    const filtered = stream([chunk({ content: "x" }), chunk({}, "content_filter")]);
    expect(last(filtered).response.incomplete_details).toEqual({ reason: "content_filter" });
  });

  test("an error chunk ends in response.failed", () => {
    const t = responses.streamFromChat({ model: "gpt-x" });
    const events = [
      ...t.push(chunk({ content: "par" })),
      ...t.push({ error: { message: "upstream exploded", type: "server_error" } }),
    ];
    expect(last(events)).toMatchObject({
      type: "response.failed",
      response: { status: "failed", error: { code: "server_error", message: "upstream exploded" } },
    });
    expect(t.end()).toEqual([]);
    const early = responses.streamFromChat({ model: "gpt-x" }).push({ error: { message: "boom" } });
    expect(names(early)).toEqual(["response.created", "response.in_progress", "response.failed"]);
  });

  test("events are snapshots: later chunks do not change events already given", () => {
    const t = responses.streamFromChat({ model: "gpt-x" });
    const first = t.push(chunk({ content: "a" }));
    t.push(chunk({ content: "b" }));
    const added = data(first, "response.output_item.added")[0];
    expect(added.item.content).toEqual([]);
  });

  test("end() with no chunks still frames a response", () => {
    expect(names(stream([]))).toEqual(["response.created", "response.in_progress", "response.completed"]);
  });
});

describe("the openai SDK accepts what we send", () => {
  let server: ReturnType<typeof Bun.serve>;
  let client: OpenAI;
  let chunks: Json[] = [];
  let seen: Json = {};

  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        const body = (await req.json()) as Json;
        seen = responses.requestToChat(body);
        if (!body.stream) {
          const reply = {
            id: "c",
            object: "chat.completion",
            created: 1,
            model: "up",
            choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
            usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
          };
          return Response.json(responses.replyFromChat(reply, body.model));
        }
        const text = stream(chunks, body.model).map(formatSse).join("");
        return new Response(text, { headers: { "content-type": "text/event-stream" } });
      },
    });
    client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: "x", maxRetries: 0 });
  });
  afterAll(() => server.stop(true));

  test("responses.create without streaming: output_text and usage", async () => {
    const r = await client.responses.create({ model: "gpt-x", instructions: "be kind", input: "hi", stream: false });
    expect(r.output_text).toBe("Hello there");
    expect(r.usage?.total_tokens).toBe(7);
    expect(seen.messages).toEqual([
      { role: "system", content: "be kind" },
      { role: "user", content: "hi" },
    ]);
  });

  test("responses.stream: reasoning, text and a tool call to finalResponse()", async () => {
    chunks = [
      chunk({ role: "assistant", reasoning_content: "hmm" }),
      chunk({ content: "Hel" }),
      chunk({ content: "lo" }),
      toolChunk(0, { name: "shell", arguments: '{"cmd":' }, "call_1"),
      toolChunk(0, { arguments: '"ls"}' }),
      chunk({}, "tool_calls"),
      usageChunk(8, 4),
    ];
    const s = client.responses.stream({
      model: "gpt-x",
      input: "hi",
      tools: [{ type: "function", name: "shell", parameters: { type: "object", properties: {} }, strict: false }],
    });
    const deltas: string[] = [];
    s.on("response.output_text.delta", (e) => deltas.push(e.snapshot));
    const final = await s.finalResponse();
    expect(deltas).toEqual(["Hel", "Hello"]);
    expect(final.output_text).toBe("Hello");
    expect(final.status).toBe("completed");
    expect(final.usage?.output_tokens).toBe(4);
    expect(final.output.map((i) => i.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(final.output[2]).toMatchObject({ name: "shell", arguments: '{"cmd":"ls"}', call_id: "call_1" });
    expect(seen.stream).toBe(true);
    expect(seen.tools[0].function.name).toBe("shell");
  });

  test("responses.create streaming: iterating the raw events", async () => {
    chunks = TEXT_CHUNKS;
    const events = await client.responses.create({ model: "gpt-x", input: "hi", stream: true });
    const types: string[] = [];
    for await (const e of events) types.push(e.type);
    expect(types).toEqual(names(stream(TEXT_CHUNKS)) as string[]);
  });

  test("responses.stream surfaces response.incomplete and response.failed", async () => {
    chunks = [chunk({ content: "Hel" }), chunk({}, "length"), usageChunk()];
    const cut = await client.responses.stream({ model: "gpt-x", input: "hi" }).finalResponse();
    expect(cut.status).toBe("incomplete");
    expect(cut.output_text).toBe("Hel");
    chunks = [chunk({ content: "Hel" }), { error: { message: "boom", type: "server_error" } }];
    const failed = await client.responses.stream({ model: "gpt-x", input: "hi" }).finalResponse();
    expect(failed.status).toBe("failed");
    expect(failed.error?.message).toBe("boom");
  });
});
