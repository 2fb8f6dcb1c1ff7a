// Chat requests as Gemini generateContent bodies, for Gemini upstreams: system text as
// systemInstruction, turns as contents (merged per role), tool calls and results as functionCall /
// functionResponse parts, tools as functionDeclarations, settings as generationConfig.
import { refusals } from "../../../core/refusals";
import { isObject, parseArgs } from "../util";
import type { Json } from "../codec";

/** Sampling settings with the same meaning on both sides: [Gemini generationConfig key, chat key]. */
export const SAMPLING: [string, string][] = [
  ["temperature", "temperature"],
  ["topP", "top_p"],
  ["candidateCount", "n"],
  ["presencePenalty", "presence_penalty"],
  ["frequencyPenalty", "frequency_penalty"],
  ["seed", "seed"],
];

/** Google's documented stand-in for the thoughtSignature Gemini 3 demands on the first functionCall
 * of each model turn: the real signatures do not survive the trip through chat. */
const SKIP_SIGNATURE = "skip_thought_signature_validator";

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
};

function guessImageType(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {}
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES[ext]) || "image/jpeg";
}

const parseDataUrl = (url: string): Json | undefined => {
  const m = /^data:([^;,]+)[^,]*;base64,(.*)$/s.exec(url);
  return m ? { mimeType: m[1], data: m[2] } : undefined;
};

function imageFromChat(url: unknown, where: string): Json {
  const text = String(url ?? "");
  const inline = parseDataUrl(text);
  if (inline) return { inlineData: inline };
  if (/^https?:\/\//i.test(text)) return { fileData: { fileUri: text, mimeType: guessImageType(text) } };
  throw refusals.badBody("image_url must be a base64 data: URL or an http(s) URL", where);
}

function partFromChat(part: Json, where: string): Json | undefined {
  switch (part.type) {
    case "text":
      return part.text ? { text: part.text } : undefined; // Gemini refuses empty parts
    case "image_url":
      return imageFromChat(isObject(part.image_url) ? part.image_url.url : part.image_url, where);
    case "input_audio":
      return { inlineData: { mimeType: `audio/${part.input_audio?.format}`, data: part.input_audio?.data } };
    default:
      throw refusals.badBody(`content parts of type "${part.type}" cannot be translated`, `${where}.type`);
  }
}

function contentFromChat(content: unknown, where: string): Json[] {
  if (content == null || content === "") return [];
  if (typeof content === "string") return [{ text: content }];
  if (!Array.isArray(content)) throw refusals.badBody("content must be a string or a list of parts", where);
  return content
    .map((part, j) => partFromChat(part, `${where}.content[${j}]`))
    .filter((p): p is Json => p !== undefined);
}

/** The texts of a message that may hold only text (system, developer, tool). */
function textsOf(content: unknown, where: string): string[] {
  return contentFromChat(content, where).map((part, j) => {
    if (typeof part.text !== "string")
      throw refusals.badBody("only text parts can be translated here", `${where}.content[${j}]`);
    return part.text;
  });
}

/** An assistant message as model parts. reasoning_content is not sent back: Gemini reads no thought
 * text without its signature. Call ids stay behind too: Gemini refuses `id` in requests and pairs
 * responses with calls by name and order. */
function assistantParts(msg: Json, names: Map<string, string>, where: string): Json[] {
  const parts = contentFromChat(msg.content, where);
  (msg.tool_calls ?? []).forEach((call: Json, j: number) => {
    const name = call.function?.name;
    names.set(call.id, name);
    const part: Json = { functionCall: { name, args: parseArgs(call.function?.arguments) } };
    if (j === 0) part.thoughtSignature = SKIP_SIGNATURE;
    parts.push(part);
  });
  return parts;
}

/** A tool message as a functionResponse: a JSON object result as is, anything else as {result}. */
function responsePart(msg: Json, names: Map<string, string>, where: string): Json {
  const name = names.get(msg.tool_call_id) ?? msg.name;
  if (!name)
    throw refusals.badBody(`tool_call_id "${msg.tool_call_id}" matches no earlier tool call`, `${where}.tool_call_id`);
  const text = textsOf(msg.content, where).join("");
  let response: Json = { result: text };
  try {
    const parsed = JSON.parse(text);
    if (isObject(parsed)) response = parsed;
  } catch {}
  return { functionResponse: { name, response } };
}

/** Appends parts as a turn of `role`, merged into the previous turn when it has the same role. */
function addTurn(contents: Json[], role: string, parts: Json[]): void {
  if (!parts.length) return;
  const last = contents[contents.length - 1];
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function messagesFromChat(messages: Json[]): { system: string[]; contents: Json[] } {
  const system: string[] = [];
  const contents: Json[] = [];
  const names = new Map<string, string>(); // tool call id → function name
  messages.forEach((msg, i) => {
    const where = `messages[${i}]`;
    if (msg.role === "system" || msg.role === "developer") system.push(...textsOf(msg.content, where));
    else if (msg.role === "user") addTurn(contents, "user", contentFromChat(msg.content, where));
    else if (msg.role === "assistant") addTurn(contents, "model", assistantParts(msg, names, where));
    else if (msg.role === "tool") addTurn(contents, "user", [responsePart(msg, names, where)]);
    else throw refusals.badBody(`messages of role "${msg.role}" cannot be translated`, `${where}.role`);
  });
  return { system, contents };
}

function declarationFromChat(tool: Json, i: number): Json {
  if (tool.type !== "function")
    throw refusals.badBody(
      `tools of type "${tool.type}" cannot be translated; only function tools can`,
      `tools[${i}].type`,
    );
  const { name, description, parameters } = tool.function ?? {};
  return { name, ...(description ? { description } : {}), ...(parameters ? { parametersJsonSchema: parameters } : {}) };
}

function toolChoiceFromChat(choice: unknown): Json | undefined {
  if (choice == null) return undefined;
  const modes: Record<string, string> = { auto: "AUTO", none: "NONE", required: "ANY" };
  if (typeof choice === "string" && modes[choice]) return { mode: modes[choice] };
  if (isObject(choice) && choice.type === "function" && choice.function?.name)
    return { mode: "ANY", allowedFunctionNames: [choice.function.name] };
  throw refusals.badBody(`tool_choice ${JSON.stringify(choice)} cannot be translated`, "tool_choice");
}

function responseFormatFromChat(format: Json | undefined): Json {
  if (!format || format.type === "text") return {};
  if (format.type === "json_object") return { responseMimeType: "application/json" };
  if (format.type !== "json_schema")
    throw refusals.badBody(`response_format of type "${format.type}" cannot be translated`, "response_format.type");
  const schema = format.json_schema?.schema;
  return { responseMimeType: "application/json", ...(schema ? { responseJsonSchema: schema } : {}) };
}

function generationFromChat(chat: Json): Json {
  const config: Json = {};
  const max = chat.max_completion_tokens ?? chat.max_tokens;
  if (max != null) config.maxOutputTokens = max;
  for (const [gemini, name] of SAMPLING) if (chat[name] != null) config[gemini] = chat[name];
  if (chat.stop != null) config.stopSequences = [chat.stop].flat();
  return Object.assign(config, responseFormatFromChat(chat.response_format));
}

/** The Gemini body for a chat request. Neither the model nor streaming is in it: both are in the URL
 * (…/models/{model}:streamGenerateContent?alt=sse), which the relay builds. */
export function requestFromChat(chat: Json, _upstreamModel: string, _stream: boolean): Json {
  const { system, contents } = messagesFromChat(chat.messages ?? []);
  const out: Json = {};
  if (system.length) out.systemInstruction = { parts: system.map((text) => ({ text })) };
  out.contents = contents;
  if (chat.tools?.length) out.tools = [{ functionDeclarations: chat.tools.map(declarationFromChat) }];
  const functionCallingConfig = toolChoiceFromChat(chat.tool_choice);
  if (functionCallingConfig) out.toolConfig = { functionCallingConfig };
  const config = generationFromChat(chat);
  if (Object.keys(config).length) out.generationConfig = config;
  return out;
}
