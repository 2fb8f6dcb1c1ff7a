// Finding usage in upstream replies without parsing whole bodies: the last `"usage":{…}` (or
// Gemini's `"usageMetadata":{…}`) object of a JSON or SSE text (a raw `"usage":` can only be a key:
// inside strings quotes are escaped), read by the rules of each wire format.

/** prompt counts ALL input tokens (cached and cache-written included); completion includes reasoning. */
export type Usage = { prompt: number; completion: number; cached: number; cacheWrite?: number; reasoning?: number };

/** The wire formats whose usage fields differ. */
export type UsageWire = "openai" | "responses" | "anthropic" | "gemini";

const USAGE_KEY = '"usage":';

/** The `{…}` value of the `key` found at `at`: undefined when the value is not an object (null…),
 * null when the object is cut off. */
function objectAt(text: string, at: number, key: string): string | null | undefined {
  let i = at + key.length;
  while (text.charCodeAt(i) === 32) i++;
  return text[i] === "{" ? balancedObject(text, i) : undefined;
}

/** The text of the last `"key": { … }` object in `text`, or null (absent, null, or cut off). */
export function lastObject(text: string, key = USAGE_KEY): string | null {
  for (let at = text.lastIndexOf(key); at >= 0; at = text.lastIndexOf(key, at - 1)) {
    const obj = objectAt(text, at, key);
    if (obj !== undefined) return obj;
  }
  return null;
}

function parseJson(obj: string | null | undefined): any {
  if (!obj) return null;
  try {
    return JSON.parse(obj);
  } catch {
    return null;
  }
}

/** The `{…}` starting at `start`, honouring strings and escapes. */
function balancedObject(text: string, start: number): string | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

const int = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
const has = (u: Record<string, any>, ...keys: string[]) => keys.some((k) => typeof u[k] === "number");

/** OpenAI chat/completions/embeddings usage. Cached tokens are part of prompt. */
export function openAiUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!has(u, "prompt_tokens", "completion_tokens")) return null;
  const reasoning = int(u.completion_tokens_details?.reasoning_tokens);
  const cacheWrite = int(u.prompt_tokens_details?.cache_write_tokens);
  return {
    prompt: int(u.prompt_tokens),
    completion: int(u.completion_tokens),
    cached: int(u.prompt_tokens_details?.cached_tokens ?? u.cached_tokens),
    ...(cacheWrite ? { cacheWrite } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
}

/** OpenAI Responses usage: input includes cached, output includes reasoning. */
export function responsesUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!has(u, "input_tokens", "output_tokens")) return null;
  const reasoning = int(u.output_tokens_details?.reasoning_tokens);
  return { prompt: int(u.input_tokens), completion: int(u.output_tokens), cached: int(u.input_tokens_details?.cached_tokens), ...(reasoning ? { reasoning } : {}) };
}

/** Anthropic usage: input_tokens EXCLUDES cache reads and writes, which are added back here. */
export function anthropicUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!has(u, "input_tokens", "output_tokens")) return null;
  const cached = int(u.cache_read_input_tokens);
  const cacheWrite = int(u.cache_creation_input_tokens);
  return { prompt: int(u.input_tokens) + cached + cacheWrite, completion: int(u.output_tokens), cached, ...(cacheWrite ? { cacheWrite } : {}) };
}

/** Gemini usageMetadata: candidates exclude thoughts, which are billed as output too. */
export function geminiUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (!has(u, "promptTokenCount", "candidatesTokenCount", "totalTokenCount")) return null;
  const reasoning = int(u.thoughtsTokenCount);
  return { prompt: int(u.promptTokenCount), completion: int(u.candidatesTokenCount) + reasoning, cached: int(u.cachedContentTokenCount), ...(reasoning ? { reasoning } : {}) };
}

const READERS = { openai: openAiUsage, responses: responsesUsage, anthropic: anthropicUsage, gemini: geminiUsage };

const parsed = (obj: string | null, read: (raw: unknown) => Usage | null): Usage | null => read(parseJson(obj));

/** The usage a reply (or the tail of a stream) reports, by its wire format's rules. */
export function usageFromText(text: string, wire: UsageWire = "openai"): Usage | null {
  return parsed(lastObject(text, wire === "gemini" ? '"usageMetadata":' : '"usage":'), READERS[wire]);
}

/** Anthropic streams split usage: input and cache counts in message_start (the head), output in
 * message_delta (the tail). The counts are cumulative, and message_delta may repeat (or zero) the
 * input ones: each field is the larger of the two. */
export function anthropicStreamUsage(head: string, tail: string): Usage | null {
  const first = rawObject(head, (t, k) => t.indexOf(k));
  const last = rawObject(tail, (t, k) => t.lastIndexOf(k));
  if (!first && !last) return null;
  const merged: Record<string, number> = {};
  for (const [k, v] of [...Object.entries(first ?? {}), ...Object.entries(last ?? {})]) {
    if (typeof v === "number") merged[k] = Math.max(merged[k] ?? 0, v);
  }
  return anthropicUsage(merged);
}

/** The `"usage": {…}` found at `find(text, key)`, parsed. */
function rawObject(text: string, find: (text: string, key: string) => number): Record<string, unknown> | null {
  const at = find(text, USAGE_KEY);
  return at < 0 ? null : parseJson(objectAt(text, at, USAGE_KEY));
}
