// Mock upstream, OpenAI wire format: error bodies ({error:{message, type, param, code}}) and the usage
// object, shared by the chat, media, Responses and Azure handlers.
import { type Ctx, json, maskKey, type MockSettings, retryHeaders } from "./core";

const ERRORS: Record<number, [string, string, string | null]> = {
  429: [
    "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.",
    "requests",
    "rate_limit_exceeded",
  ],
  500: ["The server had an error while processing your request. Sorry about that!", "server_error", null],
  502: ["Bad gateway.", "server_error", null],
  503: ["The engine is currently overloaded, please try again later.", "server_error", null],
};

export function openaiError(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  headers = {},
) {
  return json({ error: { message, type, param, code } }, status, headers);
}

export function openaiUnauthorized(key: string, origin: string) {
  const message = `Incorrect API key provided: ${maskKey(key)}. You can find your API key at ${origin}/account/api-keys.`;
  return openaiError(401, message, "invalid_request_error", "invalid_api_key");
}

export function openaiStatus({ s, model }: Ctx) {
  if (s.status === 400) {
    return openaiError(
      400,
      `Invalid value for 'temperature': expected a number between 0 and 2 (model ${model}).`,
      "invalid_request_error",
      "invalid_value",
      "temperature",
    );
  }
  const [message, type, code] = ERRORS[s.status] ?? [`Upstream error ${s.status}.`, "server_error", null];
  return openaiError(s.status, message, type, code, null, retryHeaders(s));
}

export const openaiBadRequest = (message: string) => openaiError(400, message, "invalid_request_error", null);

/** Chat/completions usage: cached and reasoning details only when those settings are set. */
export function openaiUsage(s: MockSettings) {
  const u: Record<string, unknown> = {
    prompt_tokens: s.promptTokens,
    completion_tokens: s.completionTokens,
    total_tokens: s.promptTokens + s.completionTokens,
  };
  if (s.cachedTokens !== undefined) u.prompt_tokens_details = { cached_tokens: s.cachedTokens };
  if (s.reasoningTokens !== undefined) u.completion_tokens_details = { reasoning_tokens: s.reasoningTokens };
  return u;
}

export const withUsage = (ctx: Ctx, obj: Record<string, unknown>) =>
  ctx.s.mode === "no_usage" ? obj : { ...obj, usage: openaiUsage(ctx.s) };
