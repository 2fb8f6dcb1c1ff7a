// The Anthropic Messages codec (/v1/messages): requests and replies to and from the chat pivot.
// Clients such as Claude Code reach chat upstreams through requestToChat/replyFromChat; Anthropic
// upstreams serve chat clients through requestFromChat/replyToChat. Streams: anthropic-stream.ts.
import { refusals } from "../../../core/refusals";
import { stopFromChat, stopToChat, streamFromChat, streamToChat, usageFromChat, usageToChat } from "./stream";
import type { Codec, Json } from "../codec";
import { newId, nowSeconds, parseArgs } from "../util";

const cannotSend = (what: string, param: string) =>
  refusals.badBody(`${what} cannot be sent to a chat upstream`, param);
const cannotSendUp = (what: string, param: string) =>
  refusals.badBody(`${what} cannot be sent to an Anthropic upstream`, param);

const blocksOf = (content: unknown): Json[] =>
  typeof content === "string" ? [{ type: "text", text: content }] : Array.isArray(content) ? content : [];

/** The text of a string or of text blocks/parts; anything else is refused. */
function textOf(content: unknown, param: string, refuse = cannotSend): string {
  return blocksOf(content)
    .map((b) => {
      if (b.type !== "text") throw refuse(`content block type "${b.type}"`, param);
      return b.text ?? "";
    })
    .join("\n");
}

// ---- Anthropic request → chat ----

function imageToChat(b: Json, param: string): Json {
  const s = b.source ?? {};
  if (s.type === "base64") return { type: "image_url", image_url: { url: `data:${s.media_type};base64,${s.data}` } };
  if (s.type === "url") return { type: "image_url", image_url: { url: s.url } };
  throw cannotSend(`image source type "${s.type}"`, param);
}

/** A tool_result as a chat tool message. Chat tool messages hold text only, so its images are
 * returned separately to ride in the user message that follows the tool messages. */
function toolResultToChat(b: Json, param: string): { message: Json; images: Json[] } {
  const texts: string[] = [];
  const images: Json[] = [];
  for (const part of blocksOf(b.content)) {
    if (part.type === "text") texts.push(part.text ?? "");
    else if (part.type === "image") images.push(imageToChat(part, param));
    else throw cannotSend(`content block type "${part.type}" inside a tool_result`, param);
  }
  if (images.length) texts.push(`[${images.length} image(s) attached in the next user message]`);
  const text = texts.join("\n");
  return {
    message: { role: "tool", tool_call_id: b.tool_use_id, content: b.is_error ? `Error: ${text}` : text },
    images,
  };
}

/** A user turn: its tool results first (chat wants them right after the assistant's tool calls), then the rest. */
function userToChat(content: unknown, param: string): Json[] {
  const tools: Json[] = [];
  const parts: Json[] = [];
  blocksOf(content).forEach((b, i) => {
    const p = `${param}.content[${i}]`;
    if (b.type === "tool_result") {
      const { message, images } = toolResultToChat(b, p);
      tools.push(message);
      parts.push(...images);
    } else if (b.type === "text") parts.push({ type: "text", text: b.text ?? "" });
    else if (b.type === "image") parts.push(imageToChat(b, p));
    else throw cannotSend(`content block type "${b.type}"`, p);
  });
  if (!parts.length) return tools;
  // text-only turns go as one string, which every chat upstream accepts
  const text = parts.every((p) => p.type === "text") ? parts.map((p) => p.text).join("\n") : null;
  return [...tools, { role: "user", content: text ?? parts }];
}

function assistantToChat(content: unknown, param: string): Json[] {
  const texts: string[] = [];
  const calls: Json[] = [];
  blocksOf(content).forEach((b, i) => {
    if (b.type === "text") texts.push(b.text ?? "");
    else if (b.type === "tool_use")
      calls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    // thinking/redacted_thinking are the model's own hidden state, signed for Anthropic only: a chat
    // upstream has no field for them and would not understand them, so they are left out.
    else if (b.type !== "thinking" && b.type !== "redacted_thinking")
      throw cannotSend(`content block type "${b.type}"`, `${param}.content[${i}]`);
  });
  const text = texts.join("\n");
  if (!calls.length) return text ? [{ role: "assistant", content: text }] : [];
  return [{ role: "assistant", content: text || null, tool_calls: calls }];
}

function messageToChat(m: Json, i: number): Json[] {
  const param = `messages[${i}]`;
  if (m.role === "user") return userToChat(m.content, param);
  if (m.role === "assistant") return assistantToChat(m.content, param);
  // Claude Code puts a system message among the turns; it stays where it is
  if (m.role === "system") return [{ role: "system", content: textOf(m.content, `${param}.content`) }];
  throw refusals.badBody(`message role "${m.role}" is not supported`, `${param}.role`);
}

function toolToChat(t: Json, i: number): Json {
  // typed tools ("web_search_20250305", "bash_20250124", …) run on Anthropic's side: no chat equivalent
  if (t.type && t.type !== "custom") throw cannotSend(`tool type "${t.type}"`, `tools[${i}]`);
  const fn: Json = { name: t.name, parameters: t.input_schema ?? { type: "object", properties: {} } };
  if (t.description) fn.description = t.description;
  return { type: "function", function: fn };
}

const TOOL_CHOICE_TO_CHAT: Record<string, string> = { auto: "auto", any: "required", none: "none" };

function toolChoiceToChat(c: Json): unknown {
  if (c.type === "tool") return { type: "function", function: { name: c.name } };
  const choice = TOOL_CHOICE_TO_CHAT[c.type];
  if (!choice) throw refusals.badBody(`tool_choice type "${c.type}" is not supported`, "tool_choice");
  return choice;
}

function requestToChat(body: Json): Json {
  if (!Array.isArray(body.messages)) throw refusals.badBody("messages must be an array", "messages");
  if (body.mcp_servers?.length) throw cannotSend("mcp_servers", "mcp_servers");
  const messages: Json[] = [];
  const system = textOf(body.system, "system");
  if (system) messages.push({ role: "system", content: system });
  body.messages.forEach((m: Json, i: number) => messages.push(...messageToChat(m, i)));
  const chat: Json = { model: body.model, messages };
  if (body.max_tokens !== undefined) chat.max_tokens = body.max_tokens;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.top_p = body.top_p;
  if (body.stop_sequences?.length) chat.stop = body.stop_sequences;
  if (body.stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  // metadata.user_id is not carried: Claude Code's is a ~150-character JSON string, and a `user` field
  // is refused by OpenAI-compatible APIs that reject fields they do not know
  if (body.tools?.length) chat.tools = body.tools.map(toolToChat);
  if (body.tool_choice) {
    chat.tool_choice = toolChoiceToChat(body.tool_choice);
    if (body.tool_choice.disable_parallel_tool_use) chat.parallel_tool_calls = false;
  }
  const format = body.output_config?.format;
  if (format?.type === "json_schema")
    chat.response_format = { type: "json_schema", json_schema: { name: "output", schema: format.schema } };
  // Left out on purpose, having no chat equivalent: thinking (budget), output_config.effort,
  // context_management, top_k, service_tier, container and cache_control marks anywhere.
  return chat;
}

// ---- chat request → Anthropic request ----

function imageFromChat(url: string): Json {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (m) return { type: "image", source: { type: "base64", media_type: m[1], data: m[2] } };
  return { type: "image", source: { type: "url", url } };
}

function partsFromChat(content: unknown, param: string): Json[] {
  return blocksOf(content).flatMap((p, i) => {
    if (p.type === "text" || p.type === "refusal")
      return p.text || p.refusal ? [{ type: "text", text: p.text ?? p.refusal }] : [];
    if (p.type === "image_url") return [imageFromChat(p.image_url?.url ?? "")];
    throw cannotSendUp(`content part type "${p.type}"`, `${param}.content[${i}]`);
  });
}

/** One non-system chat message as an Anthropic turn (tool results become user turns). */
function turnFromChat(m: Json, param: string): { role: string; content: Json[] } {
  if (m.role === "tool") {
    const text = textOf(m.content, `${param}.content`, cannotSendUp);
    return {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: m.tool_call_id, ...(text ? { content: text } : {}) }],
    };
  }
  if (m.role !== "user" && m.role !== "assistant")
    throw refusals.badBody(`message role "${m.role}" is not supported`, `${param}.role`);
  const content = partsFromChat(m.content, param);
  // reasoning_content in history is dropped: Anthropic only takes thinking back with its signature
  for (const tc of m.tool_calls ?? [])
    content.push({
      type: "tool_use",
      id: tc.id || newId("toolu_"),
      name: tc.function?.name,
      input: parseArgs(tc.function?.arguments),
    });
  return { role: m.role, content };
}

/** The turns, merged so that roles alternate as Anthropic requires; empty turns are skipped. */
function turnsFromChat(messages: Json[]): { system: string[]; turns: Json[] } {
  const system: string[] = [];
  const turns: Json[] = [];
  messages.forEach((m, i) => {
    if (m.role === "system" || m.role === "developer")
      return void system.push(textOf(m.content, `messages[${i}].content`, cannotSendUp));
    const turn = turnFromChat(m, `messages[${i}]`);
    if (!turn.content.length) return;
    const last = turns[turns.length - 1];
    if (last?.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  });
  return { system, turns };
}

function toolFromChat(t: Json, i: number): Json {
  if (t.type !== "function") throw cannotSendUp(`tool type "${t.type}"`, `tools[${i}]`);
  const f = t.function ?? {};
  const tool: Json = { name: f.name, input_schema: f.parameters ?? { type: "object", properties: {} } };
  if (f.description) tool.description = f.description;
  return tool;
}

const TOOL_CHOICE_FROM_CHAT: Record<string, string> = { auto: "auto", required: "any", none: "none" };

function toolChoiceFromChat(c: any, parallel: unknown): Json | undefined {
  let choice: Json | undefined;
  if (c?.type === "function") choice = { type: "tool", name: c.function?.name };
  else if (typeof c === "string" && TOOL_CHOICE_FROM_CHAT[c]) choice = { type: TOOL_CHOICE_FROM_CHAT[c] };
  if (parallel !== false || choice?.type === "none") return choice;
  return { ...(choice ?? { type: "auto" }), disable_parallel_tool_use: true };
}

function requestFromChat(chat: Json, upstreamModel: string, stream: boolean): Json {
  const { system, turns } = turnsFromChat(Array.isArray(chat.messages) ? chat.messages : []);
  const req: Json = {
    model: upstreamModel,
    max_tokens: chat.max_completion_tokens ?? chat.max_tokens ?? 4096,
    messages: turns,
  };
  if (system.length) req.system = system.join("\n\n");
  if (chat.stop) req.stop_sequences = Array.isArray(chat.stop) ? chat.stop : [chat.stop];
  // Anthropic's temperature range is 0..1 where chat's is 0..2: higher values are capped
  if (typeof chat.temperature === "number") req.temperature = Math.min(chat.temperature, 1);
  if (chat.top_p !== undefined) req.top_p = chat.top_p;
  if (chat.tools?.length) {
    req.tools = chat.tools.map(toolFromChat);
    const choice = toolChoiceFromChat(chat.tool_choice, chat.parallel_tool_calls);
    if (choice) req.tool_choice = choice;
  }
  if (chat.user) req.metadata = { user_id: String(chat.user) };
  const format = chat.response_format;
  if (format?.type === "json_schema")
    req.output_config = { format: { type: "json_schema", schema: format.json_schema?.schema } };
  if (stream) req.stream = true;
  return req;
}

// ---- replies ----

function replyFromChat(reply: Json, model: string): Json {
  const choice = reply.choices?.[0] ?? {};
  const m = choice.message ?? {};
  const content: Json[] = [];
  if (m.reasoning_content) content.push({ type: "thinking", thinking: m.reasoning_content, signature: "" });
  const text = typeof m.content === "string" ? m.content : m.refusal;
  if (text) content.push({ type: "text", text });
  for (const tc of m.tool_calls ?? [])
    content.push({
      type: "tool_use",
      id: tc.id || newId("toolu_"),
      name: tc.function?.name,
      input: parseArgs(tc.function?.arguments),
    });
  const stop_reason = stopFromChat(choice.finish_reason);
  return {
    id: newId("msg_"),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason,
    stop_sequence: null,
    usage: usageFromChat(reply.usage),
  };
}

function replyToChat(reply: Json): Json {
  const blocks: Json[] = Array.isArray(reply.content) ? reply.content : [];
  const texts = blocks.filter((b) => b.type === "text").map((b) => b.text);
  const thinking = blocks.filter((b) => b.type === "thinking").map((b) => b.thinking);
  const calls = blocks
    .filter((b) => b.type === "tool_use")
    .map((b) => ({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }));
  const message: Json = { role: "assistant", content: texts.length ? texts.join("") : null };
  if (thinking.length) message.reasoning_content = thinking.join("");
  if (calls.length) message.tool_calls = calls;
  const chat: Json = {
    id: reply.id,
    object: "chat.completion",
    created: nowSeconds(),
    model: reply.model,
    choices: [{ index: 0, message, finish_reason: stopToChat(reply.stop_reason) }],
  };
  if (reply.usage) chat.usage = usageToChat(reply.usage);
  return chat;
}

export const anthropic: Codec = {
  requestToChat,
  replyFromChat,
  streamFromChat,
  requestFromChat,
  replyToChat,
  streamToChat,
};
