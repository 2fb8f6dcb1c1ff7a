// Help texts built from the command table: the overview (`apiyi --help`) and a command group's help
// (`apiyi token --help`), a group being the first word of two-word commands ("token create"). A
// command's own usage is usageOf (cli/args.ts).
import type { Command } from "./args";

const row = (c: Command) => `  ${c.name.padEnd(22)}${c.summary}`;

/** The groups ("admin", "channel", …) in the order their first command appears. */
export const groupsOf = (commands: Command[]) => [
  ...new Set(commands.filter((c) => c.name.includes(" ")).map((c) => c.name.split(" ")[0])),
];

export const membersOf = (group: string, commands: Command[]) => commands.filter((c) => c.name.startsWith(`${group} `));

export const overview = (commands: Command[]) =>
  [
    "usage: apiyi <command> [flags]   (apiyi <command> --help for its flags; apiyi <group> --help for a group's commands)",
    "",
    "commands:",
  ]
    .concat(commands.map(row))
    .join("\n");

export const groupUsage = (group: string, commands: Command[]) =>
  [
    `usage: apiyi ${group} <subcommand> [flags]   (apiyi ${group} <subcommand> --help for its flags)`,
    "",
    "subcommands:",
  ]
    .concat(membersOf(group, commands).map(row))
    .join("\n");
