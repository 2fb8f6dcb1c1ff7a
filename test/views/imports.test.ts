// Views take data and render it: nothing under views/ may import the services, the store or the
// database (types included). The routes in src/console fetch and hand the views plain shapes
// (views/console/models.ts). This reads every file under views/ and resolves each import.
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const FORBIDDEN = ["src/services", "src/store", "src/db"];

/** Every module specifier of a file: static imports and re-exports (type-only too), side-effect
 * imports, dynamic import() and require(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** The specifier as a path from the repository root, or null for a package import. */
const target = (file: string, spec: string) =>
  spec.startsWith(".")
    ? relative(ROOT, resolve(dirname(file), spec))
    : spec.startsWith("/")
      ? relative(ROOT, spec)
      : null;
const forbidden = (path: string) => FORBIDDEN.some((dir) => path === dir || path.startsWith(`${dir}/`));

test("the check sees every kind of import", () => {
  const source = `import type { A } from "../../src/services/a";\nexport { B } from '../../src/store/b';\nimport "../../src/db/c";\nconst d = await import("../../src/services/d");`;
  const file = join(ROOT, "views/console/x.tsx");
  expect(
    specifiers(source)
      .map((s) => target(file, s))
      .filter((p) => p !== null && forbidden(p)),
  ).toEqual(["src/services/a", "src/store/b", "src/db/c", "src/services/d"]);
  expect(forbidden("src/core/money")).toBe(false);
  expect(forbidden("src/dbx/y")).toBe(false);
});

test("nothing under views/ imports src/services, src/store or src/db", async () => {
  const offending: string[] = [];
  let files = 0;
  for await (const name of new Glob("**/*.{ts,tsx,js,jsx}").scan({ cwd: join(ROOT, "views") })) {
    files++;
    const file = join(ROOT, "views", name);
    for (const spec of specifiers(await Bun.file(file).text())) {
      const path = target(file, spec);
      if (path !== null && forbidden(path)) offending.push(`views/${name} imports ${spec}`);
    }
  }
  expect(files).toBeGreaterThan(10); // the scan found the views
  expect(offending).toEqual([]);
});
