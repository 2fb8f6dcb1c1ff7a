// OpenAI chat / completions / embeddings usage: cached tokens are part of prompt_tokens. A stream
// finished properly when it sent [DONE] or a finish_reason.
import type { Usage } from "../../../core/billing";
import { count, hasCount, usageReader } from "../usage";

function read(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!hasCount(u, "prompt_tokens", "completion_tokens")) return null;
  const reasoning = count(u.completion_tokens_details?.reasoning_tokens);
  const cacheWrite = count(u.prompt_tokens_details?.cache_write_tokens);
  return {
    prompt: count(u.prompt_tokens),
    completion: count(u.completion_tokens),
    cached: count(u.prompt_tokens_details?.cached_tokens ?? u.cached_tokens),
    ...(cacheWrite ? { cacheWrite } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
}

export const openaiUsage = usageReader(read, (t) => t.includes("[DONE]") || /"finish_reason":\s*"/.test(t));
