// Message templates: named parameters filled in any order, numbers through the locale's formatter,
// a missing value left visible, and the parameter names a template uses.
import { describe, expect, test } from "bun:test";
import { fillTemplate, templateParams } from "../../src/core/message-template";

describe("fillTemplate", () => {
  test("fills each named parameter, wherever the language puts it", () => {
    expect(fillTemplate("Page {page} of {pages}", { page: 2, pages: 5 })).toBe("Page 2 of 5");
    expect(fillTemplate("第 {page} / {pages} 页", { pages: 5, page: 2 })).toBe("第 2 / 5 页");
    expect(fillTemplate("{a} and {a}", { a: "x" })).toBe("x and x");
  });

  test("numbers go through the formatter; strings are left as they are", () => {
    const grouped = (n: number) => new Intl.NumberFormat("en").format(n);
    expect(fillTemplate("{total} tokens, {name}", { total: 1234567, name: "1000" }, grouped)).toBe(
      "1,234,567 tokens, 1000",
    );
  });

  test("a parameter without a value stays visible; one that looks like a prototype key is not found", () => {
    expect(fillTemplate("Hello {name}", {})).toBe("Hello {name}");
    expect(fillTemplate("{constructor}", {})).toBe("{constructor}");
  });
});

test("templateParams: each name once, sorted", () => {
  expect(templateParams("{b} of {a}, {b}")).toEqual(["a", "b"]);
  expect(templateParams("no parameters")).toEqual([]);
});
