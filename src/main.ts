// The CLI entry: picks a subcommand and runs it, nothing else. `serve` on Bun's fetch without the
// fetch limit set relaunches itself first (cli/fetch-limit.ts); the app is imported only after that decision, so the
// relaunching parent stays small. A `serve` started by a package script stops when that script's
// command is stopped (cli/lifeline.ts).
import "./boot-env";
import { needsRelaunch, relaunchWithFetchLimit } from "./cli/fetch-limit";
import { dieWithParent, stopWithLauncher } from "./cli/lifeline";

const argv = process.argv.slice(2);
const serving = argv[0] === "serve" && !argv.includes("--help") && !argv.includes("-h");
if (serving) stopWithLauncher();
if (serving && needsRelaunch()) {
  process.exitCode = await relaunchWithFetchLimit(argv);
} else {
  dieWithParent();
  const { runCli } = await import("./cli/index");
  process.exitCode = await runCli(argv);
}
