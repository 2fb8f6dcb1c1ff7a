// Finding usage in upstream replies without parsing whole bodies: the last `"usage":{…}` (or
// Gemini's `"usageMetadata":{…}`) object of a JSON or SSE text (a raw `"usage":` can only be a key:
// inside strings quotes are escaped). Each format's reader, its fields and its end-of-stream marker
// are in its folder (<format>/usage.ts); this is what they share.
import type { Usage } from "../../core/billing";

/** How one wire format reports usage and says that a stream finished properly. */
export type UsageReader = {
  /** the usage a whole reply (or the tail of a stream) reports */
  fromText(text: string): Usage | null;
  /** a stream's usage from its first events (kept when `keepsHead`) and its last */
  fromStream(head: string, tail: string): Usage | null;
  /** the usage is split between the stream's start and its end (the meter keeps the start) */
  keepsHead: boolean;
  /** did the stream end properly (the format's end marker in its tail)? */
  finished(tail: string): boolean;
};

export const USAGE_KEY = '"usage":';

/** A reader whose usage is the last `key` object of the text, read by `read`. */
export function usageReader(
  read: (raw: unknown) => Usage | null,
  finished: (tail: string) => boolean,
  key = USAGE_KEY,
): UsageReader {
  const fromText = (text: string) => read(parseJson(lastObject(text, key)));
  return { fromText, fromStream: (_head, tail) => fromText(tail), keepsHead: false, finished };
}

/** The `{…}` value of the `key` found at `at`: undefined when the value is not an object (null…),
 * null when the object is cut off. */
export function objectAt(text: string, at: number, key: string): string | null | undefined {
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

export function parseJson(obj: string | null | undefined): any {
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
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

/** A count field: a non-negative number, else 0. */
export const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
/** Does the usage object have any of these count fields? */
export const hasCount = (u: Record<string, any>, ...keys: string[]) => keys.some((k) => typeof u[k] === "number");
