// The translated views hold no user-visible English of their own: every word comes from the catalogs
// (src/i18n). This reads each translated view's source and looks for text between tags and for
// literal values of the attributes people read (title, placeholder, aria-label, hx-confirm, alt).
// A view joins TRANSLATED when its page is translated; at the end of issue 14 the list is every view.
import { expect, test } from "bun:test";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const TRANSLATED = [
  "views/layout.tsx",
  "views/console/login.tsx",
  "views/console/tokens.tsx",
  "views/console/token-dialog.tsx",
  "views/console/token-extras.tsx",
];
/** Words that are the same in every language: the product's name, and placeholders that are code. */
const ALLOWED = new Set(["apiyi", "YOUR_APIYI_URL", "MODEL_NAME"]);

/** Literal text a reader would see: JSX text nodes with a letter, and quoted readable attributes. */
function literals(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, "");
  const found: string[] = [];
  for (const m of code.matchAll(/>([^<>{}`]*\p{L}[^<>{}`]*)</gu)) {
    const text = m[1]!.trim();
    // skip TypeScript generics and comparisons the pattern may catch (a `=>` or `;` is code, not text)
    if (text && !/=>|;|\)|\(|&&|\|\|/.test(text) && !ALLOWED.has(text)) found.push(text);
  }
  for (const m of code.matchAll(/\b(title|placeholder|aria-label|hx-confirm|alt)="([^"]*\p{L}[^"]*)"/gu))
    found.push(`${m[1]}="${m[2]}"`);
  return found;
}

test("the check finds text nodes and readable attributes, not code", () => {
  expect(literals(`<p>Hello</p><b safe>{t("x")}</b><input placeholder="Search" /><a class="x">apiyi</a>`)).toEqual([
    "Hello",
    'placeholder="Search"',
  ]);
  expect(literals("const a = (x: Array<string>) => x.length > 0 && y < 2;")).toEqual([]);
});

test.each(TRANSLATED)("%s has no literal user-visible text", async (file) => {
  expect(literals(await Bun.file(join(ROOT, file)).text())).toEqual([]);
});
