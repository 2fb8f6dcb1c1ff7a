// OpenAI's reasoning models on Chat Completions (o1, o3, o4-mini, gpt-5 and its point releases, by
// name): they refuse `max_tokens` (400 "Unsupported parameter: 'max_tokens' … use
// 'max_completion_tokens'") and spend output tokens reasoning before they answer, so a one-token
// limit leaves them nothing to answer with. The channel test's call (openai and azure) asks them for
// REASONING_ROOM tokens in `max_completion_tokens` instead of `max_tokens: 1`.
import { REASONING_ROOM } from "../../../core/hold";

/** o1, o1-mini, o3-pro-2025-06-10, o4-mini, gpt-5, gpt-5-nano, gpt-5.1…: a bare OpenAI name (an
 * aggregator's "openai/o3" takes max_tokens and translates it itself). */
const REASONING_MODEL = /^(o[1-9]|gpt-5)([-.]|$)/i;

export const isOpenAiReasoningModel = (upstreamModel: string) => REASONING_MODEL.test(upstreamModel);

/** The output limit of a minimal chat call to `upstreamModel`: one token, or for a reasoning model
 * room for a low effort's reasoning and the answer, in the field it accepts. */
export const minimalChatLimit = (upstreamModel: string): Record<string, number> =>
  isOpenAiReasoningModel(upstreamModel) ? { max_completion_tokens: REASONING_ROOM } : { max_tokens: 1 };
