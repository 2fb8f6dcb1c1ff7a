// Google Gemini generateContent requests from Gemini clients as chat requests, and the Gemini codec
// itself (chat → Gemini requests are in gemini-request.ts, replies and streams in gemini-stream.ts).
// The model is in the URL (/v1beta/models/{model}:generateContent), never in a Gemini body: the relay
// copies it into body.model before requestToChat, and requestFromChat leaves it out.
import { refusals } from "../../../core/refusals";
import { requestFromChat, SAMPLING } from "./request";
import { replyFromChat, replyToChat, streamFromChat, streamToChat } from "./stream";
import { isObject, newId } from "../util";
import type { Codec, Json } from "../codec";

// ---- Gemini → chat: requests from Gemini clients

/** Function calls met so far in the history, so that function responses can point back at them. */
type CallBook = { id: string; name: string; answered: boolean }[];

const PART_KINDS = [
  "text",
  "inlineData",
  "fileData",
  "functionCall",
  "functionResponse",
  "executableCode",
  "codeExecutionResult",
];
/** Part fields that carry no content of their own. */
const PART_EXTRAS = new Set(["thought", "thoughtSignature", "partMetadata", "mediaResolution", "videoMetadata"]);

/** What a part holds; undefined for a part with nothing to say (e.g. a bare thoughtSignature). */
function partKind(part: Json, where: string): string | undefined {
  const kind = PART_KINDS.find((k) => part[k] !== undefined);
  const unknown = Object.keys(part).filter((k) => !PART_EXTRAS.has(k));
  if (!kind && unknown.length) throw refusals.badBody(`a part with ${unknown.join(", ")} cannot be translated`, where);
  return kind;
}

const cannot = (kind: string, role: string, where: string): never => {
  throw refusals.badBody(`a ${kind} part in a ${role} turn cannot be translated`, where);
};

/** Visits a turn's parts with their kind and position, skipping thoughts: a `thought: true` part is
 * the model's own reasoning summary, shown to the user; chat has no field to send it back in and
 * models do not read it again. (thoughtSignature fields are opaque to any other upstream too.) */
function eachPart(turn: Json, i: number, visit: (part: Json, kind: string, where: string) => void): void {
  (turn.parts ?? []).forEach((part: Json, j: number) => {
    if (part.thought) return;
    const where = `contents[${i}].parts[${j}]`;
    const kind = partKind(part, where);
    if (kind) visit(part, kind, where);
  });
}

/** systemInstruction (a Content, a list of parts, or a string) as one text. */
function systemText(instruction: unknown): string {
  if (instruction == null) return "";
  if (typeof instruction === "string") return instruction;
  const parts = Array.isArray(instruction)
    ? instruction
    : isObject(instruction) && instruction.parts
      ? instruction.parts
      : [instruction];
  const texts = parts.map((p: unknown, j: number) => {
    const text = typeof p === "string" ? p : isObject(p) ? p.text : undefined;
    if (typeof text !== "string")
      throw refusals.badBody("systemInstruction may hold only text parts", `systemInstruction.parts[${j}]`);
    return text;
  });
  return texts.join("\n");
}

function imageToChat(data: Json, where: string): Json {
  const mime = String(data.mimeType ?? "");
  if (!mime.startsWith("image/"))
    throw refusals.badBody(`inlineData of type ${mime || "(none)"} cannot be translated; only images can`, where);
  return { type: "image_url", image_url: { url: `data:${mime};base64,${data.data}` } };
}

function callToChat(call: Json, book: CallBook): Json {
  const id = call.id || newId("call_");
  book.push({ id, name: call.name, answered: false });
  return { id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) } };
}

/** A functionResponse as a tool message answering its call: the one with its id, else the first
 * unanswered one of that name. */
function toolMessage(response: Json, book: CallBook, where: string): Json {
  const call =
    (response.id && book.find((c) => c.id === response.id)) ||
    book.find((c) => !c.answered && c.name === response.name);
  if (!call) throw refusals.badBody(`functionResponse "${response.name}" answers no earlier functionCall`, where);
  if (response.parts?.length) throw refusals.badBody("functionResponse parts (media) cannot be translated", where);
  call.answered = true;
  return { role: "tool", tool_call_id: call.id, content: JSON.stringify(response.response ?? {}) };
}

/** A user turn: its function responses as tool messages (chat wants them right after the call),
 * then its text and images as one user message. */
function userTurn(turn: Json, i: number, book: CallBook): Json[] {
  const tools: Json[] = [];
  const content: Json[] = [];
  eachPart(turn, i, (part, kind, where) => {
    if (kind === "text") content.push({ type: "text", text: part.text });
    else if (kind === "inlineData") content.push(imageToChat(part.inlineData, where));
    else if (kind === "functionResponse") tools.push(toolMessage(part.functionResponse, book, where));
    else cannot(kind, "user", where);
  });
  if (!content.length) return tools;
  const onlyText = content.length === 1 && content[0].type === "text";
  return [...tools, { role: "user", content: onlyText ? content[0].text : content }];
}

function modelTurn(turn: Json, i: number, book: CallBook): Json[] {
  let text = "";
  const calls: Json[] = [];
  eachPart(turn, i, (part, kind, where) => {
    if (kind === "text") text += part.text;
    else if (kind === "functionCall") calls.push(callToChat(part.functionCall, book));
    else cannot(kind, "model", where);
  });
  if (!text && !calls.length) return [];
  return [
    calls.length
      ? { role: "assistant", content: text || null, tool_calls: calls }
      : { role: "assistant", content: text },
  ];
}

function turnToChat(turn: Json, i: number, book: CallBook): Json[] {
  const role = turn.role ?? "user";
  if (role === "model") return modelTurn(turn, i, book);
  // "function" is the older API's role for turns of function responses
  if (role === "user" || role === "function") return userTurn(turn, i, book);
  throw refusals.badBody(`contents[${i}].role "${role}" is neither user nor model`, `contents[${i}].role`);
}

/** Subschema fields of a schema (one schema or a list), and maps of named subschemas. */
const SUBSCHEMAS = ["items", "anyOf", "oneOf", "allOf", "prefixItems", "additionalProperties", "not"];
const SCHEMA_MAPS = ["properties", "$defs", "definitions"];

/** Gemini's OpenAPI-style schema with JSON Schema's lowercase type names ("OBJECT" → "object"), all
 * the way down; only `type` fields of schemas change, never property names or values. */
function lowerSchemaTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerSchemaTypes);
  if (!isObject(schema)) return schema;
  const out: Json = { ...schema };
  if (typeof out.type === "string") out.type = out.type.toLowerCase();
  for (const key of SUBSCHEMAS) if (out[key] !== undefined) out[key] = lowerSchemaTypes(out[key]);
  for (const key of SCHEMA_MAPS) {
    if (isObject(out[key]))
      out[key] = Object.fromEntries(Object.entries(out[key]).map(([name, s]) => [name, lowerSchemaTypes(s)]));
  }
  return out;
}

function declarationToChat(decl: Json): Json {
  const parameters =
    decl.parametersJsonSchema ??
    (decl.parameters ? lowerSchemaTypes(decl.parameters) : { type: "object", properties: {} });
  const fn: Json = { name: decl.name, parameters };
  if (decl.description) fn.description = decl.description;
  return { type: "function", function: fn };
}

function toolsToChat(tools: Json[]): Json[] {
  return tools.flatMap((tool, i) => {
    const others = Object.keys(tool).filter((k) => k !== "functionDeclarations" && tool[k] != null);
    if (others.length)
      throw refusals.badBody(
        `tools of kind ${others.join(", ")} cannot be translated; only functionDeclarations can`,
        `tools[${i}]`,
      );
    return (tool.functionDeclarations ?? []).map(declarationToChat);
  });
}

function toolChoiceToChat(config: Json | undefined): unknown {
  switch (config?.mode) {
    case "AUTO":
    case "VALIDATED": // AUTO with calls checked against the schemas; chat's auto is the nearest
      return "auto";
    case "NONE":
      return "none";
    case "ANY": {
      // several allowed names cannot be expressed in chat: any tool is then required
      const names: string[] = config.allowedFunctionNames ?? [];
      return names.length === 1 ? { type: "function", function: { name: names[0] } } : "required";
    }
    default:
      return undefined;
  }
}

function responseFormatToChat(config: Json): Json | undefined {
  const mime = config.responseMimeType;
  if (mime == null || mime === "text/plain") return undefined;
  if (mime !== "application/json")
    throw refusals.badBody(`responseMimeType ${mime} cannot be translated`, "generationConfig.responseMimeType");
  const schema =
    config.responseJsonSchema ?? (config.responseSchema ? lowerSchemaTypes(config.responseSchema) : undefined);
  return schema ? { type: "json_schema", json_schema: { name: "response", schema } } : { type: "json_object" };
}

/** generationConfig as chat settings. Left out on purpose: thinkingConfig (the upstream's own
 * reasoning settings apply), topK (chat has no such knob) and speech/media settings. */
function generationToChat(config: Json): Json {
  const out: Json = {};
  if (config.maxOutputTokens != null) out.max_tokens = config.maxOutputTokens;
  for (const [gemini, chat] of SAMPLING) if (config[gemini] != null) out[chat] = config[gemini];
  if (config.stopSequences?.length) out.stop = config.stopSequences;
  const modalities: string[] = config.responseModalities ?? [];
  const notText = modalities.filter((m) => m.toUpperCase() !== "TEXT");
  if (notText.length)
    throw refusals.badBody(
      `responseModalities ${notText.join(", ")} cannot be translated; only TEXT can`,
      "generationConfig.responseModalities",
    );
  const format = responseFormatToChat(config);
  if (format) out.response_format = format;
  return out;
}

/** Ignored on purpose: safetySettings (the upstream's own filters apply) and cachedContent (a
 * Google-side cache name, meaningless elsewhere; caching happens upstream on its own). */
function requestToChat(body: Json): Json {
  if (body.contents != null && !Array.isArray(body.contents))
    throw refusals.badBody("contents must be a list", "contents");
  const messages: Json[] = [];
  const system = systemText(body.systemInstruction);
  if (system) messages.push({ role: "system", content: system });
  const book: CallBook = [];
  (body.contents ?? []).forEach((turn: Json, i: number) => messages.push(...turnToChat(turn, i, book)));
  const chat: Json = { model: body.model, messages };
  if (body.tools?.length) chat.tools = toolsToChat(body.tools);
  const toolChoice = toolChoiceToChat(body.toolConfig?.functionCallingConfig);
  if (toolChoice) chat.tool_choice = toolChoice;
  Object.assign(chat, generationToChat(body.generationConfig ?? {}));
  if (body.stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  return chat;
}

export const gemini: Codec = {
  requestToChat,
  replyFromChat,
  streamFromChat,
  requestFromChat,
  replyToChat,
  streamToChat,
};
