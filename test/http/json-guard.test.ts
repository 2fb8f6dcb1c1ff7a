// The duplicate-key and depth scan of request bodies, table-driven: what it must refuse (a key twice in
// one object, at any depth and however it is spelled; nesting past the limit) and what it must let
// through (the same key in different objects, key-like text inside strings, escapes of every kind).
// Invalid JSON is JSON.parse's to refuse: the scan only must not throw on it or misreport it as clean
// when it is not.
import { describe, expect, test } from "bun:test";
import { jsonHazard, MAX_JSON_DEPTH } from "../../src/http/json-guard";

const nested = (levels: number, open = "[", close = "]") => open.repeat(levels) + close.repeat(levels);
const manyKeys = (n: number, extra = "") =>
  `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")}${extra}}`;

const CLEAN: [string, string][] = [
  [
    "an ordinary chat body",
    '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}',
  ],
  ["the same key in sibling objects", '[{"a":1},{"a":2}]'],
  ["the same key at two depths", '{"a":{"a":{"a":1}}}'],
  ["a key again after a nested object closed", '{"a":{"b":1},"b":2}'],
  ["values equal to keys", '{"a":"a","b":"a","c":["a","a"]}'],
  ["key-like text inside a string", '{"content":"{\\"model\\":\\"a\\",\\"model\\":\\"b\\"}","model":"x"}'],
  ["an escaped quote then more text", '{"a":"x\\",\\"a\\":1","b":2}'],
  ["an escaped backslash before the closing quote", '{"a":"x\\\\","b":"\\\\\\\\"}'],
  ["braces and brackets inside strings", '{"a":"{{{[[[","b":"]]]}}}"}'],
  ["unicode escapes in values", '{"a":"\\u0041\\ud83d\\ude00","b":"中文"}'],
  ["whitespace everywhere", ' {\n  "a" : 1 ,\n  "b" : [ 1 , { "a" : 2 } ]\n} '],
  ["sixteen distinct keys", manyKeys(16)],
  ["a thousand distinct keys", manyKeys(1000)],
  ["nesting at the limit", nested(MAX_JSON_DEPTH)],
  ["objects nested to the limit", '{"a":'.repeat(MAX_JSON_DEPTH - 1) + "{}" + "}".repeat(MAX_JSON_DEPTH - 1)],
  ["an empty body", ""],
  ["a bare string", '"{\\"a\\":1,\\"a\\":2}"'],
];

const DUPLICATE: [string, string, string, number][] = [
  ["model twice at the top", '{"model":"a","model":"b"}', "model", 1],
  ["model twice, spaced", '{ "model" : "a" , "stream":true, "model" : "b" }', "model", 1],
  ["the second spelled with an escape", '{"model":"a","mod\\u0065l":"b"}', "model", 1],
  ["the first spelled with an escape", '{"\\u006dodel":"a","model":"b"}', "model", 1],
  ["in a nested object", '{"generationConfig":{"maxOutputTokens":10,"maxOutputTokens":100000}}', "maxOutputTokens", 2],
  ["in an object inside an array", '{"messages":[{"role":"user","role":"system","content":"x"}]}', "role", 3],
  ["after a string ending in an escaped backslash", '{"a":"x\\\\","a":1}', "a", 1],
  ["after a value that is an object", '{"a":{"b":1},"a":2}', "a", 1],
  ["the empty key twice", '{"":1,"":2}', "", 1],
  ["past the short list (the 17th key repeats the 4th)", manyKeys(16, ',"k3":0'), "k3", 1],
  ["among a thousand keys", manyKeys(1000, ',"k999":0'), "k999", 1],
];

const TOO_DEEP: [string, string][] = [
  ["one past the limit, arrays", nested(MAX_JSON_DEPTH + 1)],
  ["one past the limit, objects", '{"a":'.repeat(MAX_JSON_DEPTH) + "{}" + "}".repeat(MAX_JSON_DEPTH)],
  ["20,000 levels (a 500 from a stack overflow before)", `{"model":"m","messages":${nested(20_000)}}`],
  ["deep and never closed", "[".repeat(1_000_000)],
];

const INVALID: [string, string][] = [
  ["an unterminated string", '{"model":"a'],
  ["an unterminated key", '{"mod'],
  ["a broken escape in a key", '{"\\uZZZZ":1,"\\uZZZZ":2}'],
  ["closers without openers", "]]]}}}"],
  ["a stray quote at the end", '{"a":1}"'],
];

describe("jsonHazard", () => {
  test.each(CLEAN)("clean: %s", (_, text) => {
    expect(jsonHazard(text)).toBeNull();
    if (text) expect(() => JSON.parse(text)).not.toThrow(); // the table's clean rows are valid JSON
  });

  test.each(DUPLICATE)("duplicate: %s", (_, text, key, depth) => {
    expect(jsonHazard(text)).toEqual({ problem: "duplicate_key", key, depth });
  });

  test.each(TOO_DEEP)("too deep: %s", (_, text) => {
    expect(jsonHazard(text)).toEqual({ problem: "too_deep", limit: MAX_JSON_DEPTH });
  });

  test.each(INVALID)("invalid JSON is left to JSON.parse and does not throw: %s", (_, text) => {
    expect(() => jsonHazard(text)).not.toThrow();
    expect(() => JSON.parse(text)).toThrow();
  });

  test("the limit can be lowered", () => {
    expect(jsonHazard(nested(3), 3)).toBeNull();
    expect(jsonHazard(nested(4), 3)).toEqual({ problem: "too_deep", limit: 3 });
  });
});
