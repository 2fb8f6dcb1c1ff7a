// Anthropic Messages streams ↔ chat chunks, plus the stop-reason, usage and id helpers that the
// non-stream replies in anthropic.ts share. streamFromChat serves Anthropic clients (Claude Code)
// from a chat upstream; streamToChat reads an Anthropic upstream's events as chat chunks.
import type { Json, SseEvent, StreamFromChatOptions, StreamTranslator } from "../codec";
import { newId, nowSeconds } from "../util";

const STOP_FROM_CHAT: Record<string, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};
const STOP_TO_CHAT: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** chat finish_reason → Anthropic stop_reason (a missing one counts as a normal end) */
export const stopFromChat = (finish: string | null | undefined) => STOP_FROM_CHAT[finish ?? "stop"] ?? "end_turn";
/** Anthropic stop_reason → chat finish_reason */
export const stopToChat = (stop: string | null | undefined) => STOP_TO_CHAT[stop ?? "end_turn"] ?? "stop";

/** Pivot usage (prompt_tokens counts everything) → Anthropic usage (input_tokens counts only the uncached part). */
export function usageFromChat(u: Json | undefined | null): Json {
  const cached = u?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = u?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (u?.prompt_tokens ?? 0) - cached - written),
    output_tokens: u?.completion_tokens ?? 0,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: written,
  };
}

/** Anthropic usage → pivot usage. */
export function usageToChat(u: Json): Json {
  const read = u.cache_read_input_tokens ?? 0;
  const written = u.cache_creation_input_tokens ?? 0;
  const prompt = (u.input_tokens ?? 0) + read + written;
  const completion = u.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read, cache_write_tokens: written },
  };
}

const ANTHROPIC_ERROR_TYPES = new Set([
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "overloaded_error",
  "billing_error",
]);
const errorTypeFromChat = (type: unknown) =>
  type === "insufficient_quota"
    ? "billing_error"
    : ANTHROPIC_ERROR_TYPES.has(type as string)
      ? (type as string)
      : "api_error";

const sse = (type: string, data: Json): SseEvent => ({ event: type, data: { type, ...data } });

type BlockKind = "text" | "thinking" | "tool_use";

/** chat chunks → Anthropic events. Blocks open lazily and close before the next one starts;
 * message_delta waits for the usage chunk (chat sends it after finish_reason) or for end(). */
export function streamFromChat(opts: StreamFromChatOptions): StreamTranslator<Json, SseEvent> {
  const id = newId("msg_");
  let started = false,
    finished = false;
  let index = -1,
    open: BlockKind | null = null,
    toolKey: unknown;
  let stopReason: string | null = null,
    usage: Json | null = null;

  function start(out: SseEvent[]) {
    if (started) return;
    started = true;
    const message = {
      id,
      type: "message",
      role: "assistant",
      model: opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
    };
    out.push(sse("message_start", { message: { ...message, usage: { input_tokens: 0, output_tokens: 0 } } }));
  }
  function close(out: SseEvent[]) {
    if (open) out.push(sse("content_block_stop", { index }));
    open = null;
  }
  function openBlock(out: SseEvent[], kind: BlockKind, block: Json) {
    close(out);
    open = kind;
    index++;
    out.push(sse("content_block_start", { index, content_block: { type: kind, ...block } }));
  }
  function delta(out: SseEvent[], kind: BlockKind, d: Json) {
    if (open !== kind) openBlock(out, kind, kind === "text" ? { text: "" } : { thinking: "", signature: "" });
    out.push(sse("content_block_delta", { index, delta: d }));
  }
  function toolCall(out: SseEvent[], tc: Json) {
    // a tool call is identified by its index (by its id when an upstream omits the index)
    const key = tc.index ?? tc.id ?? toolKey;
    if (open !== "tool_use" || key !== toolKey) {
      openBlock(out, "tool_use", { id: tc.id || newId("toolu_"), name: tc.function?.name ?? "", input: {} });
      toolKey = key;
    }
    const args = tc.function?.arguments;
    if (args) out.push(sse("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args } }));
  }
  function finish(out: SseEvent[]) {
    start(out);
    close(out);
    const delta = { stop_reason: stopFromChat(stopReason), stop_sequence: null };
    out.push(sse("message_delta", { delta, usage: usageFromChat(usage) }), sse("message_stop", {}));
    finished = true;
  }

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      if (finished) return out;
      if (chunk.error) {
        finished = true;
        const error = {
          type: errorTypeFromChat(chunk.error.type),
          message: String(chunk.error.message ?? "upstream error"),
        };
        return [sse("error", { error })];
      }
      start(out);
      const choice = chunk.choices?.[0];
      const d = choice?.delta ?? {};
      if (d.reasoning_content) delta(out, "thinking", { type: "thinking_delta", thinking: d.reasoning_content });
      if (d.content) delta(out, "text", { type: "text_delta", text: d.content });
      for (const tc of d.tool_calls ?? []) toolCall(out, tc);
      if (choice?.finish_reason) {
        stopReason = choice.finish_reason;
        close(out);
      }
      if (chunk.usage) usage = chunk.usage;
      if (stopReason && usage) finish(out);
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      if (!finished) finish(out);
      return out;
    },
  };
}

/** Anthropic events → chat chunks. Tool blocks are numbered 0, 1, … as chat tool_calls indexes;
 * the usage chunk goes out at message_stop (input usage from message_start, output from message_delta). */
export function streamToChat(): StreamTranslator<SseEvent, Json> {
  let id = newId("chatcmpl-"),
    model = "",
    roleSent = false;
  const created = nowSeconds();
  const toolIndex = new Map<number, number>();
  let usage: Json | null = null;

  function chunk(delta: Json, finish: string | null = null): Json {
    if (!roleSent) delta = { role: "assistant", ...delta };
    roleSent = true;
    return {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }
  const rememberUsage = (u: Json | undefined) => {
    if (!u) return;
    usage ??= {};
    for (const [k, v] of Object.entries(u)) if (typeof v === "number") usage[k] = v;
  };
  const tool = (index: number, call: Json) => chunk({ tool_calls: [{ index, ...call }] });

  function blockStart(ev: Json): Json[] {
    const b = ev.content_block ?? {};
    if (b.type === "tool_use") {
      const n = toolIndex.size;
      toolIndex.set(ev.index, n);
      return [tool(n, { id: b.id, type: "function", function: { name: b.name, arguments: "" } })];
    }
    if (b.type === "text" && b.text) return [chunk({ content: b.text })];
    if (b.type === "thinking" && b.thinking) return [chunk({ reasoning_content: b.thinking })];
    return []; // redacted_thinking and server tool blocks carry nothing a chat client can use
  }
  function blockDelta(ev: Json): Json[] {
    const d = ev.delta ?? {};
    if (d.type === "text_delta" && d.text) return [chunk({ content: d.text })];
    if (d.type === "thinking_delta" && d.thinking) return [chunk({ reasoning_content: d.thinking })];
    const n = toolIndex.get(ev.index);
    if (d.type === "input_json_delta" && d.partial_json && n !== undefined)
      return [tool(n, { function: { arguments: d.partial_json } })];
    return []; // signature_delta, citations_delta
  }

  return {
    push(ev) {
      const data = typeof ev.data === "string" ? {} : ev.data;
      switch (data.type ?? ev.event) {
        case "message_start":
          id = data.message?.id ?? id;
          model = data.message?.model ?? model;
          rememberUsage(data.message?.usage);
          return roleSent ? [] : [chunk({ content: "" })];
        case "content_block_start":
          return blockStart(data);
        case "content_block_delta":
          return blockDelta(data);
        case "message_delta":
          rememberUsage(data.usage);
          return [chunk({}, stopToChat(data.delta?.stop_reason))];
        case "message_stop":
          return usage
            ? [{ id, object: "chat.completion.chunk", created, model, choices: [], usage: usageToChat(usage) }]
            : [];
        case "error":
          return [
            { error: { message: data.error?.message ?? "upstream error", type: data.error?.type ?? "api_error" } },
          ];
        default:
          return []; // ping, content_block_stop, unknown future events
      }
    },
    end: () => [],
  };
}
