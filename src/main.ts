// The CLI entry: picks a subcommand and runs it, nothing else.
import "./boot-env";
import { runCli } from "./cli/index";

process.exitCode = await runCli(process.argv.slice(2));
