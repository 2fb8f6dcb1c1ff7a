// The Anthropic Messages codec: requests, replies and streams in both directions, the 400s for what
// cannot be translated, and a round trip through the chat pivot.
import { describe, expect, test } from "bun:test";
import { anthropic } from "../../../../src/relay/wire/anthropic/codec";
import { formatSse, parseSse } from "../../../../src/relay/wire/sse";
import type { Json, SseEvent } from "../../../../src/relay/wire/codec";
import { AppError } from "../../../../src/errors";

const toChat = anthropic.requestToChat;
const fromChat = (chat: Json, stream = false) => anthropic.requestFromChat!(chat, "claude-up", stream);

/** The AppError `fn` throws (fails the test when it throws nothing or something else). */
function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected a refusal");
}

const chunk = (delta: Json, finish_reason: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "up",
  choices: [{ index: 0, delta, finish_reason }],
});
const usageChunk = (usage: Json) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "up",
  choices: [],
  usage,
});

/** Runs chat chunks through streamFromChat, then back through SSE text as a client would read it. */
function runFromChat(chunks: Json[], end = true): SseEvent[] {
  const t = anthropic.streamFromChat({ model: "claude-x" });
  const events = chunks.flatMap((c) => t.push(c));
  if (end) events.push(...t.end());
  return parseSse(events.map(formatSse).join(""));
}
const types = (events: SseEvent[]) => events.map((e) => e.event);
const data = (e: SseEvent) => e.data as Json;

function runToChat(events: Json[]): Json[] {
  const t = anthropic.streamToChat!();
  const sse = parseSse(events.map((d) => formatSse({ event: d.type, data: d })).join(""));
  return [...sse.flatMap((e) => t.push(e)), ...t.end()];
}

describe("requestToChat", () => {
  test("text, string and block system, parameters", () => {
    const chat = toChat({
      model: "claude-sonnet-4-5",
      system: [
        { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Be brief." },
      ],
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 1000,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ["END"],
      metadata: { user_id: "u1" },
      thinking: { type: "enabled", budget_tokens: 500 },
      service_tier: "auto",
    });
    expect(chat).toEqual({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are Claude Code.\nBe brief." },
        { role: "user", content: "hi" },
      ],
      max_tokens: 1000,
      temperature: 0.5,
      top_p: 0.9,
      stop: ["END"],
    });
    expect(toChat({ model: "m", system: "sys", messages: [] }).messages).toEqual([{ role: "system", content: "sys" }]);
    expect(toChat({ model: "m", system: [], messages: [] }).messages).toEqual([]);
  });

  test("a system message among the turns stays at its position", () => {
    const chat = toChat({
      model: "m",
      messages: [
        { role: "user", content: "first" },
        { role: "system", content: [{ type: "text", text: "reminder" }] },
        { role: "assistant", content: "ok" },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "first" },
      { role: "system", content: "reminder" },
      { role: "assistant", content: "ok" },
    ]);
  });

  test("streaming asks for usage", () => {
    const chat = toChat({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] });
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toEqual({ include_usage: true });
    expect(toChat({ model: "m", stream: false, messages: [] }).stream).toBeUndefined();
  });

  test("multi-part user turns with base64 and url images; text-only turns become one string", () => {
    const chat = toChat({
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look", cache_control: { type: "ephemeral" } },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            { type: "image", source: { type: "url", url: "https://x/y.jpg" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          { type: "image_url", image_url: { url: "https://x/y.jpg" } },
        ],
      },
      { role: "user", content: "a\nb" },
    ]);
  });

  test("tool_use becomes tool_calls, tool_result becomes tool messages before the turn's text", () => {
    const chat = toChat({
      model: "m",
      messages: [
        { role: "user", content: "list files" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "redacted_thinking", data: "xyz" },
            { type: "text", text: "Running." },
            { type: "tool_use", id: "toolu_1", name: "ls", input: { path: "." } },
            { type: "tool_use", id: "toolu_2", name: "pwd", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "and then?" },
            { type: "tool_result", tool_use_id: "toolu_1", content: "a.txt" },
            {
              type: "tool_result",
              tool_use_id: "toolu_2",
              is_error: true,
              content: [
                { type: "text", text: "no" },
                { type: "text", text: "cwd" },
              ],
            },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "list files" },
      {
        role: "assistant",
        content: "Running.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "ls", arguments: '{"path":"."}' } },
          { id: "toolu_2", type: "function", function: { name: "pwd", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "a.txt" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: no\ncwd" },
      { role: "user", content: "and then?" },
    ]);
  });

  test("a turn of only tool results gives only tool messages; tool-only assistant turns have null content", () => {
    const chat = toChat({
      model: "m",
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: { a: 1 } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t" }] },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
      },
      { role: "tool", tool_call_id: "t", content: "" },
    ]);
  });

  test("an assistant turn of only thinking is left out", () => {
    const chat = toChat({
      model: "m",
      messages: [{ role: "assistant", content: [{ type: "thinking", thinking: "x", signature: "s" }] }],
    });
    expect(chat.messages).toEqual([]);
  });

  test("images inside a tool_result ride in the user message after the tool messages", () => {
    const chat = toChat({
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "t",
              content: [
                { type: "text", text: "screenshot" },
                { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "QQ" } },
              ],
            },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "tool", tool_call_id: "t", content: "screenshot\n[1 image(s) attached in the next user message]" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/jpeg;base64,QQ" } }] },
    ]);
  });

  test("custom tools and tool_choice", () => {
    const schema = { type: "object", properties: { q: { type: "string" } }, required: ["q"] };
    const body = (tool_choice: Json) => ({
      model: "m",
      messages: [],
      tool_choice,
      tools: [
        { name: "search", description: "find", input_schema: schema, cache_control: { type: "ephemeral" } },
        { type: "custom", name: "n", input_schema: schema },
      ],
    });
    const chat = toChat(body({ type: "auto" }));
    expect(chat.tools).toEqual([
      { type: "function", function: { name: "search", description: "find", parameters: schema } },
      { type: "function", function: { name: "n", parameters: schema } },
    ]);
    expect(chat.tool_choice).toBe("auto");
    expect(chat.parallel_tool_calls).toBeUndefined();
    expect(toChat(body({ type: "any", disable_parallel_tool_use: true }))).toMatchObject({
      tool_choice: "required",
      parallel_tool_calls: false,
    });
    expect(toChat(body({ type: "none" })).tool_choice).toBe("none");
    expect(toChat(body({ type: "tool", name: "search" })).tool_choice).toEqual({
      type: "function",
      function: { name: "search" },
    });
  });

  test("structured output format becomes response_format", () => {
    const schema = { type: "object", properties: {} };
    const chat = toChat({
      model: "m",
      messages: [],
      output_config: { effort: "high", format: { type: "json_schema", schema } },
    });
    expect(chat.response_format).toEqual({ type: "json_schema", json_schema: { name: "output", schema } });
  });

  test("the 400s name what cannot be translated", () => {
    const msg = (content: Json[]) => ({ model: "m", messages: [{ role: "user", content }] });
    let e = refusal(() => toChat(msg([{ type: "document", source: { type: "text", data: "x" } }])));
    expect(e.status).toBe(400);
    expect(e.message).toBe('content block type "document" cannot be sent to a chat upstream');
    expect(e.param).toBe("messages[0].content[0]");
    expect(
      refusal(() => toChat(msg([{ type: "search_result", source: "s", title: "t", content: [] }]))).message,
    ).toContain('"search_result"');
    expect(refusal(() => toChat(msg([{ type: "image", source: { type: "file", file_id: "f" } }]))).message).toContain(
      'image source type "file"',
    );
    expect(
      refusal(() => toChat(msg([{ type: "tool_result", tool_use_id: "t", content: [{ type: "document" }] }]))).message,
    ).toContain('"document" inside a tool_result');
    e = refusal(() =>
      toChat({
        model: "m",
        messages: [
          { role: "assistant", content: [{ type: "server_tool_use", id: "s", name: "web_search", input: {} }] },
        ],
      }),
    );
    expect(e.message).toContain('"server_tool_use"');
    for (const type of ["web_search_20250305", "bash_20250124", "text_editor_20250728", "computer_20250124"]) {
      e = refusal(() => toChat({ model: "m", messages: [], tools: [{ name: "x" }, { type, name: "x" }] }));
      expect(e.message).toBe(`tool type "${type}" cannot be sent to a chat upstream`);
      expect(e.param).toBe("tools[1]");
    }
    expect(refusal(() => toChat({ model: "m", system: [{ type: "image" }], messages: [] })).param).toBe("system");
    expect(refusal(() => toChat({ model: "m", messages: "hi" })).param).toBe("messages");
    expect(
      refusal(() => toChat({ model: "m", messages: [], mcp_servers: [{ type: "url", url: "u", name: "n" }] })).message,
    ).toContain("mcp_servers");
  });
});

describe("replyFromChat", () => {
  const reply = (message: Json, finish_reason: string, usage?: Json) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "up",
    choices: [{ index: 0, message, finish_reason }],
    usage,
  });

  test("text with usage including cache fields", () => {
    const out = anthropic.replyFromChat(
      reply({ role: "assistant", content: "Hello" }, "stop", {
        prompt_tokens: 100,
        completion_tokens: 7,
        total_tokens: 107,
        prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30 },
      }),
      "claude-x",
    );
    expect(out.id).toMatch(/^msg_/);
    expect(out).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [{ type: "text", text: "Hello" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 60, cache_creation_input_tokens: 30 },
    });
  });

  test("reasoning first, then text, then tool calls", () => {
    const out = anthropic.replyFromChat(
      reply(
        {
          role: "assistant",
          content: "Let me check.",
          reasoning_content: "think",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get", arguments: '{"a":1}' } },
            { type: "function", function: { name: "bad", arguments: "{not json" } },
          ],
        },
        "tool_calls",
      ),
      "m",
    );
    expect(out.content[0]).toEqual({ type: "thinking", thinking: "think", signature: "" });
    expect(out.content[1]).toEqual({ type: "text", text: "Let me check." });
    expect(out.content[2]).toEqual({ type: "tool_use", id: "call_1", name: "get", input: { a: 1 } });
    expect(out.content[3]).toMatchObject({ type: "tool_use", name: "bad", input: {} });
    expect(out.content[3].id).toMatch(/^toolu_/);
    expect(out.stop_reason).toBe("tool_use");
    expect(out.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  test("stop reasons", () => {
    const stop = (f: string) => anthropic.replyFromChat(reply({ role: "assistant", content: "x" }, f), "m").stop_reason;
    expect(stop("stop")).toBe("end_turn");
    expect(stop("length")).toBe("max_tokens");
    expect(stop("tool_calls")).toBe("tool_use");
    expect(stop("content_filter")).toBe("refusal");
  });

  test("empty content gives no blocks", () => {
    expect(anthropic.replyFromChat(reply({ role: "assistant", content: "" }, "stop"), "m").content).toEqual([]);
    const refused = anthropic.replyFromChat(
      reply({ role: "assistant", content: null, refusal: "I can't" }, "content_filter"),
      "m",
    );
    expect(refused).toMatchObject({ content: [{ type: "text", text: "I can't" }], stop_reason: "refusal" });
  });
});

describe("streamFromChat", () => {
  test("a text reply: exact event order, usage held until the usage chunk", () => {
    const events = runFromChat([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Hel" }),
      chunk({ content: "lo" }),
      chunk({}, "stop"),
      usageChunk({ prompt_tokens: 20, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 5 } }),
    ]);
    expect(types(events)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) expect(data(e).type).toBe(e.event!);
    const start = data(events[0]).message;
    expect(start).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    });
    expect(start.id).toMatch(/^msg_/);
    expect(data(events[1])).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    expect(data(events[2]).delta).toEqual({ type: "text_delta", text: "Hel" });
    expect(data(events[4])).toEqual({ type: "content_block_stop", index: 0 });
    expect(data(events[5])).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 15, output_tokens: 2, cache_read_input_tokens: 5, cache_creation_input_tokens: 0 },
    });
  });

  test("message_delta waits for the usage chunk, and end() adds nothing after it", () => {
    const t = anthropic.streamFromChat({ model: "m" });
    t.push(chunk({ content: "x" }));
    expect(types(t.push(chunk({}, "length")))).toEqual(["content_block_stop"]);
    const last = t.push(usageChunk({ prompt_tokens: 1, completion_tokens: 1 }));
    expect(types(last)).toEqual(["message_delta", "message_stop"]);
    expect(data(last[0]).delta.stop_reason).toBe("max_tokens");
    expect(t.end()).toEqual([]);
  });

  test("without a usage chunk, end() closes the message", () => {
    const events = runFromChat([chunk({ content: "x" }), chunk({}, "stop")]);
    expect(types(events).slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(data(events.at(-2)!).usage.output_tokens).toBe(0);
  });

  test("a tool call reply: text block, then one tool_use block per call index", () => {
    const events = runFromChat([
      chunk({ role: "assistant", content: "Checking." }),
      chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "put", arguments: "{}" } }] }),
      chunk({}, "tool_calls"),
      usageChunk({ prompt_tokens: 3, completion_tokens: 4 }),
    ]);
    expect(types(events)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(data(events[4])).toEqual({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "call_a", name: "get", input: {} },
    });
    expect(data(events[5]).delta).toEqual({ type: "input_json_delta", partial_json: '{"a":' });
    expect(data(events[8]).content_block).toMatchObject({ id: "call_b", name: "put" });
    expect(data(events[8]).index).toBe(2);
    expect(data(events[11]).delta.stop_reason).toBe("tool_use");
  });

  test("a thinking + text reply: thinking block, then text block", () => {
    const events = runFromChat([
      chunk({ role: "assistant", reasoning_content: "Let" }),
      chunk({ reasoning_content: " me think" }),
      chunk({ content: "Answer" }),
      chunk({}, "stop"),
    ]);
    expect(types(events)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(data(events[1]).content_block).toEqual({ type: "thinking", thinking: "", signature: "" });
    expect(data(events[2]).delta).toEqual({ type: "thinking_delta", thinking: "Let" });
    expect(data(events[5])).toMatchObject({ index: 1, content_block: { type: "text" } });
  });

  test("an empty chat stream still gives a valid message", () => {
    expect(types(runFromChat([]))).toEqual(["message_start", "message_delta", "message_stop"]);
    expect(types(runFromChat([chunk({ role: "assistant" }), chunk({}, "stop")]))).toEqual([
      "message_start",
      "message_delta",
      "message_stop",
    ]);
  });

  test("an error chunk becomes an error event and ends the stream", () => {
    const events = runFromChat([chunk({ content: "x" }), { error: { message: "boom", type: "server_error" } }]);
    expect(types(events)).toEqual(["message_start", "content_block_start", "content_block_delta", "error"]);
    expect(data(events[3])).toEqual({ type: "error", error: { type: "api_error", message: "boom" } });
    const rate = runFromChat([{ error: { message: "slow down", type: "rate_limit_error" } }]);
    expect(data(rate[0]).error.type).toBe("rate_limit_error");
  });
});

describe("requestFromChat", () => {
  test("system and developer messages anywhere join into system; parameters", () => {
    const req = fromChat(
      {
        model: "gpt",
        messages: [
          { role: "system", content: "one" },
          { role: "user", content: "hi" },
          { role: "developer", content: [{ type: "text", text: "two" }] },
        ],
        max_completion_tokens: 50,
        stop: "END",
        temperature: 1.6,
        top_p: 0.5,
        user: "u",
      },
      true,
    );
    expect(req).toEqual({
      model: "claude-up",
      max_tokens: 50,
      system: "one\n\ntwo",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      stop_sequences: ["END"],
      temperature: 1,
      top_p: 0.5,
      metadata: { user_id: "u" },
      stream: true,
    });
  });

  test("max_tokens defaults to 4096; stop arrays pass", () => {
    const req = fromChat({ model: "gpt", messages: [{ role: "user", content: "x" }], stop: ["a", "b"] });
    expect(req.max_tokens).toBe(4096);
    expect(req.stop_sequences).toEqual(["a", "b"]);
    expect(req.stream).toBeUndefined();
    expect(fromChat({ model: "gpt", messages: [], max_tokens: 9 }).max_tokens).toBe(9);
  });

  test("images: data URLs become base64 sources, http URLs url sources", () => {
    const req = fromChat({
      model: "gpt",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "see" },
            { type: "image_url", image_url: { url: "data:image/webp;base64,UklG", detail: "high" } },
            { type: "image_url", image_url: { url: "https://x/y.png" } },
          ],
        },
      ],
    });
    expect(req.messages[0].content).toEqual([
      { type: "text", text: "see" },
      { type: "image", source: { type: "base64", media_type: "image/webp", data: "UklG" } },
      { type: "image", source: { type: "url", url: "https://x/y.png" } },
    ]);
  });

  test("tool calls, tool results merged into one user turn, same roles merged", () => {
    const req = fromChat({
      model: "gpt",
      messages: [
        { role: "user", content: "a" },
        { role: "user", content: "b" },
        {
          role: "assistant",
          content: "calling",
          reasoning_content: "secret",
          tool_calls: [
            { id: "c1", type: "function", function: { name: "f", arguments: '{"x":1}' } },
            { id: "c2", type: "function", function: { name: "g", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "r1" },
        { role: "tool", tool_call_id: "c2", content: [{ type: "text", text: "r2" }] },
        { role: "user", content: "thanks" },
        { role: "assistant", content: "" },
      ],
    });
    expect(req.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "calling" },
          { type: "tool_use", id: "c1", name: "f", input: { x: 1 } },
          { type: "tool_use", id: "c2", name: "g", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "c1", content: "r1" },
          { type: "tool_result", tool_use_id: "c2", content: "r2" },
          { type: "text", text: "thanks" },
        ],
      },
    ]);
  });

  test("tools and tool_choice, parallel_tool_calls", () => {
    const params = { type: "object", properties: { q: { type: "string" } } };
    const base = {
      model: "gpt",
      messages: [],
      tools: [
        { type: "function", function: { name: "s", description: "d", parameters: params } },
        { type: "function", function: { name: "t" } },
      ],
    };
    const req = fromChat({ ...base, tool_choice: "required" });
    expect(req.tools).toEqual([
      { name: "s", description: "d", input_schema: params },
      { name: "t", input_schema: { type: "object", properties: {} } },
    ]);
    expect(req.tool_choice).toEqual({ type: "any" });
    expect(fromChat({ ...base, tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(fromChat({ ...base, tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(fromChat({ ...base, tool_choice: { type: "function", function: { name: "s" } } }).tool_choice).toEqual({
      type: "tool",
      name: "s",
    });
    expect(fromChat(base).tool_choice).toBeUndefined();
    expect(fromChat({ ...base, parallel_tool_calls: false }).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(fromChat({ ...base, tool_choice: "required", parallel_tool_calls: false }).tool_choice).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
  });

  test("json_schema response_format becomes output_config.format", () => {
    const schema = { type: "object" };
    const req = fromChat({
      model: "gpt",
      messages: [],
      response_format: { type: "json_schema", json_schema: { name: "x", schema } },
    });
    expect(req.output_config).toEqual({ format: { type: "json_schema", schema } });
  });

  test("the 400s name what cannot be translated", () => {
    const e = refusal(() =>
      fromChat({ model: "gpt", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] }),
    );
    expect(e.status).toBe(400);
    expect(e.message).toBe('content part type "input_audio" cannot be sent to an Anthropic upstream');
    expect(e.param).toBe("messages[0].content[0]");
    expect(
      refusal(() => fromChat({ model: "gpt", messages: [{ role: "user", content: [{ type: "file", file: {} }] }] }))
        .message,
    ).toContain('"file"');
    expect(
      refusal(() => fromChat({ model: "gpt", messages: [], tools: [{ type: "custom", custom: { name: "x" } }] }))
        .message,
    ).toContain('tool type "custom"');
  });
});

describe("replyToChat", () => {
  const message = (content: Json[], stop_reason: string, usage: Json = { input_tokens: 5, output_tokens: 3 }) => ({
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-up",
    content,
    stop_reason,
    stop_sequence: null,
    usage,
  });

  test("text, thinking and tool use with cache usage", () => {
    const out = anthropic.replyToChat!(
      message(
        [
          { type: "thinking", thinking: "hm", signature: "s" },
          { type: "redacted_thinking", data: "x" },
          { type: "text", text: "Hello " },
          { type: "text", text: "there" },
          { type: "tool_use", id: "toolu_1", name: "f", input: { a: [1] } },
        ],
        "tool_use",
        { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
      ),
    );
    expect(out).toMatchObject({
      id: "msg_1",
      object: "chat.completion",
      model: "claude-up",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            content: "Hello there",
            reasoning_content: "hm",
            tool_calls: [{ id: "toolu_1", type: "function", function: { name: "f", arguments: '{"a":[1]}' } }],
          },
        },
      ],
      usage: {
        prompt_tokens: 130,
        completion_tokens: 4,
        total_tokens: 134,
        prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
      },
    });
    expect(typeof out.created).toBe("number");
  });

  test("no text gives null content and no reasoning_content", () => {
    const m = anthropic.replyToChat!(message([{ type: "tool_use", id: "t", name: "f", input: {} }], "tool_use"))
      .choices[0].message;
    expect(m.content).toBeNull();
    expect("reasoning_content" in m).toBe(false);
  });

  test("stop reasons", () => {
    const finish = (s: string) =>
      anthropic.replyToChat!(message([{ type: "text", text: "x" }], s)).choices[0].finish_reason;
    expect(finish("end_turn")).toBe("stop");
    expect(finish("stop_sequence")).toBe("stop");
    expect(finish("pause_turn")).toBe("stop");
    expect(finish("max_tokens")).toBe("length");
    expect(finish("tool_use")).toBe("tool_calls");
    expect(finish("refusal")).toBe("content_filter");
  });
});

describe("streamToChat", () => {
  const start = (
    usage: Json = { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 30, cache_creation_input_tokens: 8 },
  ) => ({
    type: "message_start",
    message: {
      id: "msg_9",
      type: "message",
      role: "assistant",
      model: "claude-up",
      content: [],
      stop_reason: null,
      usage,
    },
  });
  const deltas = (chunks: Json[]) => chunks.map((c) => c.choices?.[0]?.delta);

  test("a text stream: role first, content, finish_reason, then the usage chunk", () => {
    const chunks = runToChat([
      start(),
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "ping" },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "!" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 6 } },
      { type: "message_stop" },
    ]);
    expect(deltas(chunks)).toEqual([
      { role: "assistant", content: "" },
      { content: "Hi" },
      { content: "!" },
      {},
      undefined,
    ]);
    expect(
      chunks.every((c) => c.id === "msg_9" && c.model === "claude-up" && c.object === "chat.completion.chunk"),
    ).toBe(true);
    expect(chunks[3].choices[0].finish_reason).toBe("stop");
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 6,
        total_tokens: 56,
        prompt_tokens_details: { cached_tokens: 30, cache_write_tokens: 8 },
      },
    });
  });

  test("thinking and tool use: tool blocks numbered from 0, arguments streamed", () => {
    const chunks = runToChat([
      start({ input_tokens: 1, output_tokens: 1 }),
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "plan" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "toolu_a", name: "f", input: {} },
      },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"x":2}' } },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "toolu_b", name: "g", input: {} },
      },
      { type: "content_block_stop", index: 2 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use" },
        usage: { output_tokens: 9, input_tokens: 2, cache_read_input_tokens: 3 },
      },
      { type: "message_stop" },
    ]);
    expect(deltas(chunks)).toEqual([
      { role: "assistant", content: "" },
      { reasoning_content: "plan" },
      { tool_calls: [{ index: 0, id: "toolu_a", type: "function", function: { name: "f", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":2}' } }] },
      { tool_calls: [{ index: 1, id: "toolu_b", type: "function", function: { name: "g", arguments: "" } }] },
      {},
      undefined,
    ]);
    expect(chunks[5].choices[0].finish_reason).toBe("tool_calls");
    expect(chunks[6].usage).toMatchObject({
      prompt_tokens: 5,
      completion_tokens: 9,
      prompt_tokens_details: { cached_tokens: 3, cache_write_tokens: 0 },
    });
  });

  test("the first chunk carries the role even without message_start", () => {
    const chunks = runToChat([{ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "x" } }]);
    expect(deltas(chunks)).toEqual([{ role: "assistant", content: "x" }]);
  });

  test("an error event becomes an error chunk; a cut stream gets nothing from end()", () => {
    const chunks = runToChat([start(), { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]);
    expect(chunks.at(-1)).toEqual({ error: { message: "Overloaded", type: "overloaded_error" } });
    const t = anthropic.streamToChat!();
    t.push({ event: "message_start", data: start() });
    expect(t.end()).toEqual([]);
  });

  test("no usage seen: no usage chunk", () => {
    const chunks = runToChat([
      { type: "message_start", message: { id: "m", model: "x" } },
      { type: "message_delta", delta: { stop_reason: "max_tokens" } },
      { type: "message_stop" },
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([null, "length"]);
  });
});

describe("round trips", () => {
  test("anthropic request → chat → anthropic request keeps the essentials", () => {
    const schema = { type: "object", properties: { path: { type: "string" } } };
    const original = {
      model: "claude-sonnet-4-5",
      max_tokens: 2048,
      temperature: 0.3,
      stop_sequences: ["###"],
      stream: true,
      system: [{ type: "text", text: "You are helpful." }],
      tools: [{ name: "read", description: "read a file", input_schema: schema }],
      tool_choice: { type: "tool", name: "read", disable_parallel_tool_use: true },
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "open it" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Reading." },
            { type: "tool_use", id: "toolu_1", name: "read", input: { path: "a" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "file body" },
            { type: "text", text: "summarise" },
          ],
        },
      ],
    };
    const back = fromChat(toChat(original), true);
    expect(back).toEqual({
      model: "claude-up",
      max_tokens: 2048,
      temperature: 0.3,
      stop_sequences: ["###"],
      stream: true,
      system: "You are helpful.",
      tools: [{ name: "read", description: "read a file", input_schema: schema }],
      tool_choice: { type: "tool", name: "read", disable_parallel_tool_use: true },
      messages: original.messages,
    });
  });

  test("an Anthropic reply → chat → Anthropic reply keeps blocks, stop reason and usage", () => {
    const reply = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "up",
      stop_reason: "tool_use",
      stop_sequence: null,
      content: [
        { type: "thinking", thinking: "t", signature: "" },
        { type: "text", text: "x" },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ],
      usage: { input_tokens: 4, output_tokens: 2, cache_read_input_tokens: 6, cache_creation_input_tokens: 1 },
    };
    const back = anthropic.replyFromChat(anthropic.replyToChat!(reply), "claude-x");
    expect(back).toMatchObject({
      content: reply.content,
      stop_reason: "tool_use",
      usage: reply.usage,
      model: "claude-x",
    });
  });

  test("an Anthropic stream → chat chunks → Anthropic stream keeps the event order", () => {
    const upstream = [
      { type: "message_start", message: { id: "m", model: "up", usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } },
      { type: "message_stop" },
    ];
    const events = runFromChat(runToChat(upstream));
    expect(types(events)).toEqual(upstream.map((e) => e.type));
    expect(data(events[4]).usage).toMatchObject({ input_tokens: 3, output_tokens: 2 });
  });
});
