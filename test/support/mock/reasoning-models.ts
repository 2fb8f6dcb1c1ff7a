// Mock upstream option "reasoningModels": answer chat calls to OpenAI's reasoning models (o1, o3,
// o4-mini, gpt-5…, by name) as OpenAI does: `max_tokens` is refused (400 unsupported_parameter, in
// OpenAI's words), and a `max_completion_tokens` too small for the reasoning the model spends first
// (`reasoningTokens`, else REASONING_SPENT) ends in 400 "Could not finish the message…". Off by
// default, so tests that call such names with max_tokens keep their mock.
import type { Ctx } from "./core";
import { openaiError } from "./openai-errors";

/** about what o1-mini and o3-mini spend reasoning before a one-word answer */
export const REASONING_SPENT = 200;

const REASONING_MODEL = /^(o\d|gpt-5)/i;

/** OpenAI's refusal of this chat call, or null to answer it. */
export function reasoningRefusal({ s, body, model }: Ctx): Response | null {
  if (!s.reasoningModels || !REASONING_MODEL.test(model ?? "")) return null;
  if (body.max_tokens !== undefined)
    return openaiError(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "invalid_request_error",
      "unsupported_parameter",
      "max_tokens",
    );
  const limit = body.max_completion_tokens;
  if (typeof limit === "number" && limit <= (s.reasoningTokens ?? REASONING_SPENT))
    return openaiError(
      400,
      "Could not finish the message because max_tokens or model output limit was reached. Please try again with higher max_tokens.",
      "invalid_request_error",
      null,
    );
  return null;
}
