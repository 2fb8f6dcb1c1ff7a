// The command table and dispatcher: `apiyi <command> [flags]`.
import { adminCreate, adminResetPassword } from "./admin";
import { type Command, describeFailure, parseFlags, usageOf } from "./args";
import { channelAdd, channelDisable, channelEnable, channelList, channelTest, channelUpdate } from "./channel";
import { serve } from "./serve";
import { health, migrate, version } from "./simple";
import { priceList, priceSet } from "./price";
import { tokenCreate } from "./token";

const COMMANDS: Command[] = [serve, migrate, version, health, adminCreate, adminResetPassword, tokenCreate, channelAdd, channelUpdate, channelList, channelEnable, channelDisable, channelTest, priceSet, priceList];

const overview = () =>
  ["usage: apiyi <command> [flags]   (apiyi <command> --help for its flags)", "", "commands:"]
    .concat(COMMANDS.map((c) => `  ${c.name.padEnd(22)}${c.summary}`))
    .join("\n");

export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(overview());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version") argv = ["version"];
  // two-word commands ("admin create") first, then one-word ones
  const cmd =
    COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`) ?? COMMANDS.find((c) => c.name === argv[0]);
  if (!cmd) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name);
    const hint = group.length ? `; try: ${group.join(", ")}` : "; run apiyi --help";
    console.error(`apiyi: unknown command "${argv.slice(0, group.length ? 2 : 1).join(" ")}"${hint}`);
    return 2;
  }
  try {
    const flags = parseFlags(cmd, argv.slice(cmd.name.split(" ").length));
    if (flags === "help") {
      console.log(usageOf(cmd));
      return 0;
    }
    return (await cmd.run(flags)) ?? 0;
  } catch (e) {
    const { message, code } = describeFailure(e, cmd.flagNames);
    console.error(`apiyi ${cmd.name}: ${message}`);
    return code;
  }
}
