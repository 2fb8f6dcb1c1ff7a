// Upstream type "openai": any OpenAI-compatible API (OpenAI, DeepSeek, Groq, vLLM, Ollama,
// OpenRouter…). base_url is what the OpenAI SDK takes as baseURL, e.g. https://api.openai.com/v1.
// /v1/responses only where the channel says it speaks it (supports_responses).
import { errorMessage, post } from "../http";
import type { Endpoint, Provider } from "../contract";
import { minimalChatLimit } from "./reasoning";
import { openaiVideo } from "./video";

/** The OpenAI paths (after the base URL) of the endpoints an OpenAI-compatible API serves. */
export const OPENAI_PATHS: Partial<Record<Endpoint, string>> = {
  chat: "/chat/completions",
  completions: "/completions",
  embeddings: "/embeddings",
  images: "/images/generations",
  image_edits: "/images/edits",
  speech: "/audio/speech",
  transcriptions: "/audio/transcriptions",
  responses: "/responses",
};

const BASE = new Set<Endpoint>([
  "chat",
  "completions",
  "embeddings",
  "images",
  "image_edits",
  "speech",
  "transcriptions",
]);
const WITH_RESPONSES = new Set<Endpoint>([...BASE, "responses"]);

/** Chat and completions streams ask for usage (the relay hides it from clients that did not). */
export function prepareOpenAiBody(
  endpoint: Endpoint,
  body: Record<string, unknown>,
  upstreamModel: string,
  stream: boolean,
): string {
  body.model = upstreamModel;
  if (stream && (endpoint === "chat" || endpoint === "completions")) {
    const options = (
      body.stream_options && typeof body.stream_options === "object" ? body.stream_options : {}
    ) as Record<string, unknown>;
    body.stream_options = { ...options, include_usage: true };
  }
  return JSON.stringify(body);
}

const ENDPOINTS =
  /\/(chat\/completions|completions|embeddings|images\/(generations|edits|variations)|audio\/(speech|transcriptions|translations)|responses|moderations|models)$/i;

export const openai: Provider = {
  type: "openai",
  baseUrl: {
    defaultPath: "/v1",
    example: "https://api.openai.com/v1",
    endpoints: ENDPOINTS,
    foreign: {
      pattern: ENDPOINTS,
      hint: "an OpenAI-style endpoint: choose type openai with the base up to /v1 (e.g. https://api.openai.com/v1)",
    },
  },
  serves: (channel) => (channel.supportsResponses ? WITH_RESPONSES : BASE),
  request: (channel, key, call) => ({
    url: channel.baseUrl + OPENAI_PATHS[call.endpoint],
    init: post(call.body, { authorization: `Bearer ${key}` }),
  }),
  prepareBody: prepareOpenAiBody,
  errorMessage,
  probe: (model) => ({
    endpoint: "chat",
    body: { model, messages: [{ role: "user", content: "ping" }], ...minimalChatLimit(model) },
  }),
  video: openaiVideo,
};
