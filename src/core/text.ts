// The text a request sends and a reply delivers, for counting tokens when an upstream reports no
// usage. Pure string work; counting itself is in core/tokenizer.ts.

/** Every string the client sent as prompt: messages' contents (text parts too), prompt, input. */
export function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string") parts.push(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") parts.push(o.text);
      if ("content" in o) add(o.content);
    }
  };
  add(body.messages);
  add(body.prompt);
  add(body.input);
  return parts.join("\n");
}

const KEYS = ['"content":"', '"reasoning_content":"', '"text":"', '"arguments":"'];

/** The generated text inside raw SSE or JSON: the values of content / reasoning_content / text /
 * arguments string fields (a raw `"key":"` cannot occur inside a string, where quotes are escaped). */
export function generatedText(raw: string): string {
  let out = "";
  for (const key of KEYS) {
    let at = raw.indexOf(key);
    while (at >= 0) {
      const start = at + key.length - 1; // the opening quote
      const end = closingQuote(raw, start + 1);
      if (end < 0) break;
      try {
        out += JSON.parse(raw.slice(start, end + 1));
      } catch {}
      at = raw.indexOf(key, end);
    }
  }
  return out;
}

function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}
