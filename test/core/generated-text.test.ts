// generatedText (core/text.ts) reads the generated text out of raw SSE or JSON of any wire format. A
// string without escapes is taken as it is, one with escapes is parsed: both must give exactly what
// parsing every string gave, including skipping a string JSON refuses (a raw control character).
import { expect, test } from "bun:test";
import { generatedText } from "../../src/core/text";

const KEYS = ["content", "reasoning_content", "text", "arguments", "thinking", "partial_json", "delta"];

/** What generatedText gave before: every string value parsed as JSON, refused ones skipped. */
function parsedEveryTime(raw: string): string {
  const out: string[] = [];
  for (const key of KEYS) {
    const mark = `"${key}":"`;
    for (let at = raw.indexOf(mark); at >= 0; ) {
      const start = at + mark.length - 1;
      let end = -1;
      for (let i = start + 1; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c === 92) i++;
        else if (c === 34) {
          end = i;
          break;
        }
      }
      if (end < 0) break;
      try {
        out.push(JSON.parse(raw.slice(start, end + 1)));
      } catch {}
      at = raw.indexOf(mark, end);
    }
  }
  return out.join("");
}

const sse = (pieces: string[]) =>
  pieces.map((p) => `data: {"choices":[{"delta":{"content":${p}}}]}\n\n`).join("") + "data: [DONE]\n\n";

test.each([
  ["plain pieces", sse(['"Hello"', '" world"', '"，你好"'])],
  ["escapes: quotes, newlines, unicode, backslashes", sse(['"say \\"hi\\"\\n"', '"\\u4f60\\u597d"', '"a\\\\b"'])],
  ["a raw control character makes a string JSON refuses: skipped", sse(['"tab\there"', '"ok"'])],
  ["several keys", '{"text":"one","thinking":"two","arguments":"{\\"a\\":1}","delta":"three"}'],
  ["a string cut off at the end", 'data: {"delta":{"text":"partial'],
  ["empty strings", sse(['""', '"x"'])],
])("%s: the same as parsing every string", (_name, raw) => {
  expect(generatedText(raw)).toBe(parsedEveryTime(raw));
});

test("a seeded mix of plain and escaped pieces: the same as parsing every string", () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = ["a", " ", "é", "你", "\\n", '\\"', "\\\\", "\\u00e9", "\t", "😀", "\\/"];
  for (let round = 0; round < 300; round++) {
    const pieces = Array.from({ length: 1 + rand(6) }, () => {
      const chars = Array.from({ length: rand(8) }, () => alphabet[rand(alphabet.length)]);
      return `"${chars.join("")}"`;
    });
    const raw = sse(pieces);
    expect(generatedText(raw)).toBe(parsedEveryTime(raw));
  }
});
