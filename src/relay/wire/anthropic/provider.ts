// Upstream type "anthropic": the Anthropic Messages API (or one that mimics it). base_url like
// https://api.anthropic.com/v1; the key goes in x-api-key; the client's anthropic-version and
// anthropic-beta are forwarded untouched (a default version when the client sent none).
import { errorMessage, post } from "../http";
import type { Endpoint, Provider } from "../contract";

const SERVES = new Set<Endpoint>(["messages", "count_tokens"]);
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

export const anthropic: Provider = {
  type: "anthropic",
  baseUrl: {
    defaultPath: "/v1",
    example: "https://api.anthropic.com",
    endpoints: /\/(messages(\/count_tokens)?|models)$/i,
    foreign: {
      pattern: /\/messages(\/count_tokens)?$/i,
      hint: "Anthropic's Messages API: choose type anthropic with the base up to /v1",
    },
  },
  serves: () => SERVES,
  request(channel, key, call) {
    const headers: Record<string, string> = {
      "x-api-key": key,
      "anthropic-version": call.headers.get("anthropic-version") ?? DEFAULT_ANTHROPIC_VERSION,
    };
    const beta = call.headers.get("anthropic-beta");
    if (beta) headers["anthropic-beta"] = beta;
    const path = call.endpoint === "count_tokens" ? "/messages/count_tokens" : "/messages";
    return { url: channel.baseUrl + path, init: post(call.body, headers) };
  },
  prepareBody(_endpoint, body, upstreamModel) {
    body.model = upstreamModel;
    return JSON.stringify(body);
  },
  errorMessage,
  probe: (model) => ({
    endpoint: "messages",
    body: { model, max_tokens: 1, messages: [{ role: "user", content: "ping" }] },
  }),
};
