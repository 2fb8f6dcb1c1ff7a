// Google's error shape, {"error":{code,message,status}} with its status names, for replies and for
// a cut stream.
import { openaiRateHeaders, sseEvent, type Surface } from "../surface";

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

export const geminiSurface: Surface = {
  name: "gemini",
  error: (e) => ({
    status: e.status,
    body: { error: { code: e.status, message: e.message, status: GOOGLE_STATUS[e.status] ?? "UNKNOWN" } },
  }),
  streamError: (message, code) =>
    sseEvent({ error: { code: code === "server_shutting_down" ? 503 : 502, message, status: "UNAVAILABLE" } }),
  // Google sends no such headers; OpenAI's are what gateways and their clients read
  rateHeaders: openaiRateHeaders,
};
