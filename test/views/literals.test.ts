// The translated views hold no user-visible English of their own: every word comes from the catalogs
// (src/i18n). This reads each translated view's source and looks for text between tags and for
// literal values of the attributes people read (title, placeholder, aria-label, hx-confirm, alt).
// Every view on disk is checked (a new view is checked from the day it is written).
import { expect, test } from "bun:test";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
// Every view: the .tsx files under views/ and src/console/, found on disk.
const VIEWS = [
  ...new Bun.Glob("views/**/*.tsx").scanSync({ cwd: ROOT }),
  ...new Bun.Glob("src/console/**/*.tsx").scanSync({ cwd: ROOT }),
].sort();
/** Words that are the same in every language: the product's name, and placeholders that are code. */
const ALLOWED = new Set(["apiyi", "YOUR_APIYI_URL", "MODEL_NAME"]);

/** Literal text a reader would see: JSX text nodes with a letter, and quoted readable attributes. */
function literals(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, "");
  const found: string[] = [];
  // a ">" that ends an arrow ("=> string | Promise<string>") is a function type, not a tag
  for (const m of code.matchAll(/(?<!=)>([^<>{}`]*\p{L}[^<>{}`]*)</gu)) {
    const text = m[1]!.trim();
    // skip TypeScript generics and comparisons the pattern may catch (a `=>` or `;` is code, not text)
    // (and a type's parameters: `Pick<A, "b">, query: Record<…>` leaves ", query: Record")
    const isCode = /=>|;|\)|\(|&&|\|\|/.test(text) || /^,\s*\w+\??:\s*\w+$/.test(text);
    if (text && !isCode && !ALLOWED.has(text)) found.push(text);
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
  expect(literals("handle: (call: PageCall) => Response | Promise<Response>")).toEqual([]);
  expect(literals('f(a: Pick<PageCall, "t">, query: Record<string, string>)')).toEqual([]);
});

test.each(VIEWS)("%s has no literal user-visible text", async (file) => {
  expect(literals(await Bun.file(join(ROOT, file)).text())).toEqual([]);
});

/** The console's handlers: a toast, notice or error they word themselves, as a literal string. */
const HANDLERS = [...new Bun.Glob("src/console/**/*.{ts,tsx}").scanSync({ cwd: ROOT })].sort();
const wordedMessages = (source: string) =>
  [...source.matchAll(/\b(toast|notice|error|message)\s*:\s*(["'`])([^"'`]*\p{L}[^"'`]*)\2/gu)].map((m) => m[0]);

test("the check finds a handler's literal toast", () => {
  expect(wordedMessages('return { toast: "Saved" }; x = { toast: t.t("k") }; y = { error: `bad {x}` }')).toEqual([
    'toast: "Saved"',
    "error: `bad {x}`",
  ]);
});

test.each(HANDLERS)("%s words no toast, notice or error of its own", async (file) => {
  expect(wordedMessages(await Bun.file(join(ROOT, file)).text())).toEqual([]);
});

test("every view is checked", () => {
  expect(VIEWS.length).toBeGreaterThan(20);
});
