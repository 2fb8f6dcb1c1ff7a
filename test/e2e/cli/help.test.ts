// --help for the whole CLI, walked from the command table itself (so commands added later are
// covered): every command answers --help and -h with its usage line (exit 0), and an unknown flag
// with one line that names the command and points at its --help (exit 2); every command group
// (`apiyi token`, `apiyi channel`, …) answers --help and -h with its subcommands, and a missing or
// unknown subcommand with the same list (exit 2).
import { beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { COMMANDS } from "../../../src/cli/index";
import { groupsOf, membersOf } from "../../../src/cli/help";
import { expectOneLineError } from "../../support/expect";
import { cli, scratchDirs } from "../../support/server";

// each test runs several CLI processes: give them room on a loaded 2-core machine
setDefaultTimeout(60_000);

const newDir = scratchDirs("apiyi-help-");
let cwd: string;
beforeAll(() => {
  cwd = newDir(); // an empty folder: a command that wrongly runs cannot touch the repository's ./data
});

const run = (args: string[]) => cli(args, { cwd });

/** Runs `args` for every item, four processes at a time (the machine has two cores). */
async function each<T>(items: T[], args: (item: T) => string[]) {
  const out: Awaited<ReturnType<typeof run>>[] = [];
  for (let i = 0; i < items.length; i += 4)
    out.push(...(await Promise.all(items.slice(i, i + 4).map((item) => run(args(item))))));
  return out;
}

const NAMES = COMMANDS.map((c) => c.name);
const GROUPS = groupsOf(COMMANDS);
const words = (name: string) => name.split(" ");

test("the command table has groups (a test that walks nothing proves nothing)", () => {
  expect(GROUPS).toEqual(expect.arrayContaining(["admin", "token", "channel", "price"]));
});

describe("every command", () => {
  for (const help of ["--help", "-h"]) {
    test(`${help} exits 0 with its usage line`, async () => {
      const results = await each(NAMES, (name) => [...words(name), help]);
      results.forEach((r, i) => {
        const got = {
          command: NAMES[i],
          code: r.code,
          firstLine: r.stdout.split("\n")[0].startsWith(`usage: apiyi ${NAMES[i]}`),
          stderr: r.stderr,
        };
        expect(got).toEqual({ command: NAMES[i], code: 0, firstLine: true, stderr: "" });
      });
    });
  }

  test("an unknown flag exits 2 with one line naming the command and its --help", async () => {
    const results = await each(NAMES, (name) => [...words(name), "--no-such-flag", "1"]);
    results.forEach((r, i) => {
      const name = NAMES[i];
      expect({ command: name, code: r.code, stderr: r.stderr }).toEqual({
        command: name,
        code: 2,
        stderr: `apiyi ${name}: unknown flag --no-such-flag; see apiyi ${name} --help\n`,
      });
    });
  });

  test("`apiyi help <command>` is `<command> --help`", async () => {
    const r = await run(["help", ...words(NAMES.at(-1)!)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith(`usage: apiyi ${NAMES.at(-1)}`);
  });
});

describe("every command group", () => {
  for (const help of ["--help", "-h"]) {
    test(`${help} exits 0 and lists the group's subcommands`, async () => {
      const results = await each(GROUPS, (group) => [group, help]);
      results.forEach((r, i) => {
        expect({ group: GROUPS[i], code: r.code }).toEqual({ group: GROUPS[i], code: 0 });
        expect(r.stdout).toStartWith(`usage: apiyi ${GROUPS[i]} <subcommand>`);
        for (const member of membersOf(GROUPS[i], COMMANDS)) expect(r.stdout).toContain(`  ${member.name} `);
      });
    });
  }

  test("without a subcommand: the group's help, exit 2", async () => {
    const results = await each(GROUPS, (group) => [group]);
    results.forEach((r, i) => {
      expect({ group: GROUPS[i], code: r.code }).toEqual({ group: GROUPS[i], code: 2 });
      expect(r.stdout).toStartWith(`usage: apiyi ${GROUPS[i]} <subcommand>`);
    });
  });

  test("an unknown subcommand: one line listing the subcommands and the group's --help, exit 2", async () => {
    const results = await each(GROUPS, (group) => [group, "frobnicate"]);
    results.forEach((r, i) => {
      const group = GROUPS[i];
      expectOneLineError(r, `unknown command "${group} frobnicate"`, group);
      expect(r.stderr).toContain(`see apiyi ${group} --help`);
      for (const member of membersOf(group, COMMANDS)) expect(r.stderr).toContain(member.name.split(" ")[1]);
    });
  });
});

describe("flag mistakes name the flag and the command's --help", () => {
  test("a near miss suggests the flag", async () => {
    const r = await run(["token", "create", "--quta-usd", "1"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      stderr:
        "apiyi token create: unknown flag --quta-usd (did you mean --quota-usd?); see apiyi token create --help\n",
    });
  });

  test("a flag without its value, and a value on a switch", async () => {
    const missing = await run(["token", "create", "--user"]);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: "apiyi token create: --user needs a value; see apiyi token create --help\n",
    });
    const onHelp = await run(["price", "list", "--help=yes"]);
    expect({ code: onHelp.code, stderr: onHelp.stderr }).toEqual({
      code: 2,
      stderr: "apiyi price list: --help does not take a value; see apiyi price list --help\n",
    });
  });
});
