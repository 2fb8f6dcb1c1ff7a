// The OpenAI Responses API (POST /v1/responses), client side: its requests to chat, and chat replies
// and streams back to Response objects and events (the stream lives in responses-stream.ts).
// Upstreams that speak Responses get the body untouched, so the upstream half is left out.
import { refusals } from "../../../core/refusals";
import {
  functionCallItem,
  messageItem,
  outcome,
  reasoningItem,
  responseObject,
  streamFromChat,
  textPart,
  usageFromChat,
} from "./stream";
import type { Codec, Json } from "../codec";
import { newId, nowSeconds } from "../util";

const untranslatable = (what: string, param: string) =>
  refusals.badBody(
    `${what} cannot be translated to chat completions; use a channel that speaks the Responses API`,
    param,
  );

/** Request fields that point at state kept by OpenAI (earlier responses, conversations, stored
 * prompts, background runs); a chat upstream has none of it, and neither do we. */
const STATEFUL: Record<string, string> = {
  previous_response_id:
    "previous_response_id needs a channel that speaks the Responses API (chat completions keep no earlier responses)",
  conversation: "conversation needs a channel that speaks the Responses API (chat completions keep no conversations)",
  prompt: "prompt (a stored prompt template) needs a channel that speaks the Responses API",
  background:
    "background needs a channel that speaks the Responses API (chat completions answer in the foreground only)",
};

function refuseStateful(body: Json): void {
  for (const [field, message] of Object.entries(STATEFUL)) {
    if (body[field] !== undefined && body[field] !== null && body[field] !== false)
      throw refusals.badBody(message, field);
  }
}

/** Plain settings with a chat equivalent: Responses name → chat name. */
const SETTINGS: Record<string, string> = {
  max_output_tokens: "max_tokens",
  temperature: "temperature",
  top_p: "top_p",
};

// Ignored, as chat has no use for them here: store / metadata (server-side storage of the response;
// we keep none), include (extra output such as encrypted reasoning that chat cannot produce),
// truncation (chat never drops context: "disabled" behaviour), service_tier / prompt_cache_key /
// user / safety_identifier (OpenAI account and cache-routing hints), text.verbosity and
// reasoning.summary (hints: reasoning text comes back whenever the upstream gives it), max_tool_calls,
// top_logprobs and stream_options (Responses' stream obfuscation).
function requestToChat(body: Json): Json {
  refuseStateful(body);
  const chat: Json = { model: body.model, messages: messagesOf(body) };
  if (Array.isArray(body.tools) && body.tools.length) addTools(chat, body);
  for (const [from, to] of Object.entries(SETTINGS)) if (body[from] != null) chat[to] = body[from];
  const format = formatToChat(body.text?.format);
  if (format) chat.response_format = format;
  if (body.reasoning?.effort) chat.reasoning_effort = body.reasoning.effort;
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

function messagesOf(body: Json): Json[] {
  const messages: Json[] = [];
  if (typeof body.instructions === "string" && body.instructions)
    messages.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") messages.push({ role: "user", content: body.input });
  else if (Array.isArray(body.input))
    body.input.forEach((item: Json, i: number) => addItem(messages, item, `input[${i}]`));
  else if (body.input != null) throw refusals.badBody("input must be a string or an array of input items", "input");
  return messages;
}

function addItem(messages: Json[], item: Json, param: string): void {
  if (typeof item !== "object" || item === null) throw refusals.badBody(`${param} must be an object`, param);
  const type = item.type ?? (item.role ? "message" : undefined);
  switch (type) {
    case "message":
      return void messages.push(messageToChat(item, param));
    case "function_call":
      return void addToolCall(messages, item);
    case "function_call_output":
      return void messages.push(toolResultToChat(item, param));
    case "reasoning":
      // Dropped: a resumed session replays the model's own earlier reasoning (often encrypted, only
      // readable by OpenAI); chat upstreams cannot take it back, and it carries no user content.
      return;
    case undefined:
      throw refusals.badBody(`${param} has neither a type nor a role`, param);
    default:
      throw untranslatable(`input item type "${type}"`, param);
  }
}

function toolResultToChat(item: Json, param: string): Json {
  return {
    role: "tool",
    tool_call_id: item.call_id,
    content: contentToChat(item.output, `${param}.output`, "function_call_output"),
  };
}

/** Developer messages become system ones: chat upstreams vary on "developer", all take "system". */
const ROLES: Record<string, string> = { user: "user", assistant: "assistant", system: "system", developer: "system" };

function messageToChat(item: Json, param: string): Json {
  const role = ROLES[item.role];
  if (!role)
    throw refusals.badBody(
      `${param}: role "${item.role}" is not one of user, assistant, system, developer`,
      `${param}.role`,
    );
  return { role, content: contentToChat(item.content, `${param}.content`, `${item.role} message`, role === "user") };
}

/** Content as chat takes it: one text part as a plain string, anything else as an array of parts.
 * Chat takes images only in user messages; `where` names the holder in the refusal of others. */
function contentToChat(content: unknown, param: string, where: string, imagesAllowed = false): string | Json[] {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw refusals.badBody(`${param} must be a string or an array of content parts`, param);
  const parts = content.map((part: Json, i: number) => partToChat(part, `${param}[${i}]`));
  const image = parts.findIndex((p) => p.type === "image_url");
  if (image >= 0 && !imagesAllowed) throw untranslatable(`an input_image in a ${where}`, `${param}[${image}]`);
  if (parts.length === 0) return "";
  return parts.length === 1 && parts[0].type === "text" ? parts[0].text : parts;
}

function partToChat(part: Json, param: string): Json {
  switch (part?.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image":
      return imageToChat(part, param);
    default:
      throw untranslatable(`content part type "${part?.type}"`, param);
  }
}

function imageToChat(part: Json, param: string): Json {
  if (!part.image_url && part.file_id) throw untranslatable("an input_image given by file_id", param);
  if (typeof part.image_url !== "string") throw refusals.badBody(`${param}: input_image needs an image_url`, param);
  const detail = part.detail === "low" || part.detail === "high" ? { detail: part.detail } : {};
  return { type: "image_url", image_url: { url: part.image_url, ...detail } };
}

/** A function_call joins the assistant message just before it (an earlier call or the text that
 * preceded it), or starts one: chat carries a turn's calls as one assistant message's tool_calls. */
function addToolCall(messages: Json[], item: Json): void {
  const call = { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments ?? "" } };
  const last = messages.at(-1);
  if (last?.role === "assistant") (last.tool_calls ??= []).push(call);
  else messages.push({ role: "assistant", content: null, tool_calls: [call] });
}

/** Tools and their settings. Chat refuses tool_choice and parallel_tool_calls without tools (Responses
 * does not), so they come along only with tools. */
function addTools(chat: Json, body: Json): void {
  chat.tools = body.tools.map(toolToChat);
  if (body.tool_choice != null) chat.tool_choice = toolChoiceToChat(body.tool_choice);
  if (body.parallel_tool_calls != null) chat.parallel_tool_calls = body.parallel_tool_calls;
}

/** Function tools only; `strict` passes when given (chat's default is non-strict, as Codex sends). */
function toolToChat(tool: Json, i: number): Json {
  if (tool?.type !== "function") throw untranslatable(`tool type "${tool?.type}"`, `tools[${i}]`);
  const fn: Json = { name: tool.name };
  if (tool.description != null) fn.description = tool.description;
  if (tool.parameters != null) fn.parameters = tool.parameters;
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}

function toolChoiceToChat(choice: Json | string): Json | string {
  if (typeof choice === "string") return choice;
  if (choice?.type === "function") return { type: "function", function: { name: choice.name } };
  throw untranslatable(`tool_choice type "${choice?.type}"`, "tool_choice");
}

function formatToChat(format: Json | undefined): Json | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type !== "json_schema") throw untranslatable(`text.format type "${format.type}"`, "text.format");
  const schema: Json = { name: format.name, schema: format.schema };
  if (format.description != null) schema.description = format.description;
  if (typeof format.strict === "boolean") schema.strict = format.strict;
  return { type: "json_schema", json_schema: schema };
}

function replyFromChat(reply: Json, model: string): Json {
  const choice = reply.choices?.[0] ?? {};
  const { status, incomplete_details } = outcome(choice.finish_reason);
  const output = outputOf(choice.message ?? {});
  // What a length or filter cut short is the last item (reasoning items carry no status).
  const last = output.at(-1);
  if (status === "incomplete" && last && last.type !== "reasoning") last.status = "incomplete";
  const created_at = typeof reply.created === "number" ? reply.created : nowSeconds();
  const usage = usageFromChat(reply.usage);
  return responseObject({ id: newId("resp_", 32), created_at, model }, { status, incomplete_details, output, usage });
}

/** A chat message's output items, in the order the model produced them: reasoning, text, calls. */
function outputOf(message: Json): Json[] {
  const items: Json[] = [];
  if (message.reasoning_content) items.push(reasoningItem(newId("rs_", 32), message.reasoning_content));
  const parts: Json[] = [];
  if (message.content) parts.push(textPart("output_text", message.content));
  if (message.refusal) parts.push(textPart("refusal", message.refusal));
  if (parts.length) items.push(messageItem(newId("msg_", 32), parts, "completed"));
  for (const call of message.tool_calls ?? []) {
    const { name = "", arguments: args = "" } = call.function ?? {};
    items.push(functionCallItem(newId("fc_", 32), call.id ?? newId("call_", 32), name, args, "completed"));
  }
  return items;
}

export const responses: Codec = { requestToChat, replyFromChat, streamFromChat };
