// Gemini usageMetadata: candidates exclude thoughts, which are billed as output too. A stream
// finished properly with a finishReason.
import type { Usage } from "../../../core/billing";
import { count, hasCount, usageReader } from "../usage";

function read(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!hasCount(u, "promptTokenCount", "candidatesTokenCount", "totalTokenCount")) return null;
  const reasoning = count(u.thoughtsTokenCount);
  return {
    prompt: count(u.promptTokenCount),
    completion: count(u.candidatesTokenCount) + reasoning,
    cached: count(u.cachedContentTokenCount),
    ...(reasoning ? { reasoning } : {}),
  };
}

export const geminiUsage = usageReader(read, (t) => /"finishReason":\s*"/.test(t), '"usageMetadata":');
