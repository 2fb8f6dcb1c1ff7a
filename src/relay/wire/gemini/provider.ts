// Upstream type "gemini": Google's Gemini API (generateContent). base_url like
// https://generativelanguage.googleapis.com/v1beta; the model is in the path, the key in
// x-goog-api-key; streams are asked for as SSE (alt=sse).
import { errorMessage, post } from "../http";
import type { Endpoint, Provider } from "../contract";

const SERVES = new Set<Endpoint>(["gemini", "gemini_count"]);

export const gemini: Provider = {
  type: "gemini",
  serves: () => SERVES,
  request(channel, key, call) {
    const action = call.endpoint === "gemini_count" ? "countTokens" : call.stream ? "streamGenerateContent?alt=sse" : "generateContent";
    return { url: `${channel.baseUrl}/models/${encodeURIComponent(call.model)}:${action}`, init: post(call.body, { "x-goog-api-key": key }) };
  },
  /** the model and the stream flag travel in the URL, not the body */
  prepareBody(_endpoint, body) {
    const { model: _model, stream: _stream, ...rest } = body;
    return JSON.stringify(rest);
  },
  errorMessage,
  probe: (model) => ({ endpoint: "gemini", body: { model, contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } } }),
};
