// The CLI entry: picks a subcommand and runs it, nothing else. `serve` without the fetch limit set
// relaunches itself first (cli/fetch-limit.ts); the app is imported only after that decision, so the
// relaunching parent stays small.
import "./boot-env";
import { dieWithParent, needsRelaunch, relaunchWithFetchLimit } from "./cli/fetch-limit";

const argv = process.argv.slice(2);
if (argv[0] === "serve" && !argv.includes("--help") && !argv.includes("-h") && needsRelaunch()) {
  process.exitCode = await relaunchWithFetchLimit(argv);
} else {
  dieWithParent();
  const { runCli } = await import("./cli/index");
  process.exitCode = await runCli(argv);
}
