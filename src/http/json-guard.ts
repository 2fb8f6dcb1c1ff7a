// What JSON.parse lets through but a gateway must not: a key given twice in one object (JSON.parse keeps
// the last, while an upstream parser may keep the first, so a check would see one value and the upstream
// serve another) and nesting deep enough to overflow a recursive walk later (token counting, translation).
// One linear pass over the text, before it is parsed: strings are skipped with indexOf (escapes
// honoured), and only keys are sliced out. Invalid JSON is not this scan's business: it never throws on
// it and JSON.parse refuses it afterwards.

/** Deepest nesting of objects and arrays a request body may have: serde_json's default, so no common
 * upstream would take deeper anyway; real bodies (tool JSON schemas included) stay under ~40. */
export const MAX_JSON_DEPTH = 128;

export type JsonHazard =
  | { problem: "duplicate_key"; key: string; depth: number }
  | { problem: "too_deep"; limit: number };

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;

/** The index of the quote that closes the string whose content starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  let at = text.indexOf('"', from);
  while (at > 0) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** A key as JSON means it (`"mod\u0065l"` is `model`). */
function keyAt(text: string, open: number, close: number): string | null {
  const raw = text.slice(open + 1, close);
  if (raw.indexOf("\\") < 0) return raw;
  try {
    return JSON.parse(text.slice(open, close + 1)) as string;
  } catch {
    return null; // a broken escape: JSON.parse refuses the whole body next
  }
}

/** The keys seen so far in one open object: a short list (what almost every object is; faster than a
 * Set to build and search), turned into a Set past SMALL so that one object of a million keys stays linear. */
type Keys = string[] | Set<string>;
const SMALL = 16;

/** Adds `key` to `keys`, or says it was there already; returns the (possibly grown) collection. */
function addKey(keys: Keys, key: string): Keys | null {
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return null;
    keys.push(key);
    return keys.length > SMALL ? new Set(keys) : keys;
  }
  if (keys.has(key)) return null;
  keys.add(key);
  return keys;
}

/** The first duplicate key (in any object, at any depth) or nesting past `maxDepth`, else null. */
export function jsonHazard(text: string, maxDepth = MAX_JSON_DEPTH): JsonHazard | null {
  // one entry per open container: the keys seen so far for an object, null for an array
  const open: (Keys | null)[] = [];
  let keys: Keys | null = null;
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i + 1);
      if (end < 0) return null;
      if (expectKey && keys) {
        const key = keyAt(text, i, end);
        if (key === null) return null;
        const grown = addKey(keys, key);
        if (!grown) return { problem: "duplicate_key", key, depth: open.length };
        if (grown !== keys) open[open.length - 1] = keys = grown;
      }
      expectKey = false;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (open.length >= maxDepth) return { problem: "too_deep", limit: maxDepth };
      keys = c === OPEN_OBJECT ? [] : null;
      open.push(keys);
      expectKey = keys !== null;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      keys = open.length > 0 ? open[open.length - 1] : null;
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = keys !== null;
    }
  }
  return null;
}
