// OpenAI Responses usage: input includes cached, output includes reasoning. A stream finished
// properly with response.completed or response.incomplete.
import type { Usage } from "../../../core/billing";
import { count, hasCount, usageReader } from "../usage";

function read(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!hasCount(u, "input_tokens", "output_tokens")) return null;
  const reasoning = count(u.output_tokens_details?.reasoning_tokens);
  return {
    prompt: count(u.input_tokens),
    completion: count(u.output_tokens),
    cached: count(u.input_tokens_details?.cached_tokens),
    ...(reasoning ? { reasoning } : {}),
  };
}

export const responsesUsage = usageReader(
  read,
  (t) => t.includes('"response.completed"') || t.includes('"response.incomplete"'),
);
