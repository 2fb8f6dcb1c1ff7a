// Flag parsing for every subcommand: strict (an unknown or malformed flag is an error), with a
// --help that prints the command's usage. Problems become a CliError: one line, exit code 2.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config";
import { AppError } from "../errors";

export class CliError extends Error {}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Flags = Record<string, string | boolean | undefined>;

export type Command = {
  /** "serve", "admin create" … */
  name: string;
  summary: string;
  /** the flags part of the usage line, e.g. "--username U --password P" */
  usage: string;
  options: Options;
  /** one line per flag for --help */
  help?: string[];
  /** service field → flag, so that a refused field is reported by the flag the person typed */
  flagNames?: Record<string, string>;
  run(flags: Flags): Promise<number | void>;
};

export const SERVER_OPTIONS: Options = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
};

/** node's parseArgs refuses a value on a boolean flag: take `--flag=true|false` here (a bare --flag
 * stays true), so a switch can also be turned off (`--supports-responses=false`). */
function inlineBooleans(cmd: Command, argv: string[]) {
  const set: Record<string, boolean> = {};
  const end = argv.indexOf("--");
  const args = argv.filter((arg, i) => {
    const m = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!m || (end >= 0 && i > end) || cmd.options[m[1]]?.type !== "boolean") return true;
    if (m[2] !== "true" && m[2] !== "false") throw new CliError(`--${m[1]}: write --${m[1]}, --${m[1]}=true or --${m[1]}=false`);
    set[m[1]] = m[2] === "true";
    return false;
  });
  return { args, set };
}

export function parseFlags(cmd: Command, argv: string[]): Flags | "help" {
  try {
    const inline = inlineBooleans(cmd, argv);
    const { values, positionals } = parseArgs({
      args: inline.args,
      options: { ...cmd.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) return "help";
    if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"`);
    return { ...values, ...inline.set } as Flags;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message.split("\n")[0]);
  }
}

export const usageOf = (cmd: Command) =>
  [`usage: apiyi ${cmd.name} ${cmd.usage}`.trimEnd(), "", cmd.summary, ...(cmd.help?.length ? ["", ...cmd.help] : [])].join("\n");

/** Turns anything a command throws into the one-line message a person at a terminal needs. */
export function describeFailure(e: unknown, flagNames: Record<string, string> = {}): { message: string; code: number } {
  if (e instanceof CliError || e instanceof ConfigError) return { message: e.message, code: 2 };
  if (e instanceof AppError) {
    const flag = e.param ? flagNames[e.param] : undefined;
    const message = flag ? e.message.replace(`${e.param}:`, `${flag}:`) : e.message;
    return { message, code: e.status < 500 ? 2 : 1 };
  }
  return { message: (e as Error)?.message ?? String(e), code: 1 };
}

export function requireFlag(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || v === "") throw new CliError(`--${name} is required`);
  return v;
}

/** The URL at which this machine reaches a server listening on host:port (0.0.0.0 → 127.0.0.1). */
export function localUrl(host: string, port: number) {
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
