// The command table and dispatcher: `apiyi <command> [flags]`, `apiyi <group> <subcommand> [flags]`.
// Every command and every group answers --help / -h (and `apiyi help <command…>`).
import { adminCreate, adminResetPassword } from "./admin";
import { type Command, describeFailure, parseFlags, usageOf } from "./args";
import { backup } from "./backup";
import { channelAdd, channelDisable, channelEnable, channelList, channelUpdate } from "./channel";
import { channelBalance, channelTest } from "./channel-checks";
import { copy } from "./copy";
import { groupsOf, groupUsage, membersOf, overview } from "./help";
import { serve } from "./serve";
import { health, migrate, version } from "./simple";
import { priceCatalog, priceList, priceSet } from "./price";
import { redemptionCreate } from "./redemption";
import { tokenCreate } from "./token";

export const COMMANDS: Command[] = [
  serve,
  migrate,
  version,
  health,
  backup,
  copy,
  adminCreate,
  adminResetPassword,
  tokenCreate,
  channelAdd,
  channelUpdate,
  channelList,
  channelEnable,
  channelDisable,
  channelTest,
  channelBalance,
  priceSet,
  priceList,
  priceCatalog,
  redemptionCreate,
];

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h" || arg === "help";

export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || (argv.length === 1 && isHelp(argv[0]))) {
    console.log(overview(COMMANDS));
    return argv.length === 0 ? 2 : 0;
  }
  // `apiyi help token create` is `apiyi token create --help`
  if (argv[0] === "help") argv = [...argv.slice(1), "--help"];
  if (argv[0] === "--version") argv = ["version"];
  // two-word commands ("admin create") first, then one-word ones
  const cmd = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`) ?? COMMANDS.find((c) => c.name === argv[0]);
  if (!cmd) return groupOrUnknown(argv);
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

/** `apiyi token`, `apiyi token --help`, `apiyi token frobnicate`, or a command that does not exist. */
function groupOrUnknown(argv: string[]): number {
  const [group, sub] = argv;
  if (!groupsOf(COMMANDS).includes(group)) {
    console.error(`apiyi: unknown command "${group}"; run apiyi --help`);
    return 2;
  }
  if (sub === undefined || isHelp(sub)) {
    console.log(groupUsage(group, COMMANDS));
    return sub === undefined ? 2 : 0;
  }
  const names = membersOf(group, COMMANDS).map((c) => c.name.split(" ")[1]);
  console.error(
    `apiyi: unknown command "${group} ${sub}"; ${group}'s subcommands are ${names.join(", ")}; see apiyi ${group} --help`,
  );
  return 2;
}
