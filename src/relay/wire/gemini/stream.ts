// Gemini generateContent responses through the chat pivot: whole replies (GenerateContentResponse ⇄
// chat.completion) and alt=sse streams (one GenerateContentResponse per `data:` event, no event
// names). gemini.ts puts these together with the request translators into the codec.
import type { Json, SseEvent, StreamFromChatOptions, StreamTranslator } from "../codec";
import { isObject, newId, nowSeconds, parseArgs } from "../util";

// ---- chat → Gemini: serving Gemini clients

const FINISH_TO_GEMINI: Record<string, string> = {
  stop: "STOP",
  tool_calls: "STOP",
  function_call: "STOP",
  length: "MAX_TOKENS",
  content_filter: "SAFETY",
};
const finishToGemini = (reason: string | null | undefined) => FINISH_TO_GEMINI[reason ?? "stop"] ?? "OTHER";

/** Chat usage as Gemini's usageMetadata, whose candidatesTokenCount leaves the thoughts out. */
function usageToGemini(usage: Json): Json {
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const meta: Json = {
    promptTokenCount: prompt,
    candidatesTokenCount: completion - reasoning,
    totalTokenCount: usage.total_tokens ?? prompt + completion,
  };
  if (cached > 0) meta.cachedContentTokenCount = cached;
  if (reasoning > 0) meta.thoughtsTokenCount = reasoning;
  return meta;
}

const functionCallPart = (name: string, args: unknown, id: string | undefined): Json => ({
  functionCall: { name, args: parseArgs(args), ...(id ? { id } : {}) },
});

/** A chat message's (or delta's) reasoning and text as Gemini parts, thoughts first. */
function textParts(msg: Json): Json[] {
  const parts: Json[] = [];
  if (typeof msg.reasoning_content === "string" && msg.reasoning_content)
    parts.push({ text: msg.reasoning_content, thought: true });
  if (typeof msg.content === "string" && msg.content) parts.push({ text: msg.content });
  return parts;
}

/** One GenerateContentResponse holding one candidate. */
function responseOf(parts: Json[], model: string, id: string | undefined, finishReason?: string, usage?: Json): Json {
  const candidate: Json = { content: { role: "model", parts }, index: 0 };
  if (finishReason) candidate.finishReason = finishReason;
  const out: Json = { candidates: [candidate] };
  if (usage) out.usageMetadata = usageToGemini(usage);
  out.modelVersion = model;
  out.responseId = id ?? newId("resp_");
  return out;
}

export function replyFromChat(reply: Json, model: string): Json {
  const choice = reply.choices?.[0] ?? {};
  const message = choice.message ?? {};
  const calls = (message.tool_calls ?? []).map((c: Json) =>
    functionCallPart(c.function?.name, c.function?.arguments, c.id),
  );
  return responseOf(
    [...textParts(message), ...calls],
    model,
    reply.id,
    finishToGemini(choice.finish_reason),
    reply.usage,
  );
}

type PendingCall = { id?: string; name: string; args: string };

/** Adds a delta's tool call fragments to the calls being assembled (by their index). */
function collectFragments(delta: Json, calls: PendingCall[]): void {
  for (const frag of delta.tool_calls ?? []) {
    const call = (calls[frag.index ?? 0] ??= { name: "", args: "" });
    if (frag.id) call.id = frag.id;
    if (frag.function?.name && !call.name) call.name = frag.function.name;
    if (typeof frag.function?.arguments === "string") call.args += frag.function.arguments;
  }
}

/** Chat chunks → Gemini events. Tool calls go out whole, on the final event; the final event (the one
 * with finishReason) waits for the usage chunk or end(), so that it is the last and carries usage. */
export function streamFromChat(opts: StreamFromChatOptions): StreamTranslator<Json, SseEvent> {
  const calls: PendingCall[] = [];
  let id: string | undefined;
  let usage: Json | undefined;
  let final: { parts: Json[]; finishReason: string } | undefined;
  let finalSent = false;
  const takeCalls = () =>
    calls
      .splice(0)
      .filter(Boolean)
      .map((c) => functionCallPart(c.name, c.args, c.id));
  const event = (parts: Json[], finishReason?: string, withUsage?: Json): SseEvent => ({
    data: responseOf(parts, opts.model, id, finishReason, withUsage),
  });
  const sendFinal = (): SseEvent[] => {
    if (!final || finalSent) return [];
    finalSent = true;
    return [event(final.parts, final.finishReason, usage)];
  };
  return {
    push(chunk) {
      if (chunk.error) {
        const message = chunk.error.message ?? "upstream error";
        return [{ data: { error: { code: 500, message, status: "INTERNAL" } } }];
      }
      id ??= chunk.id;
      if (chunk.usage) usage = chunk.usage;
      const out: SseEvent[] = [];
      const choice = (chunk.choices ?? []).find((c: Json) => (c.index ?? 0) === 0);
      if (choice && !final) {
        const delta = choice.delta ?? {};
        collectFragments(delta, calls);
        const parts = textParts(delta);
        if (choice.finish_reason)
          final = { parts: [...parts, ...takeCalls()], finishReason: finishToGemini(choice.finish_reason) };
        else if (parts.length) out.push(event(parts));
      }
      if (final && usage) out.push(...sendFinal());
      return out;
    },
    end() {
      // an input that ended without a finish_reason still owes the client one
      final ??= { parts: takeCalls(), finishReason: "STOP" };
      return sendFinal();
    },
  };
}

// ---- Gemini → chat: Gemini upstreams

/** Finish reasons that mean the answer was withheld or cut for its content. */
const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

function finishToChat(reason: string, hadCalls: boolean): string {
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  return hadCalls ? "tool_calls" : "stop";
}

/** usageMetadata as chat usage: completion counts the thoughts, prompt counts the cached input
 * (Gemini's promptTokenCount already does) and any tool-use prompt. */
function usageToChat(meta: Json): Json {
  const prompt = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const thoughts = meta.thoughtsTokenCount ?? 0;
  const completion = (meta.candidatesTokenCount ?? 0) + thoughts;
  const usage: Json = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (meta.cachedContentTokenCount) usage.prompt_tokens_details = { cached_tokens: meta.cachedContentTokenCount };
  if (thoughts) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

/** A candidate's parts read as chat: answer text, thought text, and tool calls (without index). Parts of
 * other kinds (code execution, generated media) have no chat form and are passed over. */
function readParts(parts: Json[]): { content: string; reasoning: string; calls: Json[] } {
  let content = "";
  let reasoning = "";
  const calls: Json[] = [];
  for (const part of parts) {
    if (part.functionCall) {
      const { id, name, args } = part.functionCall;
      calls.push({
        id: id || newId("call_"),
        type: "function",
        function: { name, arguments: JSON.stringify(args ?? {}) },
      });
    } else if (typeof part.text === "string") {
      if (part.thought) reasoning += part.text;
      else content += part.text;
    }
  }
  return { content, reasoning, calls };
}

/** The finish reason of a response: its candidate's, or SAFETY when the prompt itself was blocked. */
function finishOf(response: Json): string | undefined {
  const candidate = response.candidates?.[0];
  if (candidate?.finishReason) return candidate.finishReason;
  return !candidate && response.promptFeedback?.blockReason ? "SAFETY" : undefined;
}

export function replyToChat(reply: Json): Json {
  const { content, reasoning, calls } = readParts(reply.candidates?.[0]?.content?.parts ?? []);
  const message: Json = { role: "assistant", content: calls.length && !content ? null : content };
  if (reasoning) message.reasoning_content = reasoning;
  if (calls.length) message.tool_calls = calls;
  const finish = finishToChat(finishOf(reply) ?? "STOP", calls.length > 0);
  const out: Json = {
    id: reply.responseId ?? newId("chatcmpl-"),
    object: "chat.completion",
    created: nowSeconds(),
    model: reply.modelVersion ?? "",
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
  };
  if (reply.usageMetadata) out.usage = usageToChat(reply.usageMetadata);
  return out;
}

/** Gemini events → chat chunks: a content chunk per event, then the finish chunk, then (once) the usage
 * chunk built from the latest usageMetadata. */
export function streamToChat(): StreamTranslator<SseEvent, Json> {
  const created = nowSeconds();
  let id = "";
  let model = "";
  let started = false;
  let finished = false;
  let sawCalls = false;
  let toolIndex = 0;
  let usage: Json | undefined;
  let usageSent = false;
  const chunk = (delta: Json, finish: string | null = null): Json => {
    const withRole = started ? delta : { role: "assistant", ...delta };
    started = true;
    return {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta: withRole, finish_reason: finish }],
    };
  };
  const usageChunk = (): Json[] => {
    if (!usage || usageSent) return [];
    usageSent = true;
    return [{ id, object: "chat.completion.chunk", created, model, choices: [], usage }];
  };
  return {
    push(ev) {
      const data = ev.data;
      if (!isObject(data)) return [];
      if (data.error)
        return [
          { error: { message: data.error.message ?? "upstream error", type: data.error.status ?? "upstream_error" } },
        ];
      id ||= data.responseId ?? newId("chatcmpl-");
      if (data.modelVersion) model = data.modelVersion;
      if (data.usageMetadata) usage = usageToChat(data.usageMetadata);
      const out: Json[] = [];
      const { content, reasoning, calls } = readParts(data.candidates?.[0]?.content?.parts ?? []);
      const delta: Json = {};
      if (reasoning) delta.reasoning_content = reasoning;
      if (content) delta.content = content;
      if (calls.length) delta.tool_calls = calls.map((call) => ({ index: toolIndex++, ...call }));
      sawCalls ||= calls.length > 0;
      if (!finished && Object.keys(delta).length) out.push(chunk(delta));
      const finish = finishOf(data);
      if (finish && !finished) {
        finished = true;
        out.push(chunk({}, finishToChat(finish, sawCalls)));
      }
      if (finished) out.push(...usageChunk());
      return out;
    },
    end: () => usageChunk(),
  };
}
