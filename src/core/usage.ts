// Finding usage in upstream replies without parsing whole bodies: the last `"usage":{…}` object of
// a JSON text (a raw `"usage":` can only be a key: inside strings quotes are escaped).
export type Usage = { prompt: number; completion: number; cached: number };

/** The text of the last `"usage": { … }` object in `text`, or null (usage null / absent). */
export function lastUsageObject(text: string): string | null {
  let at = text.lastIndexOf('"usage":');
  while (at >= 0) {
    let i = at + 8;
    while (text.charCodeAt(i) === 32) i++;
    if (text[i] === "{") return balancedObject(text, i);
    at = text.lastIndexOf('"usage":', at - 1);
  }
  return null;
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

/** OpenAI usage (chat, completions, embeddings) → our counts. Cached tokens are part of prompt. */
export function openAiUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const u = raw as Record<string, any>;
  if (typeof u.prompt_tokens !== "number" && typeof u.completion_tokens !== "number") return null;
  return {
    prompt: int(u.prompt_tokens),
    completion: int(u.completion_tokens),
    cached: int(u.prompt_tokens_details?.cached_tokens ?? u.cached_tokens),
  };
}

export function usageFromText(text: string): Usage | null {
  const obj = lastUsageObject(text);
  if (!obj) return null;
  try {
    return openAiUsage(JSON.parse(obj));
  } catch {
    return null;
  }
}
