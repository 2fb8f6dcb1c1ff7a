// Mock upstream fault "leak": an upstream error that carries the upstream key (whole, and masked as
// upstreams show it) and URLs of the upstream in its message, in each wire format's own shape. A
// stream sends `cutAfter` content deltas, then the error event(s) (Responses: `error` and
// `response.failed`; Anthropic: `event: error`; OpenAI chat and Gemini: `{"error":…}`) and ends; a
// non-stream request gets the error body with `status` (200 included: some upstreams do that).
import { type Ctx, json, maskKey, rid } from "./core";

type Format = "openai" | "responses" | "anthropic" | "gemini";

function formatOf(path: string): Format {
  if (path.startsWith("/v1/messages")) return "anthropic";
  if (path.startsWith("/v1beta/")) return "gemini";
  return path.endsWith("/responses") ? "responses" : "openai";
}

/** The upstream key the request carried, however its format sends it. */
export function keyOf(ctx: Ctx): string {
  const h = ctx.rec.headers;
  return (
    (h.authorization ?? "").replace(/^Bearer\s+/i, "") ||
    h["x-api-key"] ||
    h["x-goog-api-key"] ||
    h["api-key"] ||
    ctx.url.searchParams.get("key") ||
    ""
  );
}

/** What a careless upstream says: the key in full and masked, its own URLs. */
export function leakMessage(ctx: Ctx): string {
  const key = keyOf(ctx);
  return `Request failed for API key ${key} (${maskKey(key)}) at ${ctx.origin}${ctx.rec.path}; see ${ctx.origin}/status?key=${encodeURIComponent(key)}`;
}

/** Is this a streaming request (`stream: true`, or Gemini's streamGenerateContent)? */
export const isStreamRequest = (ctx: Ctx) =>
  ctx.body?.stream === true || ctx.rec.path.includes(":streamGenerateContent");

/** The error event(s) of a stream, framed in the request's format. */
export function leakFrames(ctx: Ctx): string[] {
  const message = leakMessage(ctx);
  switch (formatOf(ctx.rec.path)) {
    case "anthropic":
      return [`event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message } })}\n\n`];
    case "gemini":
      return [`data: ${JSON.stringify({ error: { code: 500, message, status: "INTERNAL" } })}\r\n\r\n`];
    case "responses": {
      const failed = {
        id: rid("resp_"),
        object: "response",
        status: "failed",
        error: { code: "server_error", message },
        output: [],
      };
      return [
        `event: error\ndata: ${JSON.stringify({ type: "error", code: "server_error", message, param: null, sequence_number: 90 })}\n\n`,
        `event: response.failed\ndata: ${JSON.stringify({ type: "response.failed", response: failed, sequence_number: 91 })}\n\n`,
      ];
    }
    default:
      return [
        `data: ${JSON.stringify({ error: { message, type: "server_error", param: null, code: "internal_error" } })}\n\n`,
      ];
  }
}

/** The error body of a non-stream request, with status `s.status`. */
export function leakReply(ctx: Ctx): Response {
  const message = leakMessage(ctx);
  const status = ctx.s.status;
  switch (formatOf(ctx.rec.path)) {
    case "anthropic":
      return json({ type: "error", error: { type: "invalid_request_error", message } }, status);
    case "gemini":
      return json({ error: { code: status, message, status: "INVALID_ARGUMENT" } }, status);
    default:
      return json({ error: { message, type: "invalid_request_error", param: null, code: "invalid_value" } }, status);
  }
}
