// Upstream type "gemini": Google's Gemini API (generateContent). base_url like
// https://generativelanguage.googleapis.com/v1beta; the model is in the path, the key in
// x-goog-api-key; streams are asked for as SSE (alt=sse). Veo's long-running video jobs: video.ts.
import { errorMessage, post } from "../http";
import type { Endpoint, Provider } from "../contract";
import { geminiVideo } from "./video";

const SERVES = new Set<Endpoint>(["gemini", "gemini_count"]);

export const gemini: Provider = {
  type: "gemini",
  baseUrl: {
    defaultPath: "/v1beta",
    example: "https://generativelanguage.googleapis.com",
    endpoints: /\/models(\/[^/]+)?$/i,
    foreign: {
      pattern: /\/models\/[^/]+:[a-z]+$/i,
      hint: "Gemini's generateContent: choose type gemini with the base up to /v1beta",
    },
  },
  serves: () => SERVES,
  request(channel, key, call) {
    const action =
      call.endpoint === "gemini_count"
        ? "countTokens"
        : call.stream
          ? "streamGenerateContent?alt=sse"
          : "generateContent";
    return {
      url: `${channel.baseUrl}/models/${encodeURIComponent(call.model)}:${action}`,
      init: post(call.body, { "x-goog-api-key": key }),
    };
  },
  /** the model and the stream flag travel in the URL, not the body */
  prepareBody(_endpoint, body) {
    const { model: _model, stream: _stream, ...rest } = body;
    return JSON.stringify(rest);
  },
  errorMessage,
  probe: (model) => ({
    endpoint: "gemini",
    body: { model, contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } },
  }),
  video: geminiVideo,
};
