// The text a request sends and a reply delivers, for counting tokens when an upstream reports no
// usage. Pure string work; counting itself is in core/tokenizer.ts.

/** Every string the client sent as prompt, in any wire format: system / instructions, messages'
 * contents (text parts too), prompt, input, Gemini contents and systemInstruction, tool definitions. */
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
  add(body.system); // Anthropic
  add(body.instructions); // Responses
  add(body.messages);
  add(body.prompt);
  add(body.input);
  addGemini(body, add);
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(JSON.stringify(body.tools));
  return parts.join("\n");
}

const KEYS = [
  '"content":"',
  '"reasoning_content":"',
  '"text":"',
  '"arguments":"',
  '"thinking":"',
  '"partial_json":"',
  '"delta":"',
];

/** The generated text inside raw SSE or JSON of any wire format: the values of content /
 * reasoning_content / text / arguments / thinking / partial_json / delta string fields (a raw `"key":"` cannot occur inside a string, where quotes are escaped). */
export function generatedText(raw: string): string {
  // pieces joined once: `+=` per piece made a rope of one string per event, which a stream's meter
  // kept alive until its end (~80 strings a stream)
  const out: string[] = [];
  for (const key of KEYS) {
    let at = raw.indexOf(key);
    while (at >= 0) {
      const start = at + key.length - 1; // the opening quote
      const end = closingQuote(raw, start + 1);
      if (end < 0) break;
      // a string without escapes or control characters is its own value: no parse needed
      if (plain) out.push(raw.slice(start + 1, end));
      else
        try {
          out.push(JSON.parse(raw.slice(start, end + 1)));
        } catch {}
      at = raw.indexOf(key, end);
    }
  }
  return out.join("");
}

/** Set by closingQuote: the string it found holds no escape and no control character. */
let plain = true;

function closingQuote(s: string, from: number): number {
  plain = true;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92) {
      plain = false;
      i++;
    } else if (c < 32) plain = false;
  }
  return -1;
}

/** Gemini: systemInstruction and contents hold their text in parts. */
function addGemini(body: Record<string, unknown>, add: (v: unknown) => void) {
  const parts = (c: unknown) =>
    c && typeof c === "object" ? (c as { parts?: unknown }).parts : typeof c === "string" ? c : undefined;
  add(parts(body.systemInstruction));
  if (Array.isArray(body.contents)) for (const c of body.contents) add(parts(c));
}
