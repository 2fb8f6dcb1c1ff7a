// Anthropic usage: input_tokens EXCLUDES cache reads and writes, which are added back. Streams split
// it: input and cache counts in message_start (the head), output in message_delta (the tail). A
// stream finished properly with message_stop.
import type { Usage } from "../../../core/billing";
import { count, hasCount, objectAt, parseJson, USAGE_KEY, usageReader, type UsageReader } from "../usage";

function read(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!hasCount(u, "input_tokens", "output_tokens")) return null;
  const cached = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  return {
    prompt: count(u.input_tokens) + cached + cacheWrite,
    completion: count(u.output_tokens),
    cached,
    ...(cacheWrite ? { cacheWrite } : {}),
  };
}

/** The `"usage": {…}` found at `find(text, key)`, parsed. */
function rawObject(text: string, find: (text: string, key: string) => number): Record<string, unknown> | null {
  const at = find(text, USAGE_KEY);
  return at < 0 ? null : parseJson(objectAt(text, at, USAGE_KEY));
}

/** The counts are cumulative, and message_delta may repeat (or zero) the input ones: each field is
 * the larger of the two. */
export function anthropicStreamUsage(head: string, tail: string): Usage | null {
  const first = rawObject(head, (t, k) => t.indexOf(k));
  const last = rawObject(tail, (t, k) => t.lastIndexOf(k));
  if (!first && !last) return null;
  const merged: Record<string, number> = {};
  for (const [k, v] of [...Object.entries(first ?? {}), ...Object.entries(last ?? {})]) {
    if (typeof v === "number") merged[k] = Math.max(merged[k] ?? 0, v);
  }
  return read(merged);
}

export const anthropicUsage: UsageReader = {
  ...usageReader(read, (t) => t.includes('"message_stop"')),
  fromStream: anthropicStreamUsage,
  keepsHead: true,
};
