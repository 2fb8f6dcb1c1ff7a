// The o200k token counter (src/core/tokenizer.ts, src/core/o200k/) against gpt-tokenizer's
// countTokens on texts chosen for their edges: scripts, emoji sequences, code, whitespace and digit
// runs, long words, lone surrogates, byte order marks, special tokens; and its lazy loading.
import { describe, expect, test } from "bun:test";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { countTokens, lazyCount } from "../../src/core/tokenizer";
import { SPLIT } from "../../src/core/o200k/count";
import { expectSameCount } from "../support/o200k-reference";

const CORPUS = [
  "Hello, world! This is a test of the tokenizer's handling of English text, isn't it? We'll see.",
  "THE QUICK BROWN FOX JUMPS over the lazy dog; CamelCaseWords and snake_case_words and kebab-case.",
  "你好，世界！今天天气很好，我们去公园散步吧。机器学习是人工智能的一个分支。",
  "日本語のテキストです。カタカナとひらがなと漢字が混ざっています。東京都渋谷区",
  "한국어 텍스트도 포함합니다. 출장안마 서울특별시",
  "Привет, мир! Ελληνικά κείμενα. مرحبا بالعالم. नमस्ते दुनिया। שלום עולם",
  "👩🏽‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 👍🏿 ❤️ 🇨🇳🇺🇸 emoji with ZWJ and skin tones 🧑🏻‍🤝‍🧑🏾",
  "function add(a: number, b: number): number {\n  return a + b; // sum\n}\n\nconst x = add(1, 2);\n",
  "def f(x):\n\tif x > 0:\n\t\treturn [i ** 2 for i in range(x)]\n\treturn None\n# comment\r\n",
  '{"model":"gpt-4o","messages":[{"role":"user","content":"Hi \\"there\\"\\n"}],"temperature":0.7}',
  "     leading spaces and trailing     \n\n\n   \t\t  \r\n\r\n  ",
  " ".repeat(100),
  "\n".repeat(50) + "\t".repeat(20),
  "1234567890 3.14159 -42 1e10 0xFF 1,000,000 ١٢٣ ৪৫৬ ²³ ½",
  "9".repeat(1000),
  "a".repeat(5000),
  "supercalifragilisticexpialidocious".repeat(60),
  "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
  "https://example.com/path/to/resource?query=1&other=two#fragment //comment ///",
  "mixed中文English日本語한국어العربية123混合text",
  "a\uD800b",
  "\uD800",
  "\uDC00\uDC00 lone lows \uDBFF",
  "\uD83D", // a high surrogate at the end
  "x\uDE00y\uD83D\uDE00z",
  "\uFEFFusing System;\n\uFEFF\n\n\uFEFFnamespace Foo\uFEFF\uFEFF",
  "\uFEFF출장안마 \uFEFF// \uFEFF#",
  "\uFEFF名人 \uFEFFង", // BOM + a token: gpt-tokenizer's merge drops the mark when it looks the pair up
  "I'm you're we've they'll she'd it's DON'T WE'VE",
  "ﬁ ﬂ Å Å é é (combining) ñ ñ a\u0301\u0302\u0303",
  "\u200B\u200C\u200D\u2060 zero widths \u00A0nbsp\u3000ideographic",
  "<|endoftext|>",
  "before <|im_start|>user<|im_end|> after",
  "<|endofprompt|> and <|fim_prefix|>",
  "<|not_special|> <| |> <|endoftext",
  "",
];

describe("o200k token counts", () => {
  test("the pre-tokenization pattern is gpt-tokenizer's", () => {
    expect(SPLIT.source).toBe(O200K_TOKEN_SPLIT_REGEX.source);
    expect(SPLIT.flags).toBe(O200K_TOKEN_SPLIT_REGEX.flags);
  });

  test("each text of the corpus counts as gpt-tokenizer counts it", async () => {
    for (const text of CORPUS) await expectSameCount(text);
  });

  test("the corpus joined, and each text repeated, count the same too", async () => {
    await expectSameCount(CORPUS.join(" "));
    await expectSameCount(CORPUS.filter((t) => !t.includes("<|")).join("\n"));
    for (const text of CORPUS) await expectSameCount(text.repeat(3));
  });

  test("the text of a special token counts as text (it threw before, which left a cut stream quoting one unsettled)", async () => {
    expect(await countTokens("<|endoftext|>")).toBe(7);
    expect(await countTokens("a <|im_end|> b <|endoftext|>")).toBe(15);
  });

  test("the empty string is 0", async () => {
    expect(await countTokens("")).toBe(0);
  });
});

describe("lazy loading", () => {
  test("nothing loads until the first count of a non-empty text, and it loads once", async () => {
    let loads = 0;
    const count = lazyCount(async () => {
      loads++;
      return (text) => text.length;
    });
    expect(await count("")).toBe(0);
    expect(loads).toBe(0);
    expect(await Promise.all([count("ab"), count("abc")])).toEqual([2, 3]);
    expect(loads).toBe(1);
  });

  test("the server's counter: no o200k module loads on import or for an empty text, all on the first count", () => {
    const tokenizer = new URL("../../src/core/tokenizer.ts", import.meta.url).pathname;
    const script = `
      const { countTokens } = await import(${JSON.stringify(tokenizer)});
      const loaded = () => Object.keys(require.cache).filter((k) => k.includes("/o200k/")).length;
      const seen = [loaded()];
      await countTokens("");
      seen.push(loaded());
      seen.push(await countTokens("hello world"));
      seen.push(loaded());
      console.log(JSON.stringify(seen));`;
    const run = Bun.spawnSync([process.execPath, "-e", script]);
    const [onImport, afterEmpty, count, afterCount] = JSON.parse(run.stdout.toString());
    expect([onImport, afterEmpty, count]).toEqual([0, 0, 2]);
    expect(afterCount).toBeGreaterThan(3); // the loader, the counter, the vocabulary and its file
  });
});
