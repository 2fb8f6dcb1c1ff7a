// Anthropic's error shape, {"type":"error","error":{type,message}}, with its statuses (503 becomes
// 529 overloaded_error), and its `error` event for a cut stream.
import { rateHeaderSet, sseEvent, type Surface } from "../surface";

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

export const anthropicSurface: Surface = {
  name: "anthropic",
  error(e) {
    const status = e.status === 503 ? 529 : e.status;
    return {
      status,
      body: { type: "error", error: { type: ANTHROPIC_TYPES[status] ?? "api_error", message: e.message } },
    };
  },
  // a server going away is "overloaded" to Anthropic clients, which then retry
  streamError: (message, code) =>
    sseEvent(
      { type: "error", error: { type: code === "server_shutting_down" ? "overloaded_error" : "api_error", message } },
      "error",
    ),
  // Anthropic's own: anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}, resets in RFC 3339
  rateHeaders: (r, now) =>
    rateHeaderSet(
      r,
      (kind, field) => `anthropic-ratelimit-${kind}-${field}`,
      (ms) => new Date(Math.ceil((now + ms) / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    ),
};
