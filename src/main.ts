// The CLI entry: picks a subcommand and runs it, nothing else.
import "./boot-env";
import { runCli } from "./cli/index";
import { dieWithParent, needsRelaunch, relaunchWithFetchLimit } from "./cli/fetch-limit";

const argv = process.argv.slice(2);
if (argv[0] === "serve" && !argv.includes("--help") && !argv.includes("-h") && needsRelaunch()) {
  process.exitCode = await relaunchWithFetchLimit(argv);
} else {
  dieWithParent();
  process.exitCode = await runCli(argv);
}
