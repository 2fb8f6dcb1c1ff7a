// The three API surfaces a client can speak, each with its own error shape: OpenAI's
// {"error":{message,type,param,code}}, Anthropic's {"type":"error","error":{type,message}} (with its
// statuses: 503 becomes 529 overloaded_error) and Google's {"error":{code,message,status}}; and the
// event that ends a stream cut short, in the same shape.
import type { AppError } from "../../errors";

export type SurfaceName = "openai" | "anthropic" | "gemini";

export type Surface = {
  name: SurfaceName;
  /** the status and JSON body of an error */
  error(e: AppError): { status: number; body: unknown };
  /** the SSE event that tells a client its stream was cut (stream_error code, message) */
  streamError(message: string, code: string): string;
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  405: "not_found_error",
  408: "invalid_request_error",
  413: "request_too_large",
  415: "invalid_request_error",
  429: "rate_limit_error",
  529: "overloaded_error",
};

const GOOGLE_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  405: "UNIMPLEMENTED",
  408: "DEADLINE_EXCEEDED",
  413: "INVALID_ARGUMENT",
  415: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const sse = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;

export const openaiSurface: Surface = {
  name: "openai",
  error: (e) => ({ status: e.status, body: { error: { message: e.message, type: e.type, param: e.param, code: e.code } } }),
  streamError: (message, code) => sse({ error: { message, type: "server_error", param: null, code } }),
};

export const anthropicSurface: Surface = {
  name: "anthropic",
  error(e) {
    const status = e.status === 503 ? 529 : e.status;
    return { status, body: { type: "error", error: { type: ANTHROPIC_TYPES[status] ?? "api_error", message: e.message } } };
  },
  // a server going away is "overloaded" to Anthropic clients, which then retry
  streamError: (message, code) => sse({ type: "error", error: { type: code === "server_shutting_down" ? "overloaded_error" : "api_error", message } }, "error"),
};

export const geminiSurface: Surface = {
  name: "gemini",
  error: (e) => ({ status: e.status, body: { error: { code: e.status, message: e.message, status: GOOGLE_STATUS[e.status] ?? "UNKNOWN" } } }),
  streamError: (message, code) => sse({ error: { code: code === "server_shutting_down" ? 503 : 502, message, status: "UNAVAILABLE" } }),
};

/** Responses clients read errors in OpenAI's shape, and a cut stream as `response.failed` (what Codex
 * and the SDK's stream helper act on) with a failed response; its id is new, as the upstream's may
 * not be known. */
export const responsesStreamError = (message: string, code: string) =>
  sse(
    { type: "response.failed", response: { id: `resp_${crypto.randomUUID().replaceAll("-", "")}`, object: "response", status: "failed", error: { code, message }, incomplete_details: null, output: [] } },
    "response.failed",
  );
