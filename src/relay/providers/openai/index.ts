// Upstream type "openai": any OpenAI-compatible API (OpenAI, DeepSeek, Groq, vLLM, Ollama,
// OpenRouter…). base_url is what the OpenAI SDK takes as baseURL, e.g. https://api.openai.com/v1.
import { usageFromText } from "../../../core/usage";
import type { Endpoint, Failure, Provider } from "../types";

const PATHS: Record<Endpoint, string> = {
  chat: "/chat/completions",
  completions: "/completions",
  embeddings: "/embeddings",
  images: "/images/generations",
};

/** A 403 that blames the key or the account, not the request. */
const KEY_PROBLEM = /invalid|incorrect|deactivat|disabled|revoked|suspend|expired|api[ _-]?key|account|billing|quota/i;

export const openai: Provider = {
  type: "openai",

  request(channel, key, endpoint, body) {
    return {
      url: channel.baseUrl + PATHS[endpoint],
      init: {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body,
      },
    };
  },

  prepareBody(endpoint, body, upstreamModel, stream) {
    body.model = upstreamModel;
    if (stream && (endpoint === "chat" || endpoint === "completions")) {
      const options = (body.stream_options && typeof body.stream_options === "object" ? body.stream_options : {}) as Record<string, unknown>;
      body.stream_options = { ...options, include_usage: true };
    }
    return JSON.stringify(body);
  },

  classify(status, bodyText): Failure {
    if (status === 429 || status === 500 || status === 502 || status === 503) return "retry";
    if (status === 401) return "key_invalid";
    if (status === 403 && KEY_PROBLEM.test(bodyText)) return "key_invalid";
    return status >= 500 ? "server" : "client";
  },

  errorMessage(bodyText) {
    try {
      const parsed = JSON.parse(bodyText);
      const message = parsed?.error?.message ?? parsed?.message ?? parsed?.error;
      return typeof message === "string" ? message : null;
    } catch {
      return null;
    }
  },

  usageFromJson: usageFromText,

  probeBody: (model) => ({ model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 }),
};
