// Mock upstream option "honorLimit": like a real upstream, never report more completion tokens than
// the request's output limit allows (max_tokens, max_completion_tokens, max_output_tokens or
// Gemini's generationConfig.maxOutputTokens; the smallest when several). Off by default, so tests
// of upstreams that ignore the limit (a cost above the hold) keep their mock.
import type { MockSettings } from "./core";

/** The output limit a request body names, or undefined. */
export function outputLimitOf(body: any): number | undefined {
  if (!body || typeof body !== "object") return undefined;
  const asks = [
    body.max_tokens,
    body.max_completion_tokens,
    body.max_output_tokens,
    body.generationConfig?.maxOutputTokens,
  ];
  const limits = asks.filter((v): v is number => typeof v === "number" && v > 0);
  return limits.length ? Math.min(...limits) : undefined;
}

/** The settings for one request with completionTokens held to its limit when honorLimit is set. */
export function honorLimit(s: MockSettings, body: unknown): MockSettings {
  const limit = s.honorLimit ? outputLimitOf(body) : undefined;
  return limit === undefined || s.completionTokens <= limit ? s : { ...s, completionTokens: limit };
}
