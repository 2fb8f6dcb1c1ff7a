// The catalogs: every language has every English key, no key English lacks, and each template names
// the same parameters as its English original (a missing key is also a type error: zh-CN.json is checked
// against en.ts). The translator fills templates and groups numbers in the reader's locale.
import { describe, expect, test } from "bun:test";
import { templateParams } from "../../src/core/message-template";
import { en } from "../../src/i18n/en";
import { EN, LANGUAGE_CODES, LANGUAGES, translator } from "../../src/i18n";

describe.each(LANGUAGE_CODES.filter((code) => code !== "en"))("the %s catalog", (code) => {
  const catalog: Record<string, string> = LANGUAGES[code].catalog;

  test("has exactly the English keys", () => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
  });

  test("each template names the same parameters as the English one, and says something", () => {
    const differing = Object.entries(en)
      .filter(([key, english]) => templateParams(catalog[key] ?? "").join() !== templateParams(english).join())
      .map(([key]) => key);
    expect(differing).toEqual([]);
    expect(Object.entries(catalog).filter(([, text]) => text.trim() === "")).toEqual([]);
  });
});

describe("the translator", () => {
  test("fills a template in the reader's word order, numbers grouped", () => {
    const zh = translator("zh-CN");
    expect(zh.t("tokens.pager", { page: 1, pages: 2, total: 12345 })).toBe("第 1 / 2 页 · 共 12,345 个令牌");
    expect(EN.t("tokens.pager", { page: 1, pages: 2, total: 12345 })).toBe("Page 1 of 2 · 12,345 tokens");
    expect(zh.t("nav.tokens")).toBe("令牌");
    expect(zh.num(1234567)).toBe("1,234,567");
  });

  test("each language names itself for the switch", () => {
    expect(LANGUAGES["zh-CN"].name).toBe("简体中文");
    expect(LANGUAGES.en.name).toBe("English");
  });
});
