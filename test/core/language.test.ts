// Which language a page is in: the user's setting, then the cookie, then Accept-Language (q-values
// honoured; zh, zh-CN, zh-Hans → zh-CN; Traditional Chinese has no catalog), then the server default.
import { describe, expect, test } from "bun:test";
import { fromAcceptLanguage, matchLanguage, resolveLanguage } from "../../src/core/language";

const SUPPORTED = ["en", "zh-CN"] as const;
const resolve = (input: Parameters<typeof resolveLanguage>[0]) => resolveLanguage(input, SUPPORTED);

describe("resolution order", () => {
  test("the user's setting wins over the cookie, the header and the default", () => {
    expect(resolve({ user: "en", cookie: "zh-CN", acceptLanguage: "zh-CN", fallback: "zh-CN" })).toBe("en");
    expect(resolve({ user: "zh-CN", cookie: "en", acceptLanguage: "en", fallback: "en" })).toBe("zh-CN");
  });

  test("no setting (empty or unknown): the cookie", () => {
    expect(resolve({ user: "", cookie: "zh-CN", acceptLanguage: "en", fallback: "en" })).toBe("zh-CN");
    expect(resolve({ user: "fr", cookie: "zh-CN", acceptLanguage: "en", fallback: "en" })).toBe("zh-CN");
  });

  test("no usable cookie: Accept-Language", () => {
    expect(resolve({ cookie: "klingon", acceptLanguage: "zh-CN,zh;q=0.9", fallback: "en" })).toBe("zh-CN");
    expect(resolve({ acceptLanguage: "en-US,en;q=0.9", fallback: "zh-CN" })).toBe("en");
  });

  test("a header naming no language we have, or none at all: the server default", () => {
    expect(resolve({ acceptLanguage: "fr-FR,fr;q=0.9", fallback: "zh-CN" })).toBe("zh-CN");
    expect(resolve({ acceptLanguage: null, fallback: "zh-CN" })).toBe("zh-CN");
    expect(resolve({ fallback: "en" })).toBe("en");
  });

  test("an unknown default (never stored: the setting is validated) falls back to the first language", () => {
    expect(resolve({ fallback: "xx" })).toBe("en");
  });
});

describe("Accept-Language", () => {
  test("zh, zh-CN, zh-Hans, zh-Hans-CN and zh-SG are Simplified Chinese", () => {
    for (const tag of ["zh", "zh-CN", "zh-cn", "zh-Hans", "zh-Hans-CN", "zh-SG", "zh_CN"])
      expect(matchLanguage(tag, SUPPORTED)).toBe("zh-CN");
  });

  test("Traditional Chinese and other languages match nothing; English variants are en", () => {
    for (const tag of ["zh-TW", "zh-HK", "zh-Hant", "fr", "*", ""]) expect(matchLanguage(tag, SUPPORTED)).toBeNull();
    expect(matchLanguage("en-GB", SUPPORTED)).toBe("en");
  });

  test("the highest q-value among languages we have; q=0 refuses one; ties keep the header's order", () => {
    expect(fromAcceptLanguage("en;q=0.5, zh-CN;q=0.8", SUPPORTED)).toBe("zh-CN");
    expect(fromAcceptLanguage("fr, zh-TW;q=0.9, en;q=0.7", SUPPORTED)).toBe("en");
    expect(fromAcceptLanguage("zh-CN;q=0, en;q=0.1", SUPPORTED)).toBe("en");
    expect(fromAcceptLanguage("en, zh", SUPPORTED)).toBe("en");
    expect(fromAcceptLanguage("fr, de", SUPPORTED)).toBeNull();
  });
});
