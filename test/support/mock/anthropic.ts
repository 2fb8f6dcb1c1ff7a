// Mock upstream, Anthropic Messages wire format: POST /v1/messages (non-stream, or event-named SSE:
// message_start, content_block_start, ping, content_block_delta × chunks, content_block_stop,
// message_delta, message_stop), POST /v1/messages/count_tokens, and GET /v1/models when asked with
// anthropic-version. Key in x-api-key (or Bearer); errors as {type:"error", error:{type, message}}.
// input_tokens excludes the cache: promptTokens − cachedTokens − cacheWriteTokens.
import { type Answer, answer, bearer, type Ctx, type Dialect, json, retryHeaders, rid, signature } from "./core";
import { delta, type Ev, sseNamed, streamResponse } from "./stream";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};
const MESSAGES: Record<string, string> = {
  rate_limit_error: "This request would exceed the rate limit for your organization of 50 input tokens per minute.",
  api_error: "Internal server error",
  overloaded_error: "Overloaded",
};

function anthropicError(status: number, message: string, headers: Record<string, string> = {}) {
  const type = ERROR_TYPES[status] ?? "api_error";
  return json({ type: "error", error: { type, message }, request_id: rid("req_") }, status, headers);
}

function usage({ s }: Ctx) {
  const read = s.cachedTokens ?? 0;
  const write = s.cacheWriteTokens ?? 0;
  return {
    input_tokens: s.promptTokens - read - write,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: s.completionTokens,
  };
}

/** The final content blocks: [thinking], then text or tool_use. */
function blocks(a: Answer) {
  const out: Record<string, unknown>[] = [];
  if (a.reasoning) out.push({ type: "thinking", thinking: a.reasoning, signature: signature(a.reasoning) });
  if (a.tool)
    out.push({ type: "tool_use", id: a.tool.id.replace("call_", "toolu_"), name: a.tool.name, input: a.tool.args });
  else out.push({ type: "text", text: a.text });
  return out;
}

/** One block's events; a ping follows the first block's start, as Anthropic does. */
function blockEvents(block: Record<string, any>, index: number, a: Answer): Ev[] {
  const ev = (type: string, data: object) => sseNamed(type, { type, index, ...data });
  const d = (body: object) => delta(ev("content_block_delta", { delta: body }));
  const start: Record<string, unknown> =
    block.type === "thinking"
      ? { ...block, thinking: "", signature: "" }
      : block.type === "tool_use"
        ? { ...block, input: {} }
        : { ...block, text: "" };
  const out = [ev("content_block_start", { content_block: start })];
  if (index === 0) out.push(sseNamed("ping", { type: "ping" }));
  if (block.type === "thinking") {
    for (const r of a.reasoningPieces) out.push(d({ type: "thinking_delta", thinking: r }));
    out.push(ev("content_block_delta", { delta: { type: "signature_delta", signature: block.signature } }));
  } else if (block.type === "tool_use") {
    for (const f of a.tool!.fragments) out.push(d({ type: "input_json_delta", partial_json: f }));
  } else {
    for (const p of a.pieces) out.push(d({ type: "text_delta", text: p }));
  }
  return [...out, ev("content_block_stop", {})];
}

function messages(ctx: Ctx) {
  const a = answer(ctx);
  const noUsage = ctx.s.mode === "no_usage";
  const content = blocks(a);
  const stop_reason = a.tool ? "tool_use" : "end_turn";
  const message = {
    id: rid("msg_"),
    type: "message",
    role: "assistant",
    model: ctx.model,
    content,
    stop_reason,
    stop_sequence: null,
  };
  const headers = { "request-id": rid("req_") };
  if (ctx.body.stream !== true) return json(noUsage ? message : { ...message, usage: usage(ctx) }, 200, headers);
  const u = usage(ctx);
  const startUsage = { ...u, output_tokens: 1 };
  const start = { ...message, content: [], stop_reason: null, ...(noUsage ? {} : { usage: startUsage }) };
  const plan = [
    sseNamed("message_start", { type: "message_start", message: start }),
    ...content.flatMap((block, i) => blockEvents(block, i, a)),
    sseNamed("message_delta", {
      type: "message_delta",
      delta: { stop_reason, stop_sequence: null },
      ...(noUsage ? {} : { usage: { output_tokens: u.output_tokens } }),
    }),
    sseNamed("message_stop", { type: "message_stop" }),
  ];
  return streamResponse(ctx, plan, headers);
}

function models(ids: string[]) {
  const data = ids.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
  return json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

const DEFAULT_MODELS = ["claude-sonnet-4-6", "claude-opus-4-7", "claude-haiku-4-5"];

export const anthropic: Dialect = {
  key: (req) => req.headers.get("x-api-key") ?? bearer(req),
  unauthorized: () => anthropicError(401, "invalid x-api-key"),
  status: (ctx) => {
    const { s } = ctx;
    if (s.status === 400) return anthropicError(400, `messages: temperature: range: 0..1 (model ${ctx.model})`);
    return anthropicError(
      s.status,
      MESSAGES[ERROR_TYPES[s.status] ?? "api_error"] ?? `Upstream error ${s.status}.`,
      retryHeaders(s),
    );
  },
  badRequest: () => anthropicError(400, "There was an issue with the format or content of your request."),
  notFound: (ctx) => anthropicError(404, `Not found: ${ctx.rec.method} ${ctx.rec.path}`),
  route(ctx) {
    const route = `${ctx.rec.method} ${ctx.rec.path}`;
    if (route === "POST /v1/messages") return messages(ctx);
    if (route === "POST /v1/messages/count_tokens") return json({ input_tokens: ctx.s.promptTokens });
    if (route === "GET /v1/models") return models(ctx.models ?? DEFAULT_MODELS);
    return null;
  },
};
