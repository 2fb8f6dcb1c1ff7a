// README.md and README.zh-CN.md list the same CLI commands, startup flags, environment variables and
// runtime settings, and each lists every one the code has (and none it lacks). What counts as listed:
// - a command: `apiyi <word>` or `apiyi <word> <word>` (lowercase words, one space apart) in a fenced
//   code block or in a code span of a table row (prose is not read);
// - a runtime setting: every code span in the first cell of a row of the settings table, the table
//   whose header's first cell is "setting" (README.md) or "设置项" (README.zh-CN.md);
// - a flag or environment variable: in the startup table (first header cell "flag" / "命令行参数"),
//   the `--name`s of a row's first cell and the `APIYI_*` of its second.
// Every flag of every command (their options in src/cli) must also appear somewhere in each file.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli";
import { CONFIG_FIELDS } from "../../src/config";
import { SETTINGS } from "../../src/services/settings";

const ROOT = join(import.meta.dir, "../..");
const READMES = [
  { file: "README.md", settings: "setting", startup: "flag" },
  { file: "README.zh-CN.md", settings: "设置项", startup: "命令行参数" },
];

type Row = string[];

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

/** The lines inside fenced code blocks, and the tables (rows of cells, header first) outside them. */
function parse(markdown: string) {
  const fenced: string[] = [];
  const tables: Row[][] = [];
  let inFence = false;
  let table: Row[] | null = null;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    else if (inFence) fenced.push(line);
    const isRow = !inFence && line.startsWith("|");
    if (!isRow) table = null;
    else if (!/^\|[\s|:-]+\|$/.test(line)) {
      // cells split on pipes that are not escaped (`today\|7d` stays one cell)
      const cells = line.split(/(?<!\\)\|/).slice(1, -1);
      if (!table) tables.push((table = []));
      table.push(cells.map((c) => c.trim()));
    }
  }
  return { fenced, tables };
}

/** The rows (header left out) of the table whose first header cell is `header`. */
function tableRows(tables: Row[][], header: string): Row[] {
  const found = tables.filter((t) => t[0][0] === header);
  if (found.length !== 1) throw new Error(`expected one table headed "${header}", found ${found.length}`);
  return found[0].slice(1);
}

type Headers = { settings: string; startup: string };

/** What a README lists, by the rule above. */
function extract(markdown: string, headers: Headers) {
  const { fenced, tables } = parse(markdown);
  const tableCode = tables.flat(2).flatMap(codeSpans);
  const commands = [...fenced, ...tableCode].flatMap((line) =>
    [...line.matchAll(/\bapiyi ([a-z][a-z-]*(?: [a-z][a-z-]*)?)/g)].map((m) => m[1]),
  );
  const settings = tableRows(tables, headers.settings).flatMap((row) => codeSpans(row[0]));
  const startup = tableRows(tables, headers.startup);
  const flags = startup.flatMap((row) => codeSpans(row[0]).flatMap((code) => code.match(/--[a-z][a-z-]*/g) ?? []));
  const env = startup.flatMap((row) => codeSpans(row[1] ?? "").filter((code) => /^APIYI_[A-Z0-9_]+$/.test(code)));
  return { commands: sorted(commands), settings: sorted(settings), flags: sorted(flags), env: sorted(env) };
}

function listed(entry: (typeof READMES)[number]) {
  const text = readFileSync(join(ROOT, entry.file), "utf8");
  return { text, ...extract(text, entry) };
}

// what the code has: the CLI's command table, the settings registry, the config's flags and variables
// (env-only ones are read in src/config.ts, the only module that reads process.env for the config)
const configSource = readFileSync(join(ROOT, "src/config.ts"), "utf8");
const KNOWN = {
  commands: sorted(COMMANDS.map((c) => c.name)),
  settings: sorted(Object.keys(SETTINGS)),
  flags: sorted(Object.values(CONFIG_FIELDS).map((f) => `--${f.flag}`)),
  env: sorted([
    ...Object.values(CONFIG_FIELDS).map((f) => f.env),
    ...[...configSource.matchAll(/env\.(APIYI_[A-Z0-9_]+)/g)].map((m) => m[1]),
  ]),
};
const KINDS = ["commands", "settings", "flags", "env"] as const;

const [en, zh] = READMES.map(listed);

describe("README.md and README.zh-CN.md", () => {
  test.each(KINDS)("list the same %s", (kind) => {
    expect(zh[kind]).toEqual(en[kind]);
  });
});

describe.each(READMES.map((entry, i) => [entry.file, [en, zh][i]] as const))("%s", (_file, readme) => {
  test.each(KINDS)("lists exactly the %s the code has", (kind) => {
    expect(readme[kind]).toEqual(KNOWN[kind]);
  });

  test("names every flag of every command", () => {
    const flags = COMMANDS.flatMap((c) => Object.keys(c.options).map((name) => `--${name}`));
    // a whole flag: --model is not found in --models
    const missing = sorted(flags).filter((flag) => !new RegExp(`${flag}(?![a-z-])`).test(readme.text));
    expect(missing).toEqual([]);
  });
});

describe("the rule", () => {
  test("reads commands in fences and table code, settings and flags in their tables' cells", () => {
    const md = [
      "apiyi prose is not read, nor `apiyi version` in prose",
      "```",
      "apiyi serve [--port N]",
      "./apiyi token create --user U",
      "apiyi backup FILE",
      "docker logs apiyi   # not a command",
      "```",
      "| setting | default |",
      "|---|---|",
      "| `a_b`, `c_d` | `apiyi price set`, the value of `today\\|7d` |",
      "",
      "| flag | environment |",
      "|---|---|",
      "| `--port N` | `APIYI_PORT` |",
      "| — | `APIYI_SECRET` |",
    ].join("\n");
    expect(extract(md, { settings: "setting", startup: "flag" })).toEqual({
      commands: ["backup", "price set", "serve", "token create"],
      settings: ["a_b", "c_d"],
      flags: ["--port"],
      env: ["APIYI_PORT", "APIYI_SECRET"],
    });
  });
});
