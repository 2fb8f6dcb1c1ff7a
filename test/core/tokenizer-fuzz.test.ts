// The o200k token counter against gpt-tokenizer's countTokens on seeded random strings (mixed
// Unicode ranges, ASCII words, whitespace, lone surrogates, byte order marks) and on a 1 MB text.
import { describe, test } from "bun:test";
import { expectSameCount } from "../support/o200k-reference";
import { prng } from "../support/prng";

const WORDS = ["the", " of", "token", "izer", "Count", "ing", "'s", "'LL", "http", "://", '{"', '"}', "()", "=>"];
const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x30, 0x39], // digits
  [0xa0, 0x24f], // Latin-1 and Latin Extended
  [0x300, 0x36f], // combining marks
  [0x370, 0x4ff], // Greek, Cyrillic
  [0x600, 0x6ff], // Arabic
  [0x900, 0x97f], // Devanagari
  [0x3040, 0x30ff], // Hiragana, Katakana
  [0x4e00, 0x9fff], // CJK
  [0xac00, 0xd7a3], // Hangul
  [0xff00, 0xffef], // full-width forms
  [0x1f300, 0x1faff], // emoji
  [0x1f3fb, 0x1f3ff], // skin tones
  [0xd800, 0xdfff], // lone surrogates
];
const SPECIAL_CHARS = [" ", "  ", "\n", "\r\n", "\t", "\u200d", "\ufe0f", "\ufeff", "\u3000", "/", "<|"];

function randomText(random: () => number, length: number): string {
  let text = "";
  while (text.length < length) {
    const pick = random();
    if (pick < 0.2) text += WORDS[Math.floor(random() * WORDS.length)];
    else if (pick < 0.35) text += SPECIAL_CHARS[Math.floor(random() * SPECIAL_CHARS.length)];
    else {
      const [low, high] = RANGES[Math.floor(random() * RANGES.length)];
      const run = 1 + Math.floor(random() * 6);
      for (let i = 0; i < run; i++) text += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
    }
  }
  return text;
}

describe("o200k token counts, random", () => {
  test("3000 seeded random strings count as gpt-tokenizer counts them", async () => {
    const random = prng(20261207);
    for (let i = 0; i < 3000; i++) await expectSameCount(randomText(random, Math.floor(random() * 120)));
  });

  test("a 1 MB text counts as gpt-tokenizer counts it", async () => {
    const random = prng(7);
    const parts: string[] = [];
    let size = 0;
    while (size < 1 << 20) {
      const part = randomText(random, 200 + Math.floor(random() * 2000)).replaceAll("<|", "<");
      parts.push(part);
      size += part.length;
    }
    await expectSameCount(parts.join("\n"));
  });
});
