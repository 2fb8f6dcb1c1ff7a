// Flag parsing for every subcommand: strict (an unknown or malformed flag is an error), with a
// --help (-h) that prints the command's usage. Problems become a CliError: one line that names the
// flag and points at the command's --help, exit code 2.
import { networkInterfaces } from "node:os";
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
  /** required positional arguments, by name ("FILE"): each is given to run() as flags[name.toLowerCase()] */
  positionals?: string[];
  // biome-ignore lint/suspicious/noConfusingVoidType: a run() that returns nothing (most do) exits 0
  run(flags: Flags): Promise<number | void>;
};

export const SERVER_OPTIONS: Options = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  database: { type: "string" },
};

/** node's parseArgs refuses a value on a boolean flag: take `--flag=true|false` here (a bare --flag
 * stays true), so a switch can also be turned off (`--supports-responses=false`). */
function inlineBooleans(cmd: Command, argv: string[], refuse: (problem: string) => never) {
  const set: Record<string, boolean> = {};
  const end = argv.indexOf("--");
  const args = argv.filter((arg, i) => {
    const m = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!m || (end >= 0 && i > end) || cmd.options[m[1]]?.type !== "boolean") return true;
    if (m[2] !== "true" && m[2] !== "false") refuse(`--${m[1]}: write --${m[1]}, --${m[1]}=true or --${m[1]}=false`);
    set[m[1]] = m[2] === "true";
    return false;
  });
  return { args, set };
}

const HELP_OPTION = { type: "boolean", short: "h" } as const;

/** The first flag in argv that `cmd` does not know, as typed (`--quta-usd`, `-x`); values of string
 * flags and everything after `--` are skipped. */
function unknownFlag(cmd: Command, argv: string[]): string | undefined {
  const options: Options = { ...cmd.options, help: HELP_OPTION };
  const shorts = new Map(Object.values(options).flatMap((o) => (o.short ? [[o.short, o] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") continue;
    const long = arg.startsWith("--");
    const name = long ? arg.slice(2).split("=")[0] : arg.slice(1);
    const option = long ? options[name] : shorts.get(name);
    if (!option) return long ? `--${name}` : arg;
    if (option.type === "string" && !arg.includes("=")) i++; // its value follows
  }
  return undefined;
}

/** Edit distance, for "did you mean": small inputs only (flag names). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** " (did you mean --quota-usd?)" when a known flag is close to the one typed. */
function suggestion(cmd: Command, typed: string): string {
  const name = typed.replace(/^-+/, "");
  const close = Object.keys(cmd.options)
    .map((known) => ({ known, d: distance(name, known) }))
    .filter((c) => c.d <= Math.max(1, Math.floor(name.length / 4)))
    .sort((a, b) => a.d - b.d)[0];
  return close ? ` (did you mean --${close.known}?)` : "";
}

/** node's parseArgs messages → ours; each names the flag and points at the command's --help. */
function parseProblem(e: Error & { code?: string }): string {
  const flag = /'(?:-\w, )?(--?[^' ]+)/.exec(e.message)?.[1];
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
    if (/ argument missing/.test(e.message)) return `${flag} needs a value`;
    if (/ argument is ambiguous/.test(e.message))
      return `${flag} needs a value (one that starts with - is written ${flag}=-X)`;
    return `${flag} does not take a value`;
  }
  return e.message.split("\n")[0];
}

export const helpHint = (cmd: Command) => `see apiyi ${cmd.name} --help`;

export function parseFlags(cmd: Command, argv: string[]): Flags | "help" {
  const refuse = (problem: string): never => {
    throw new CliError(`${problem}; ${helpHint(cmd)}`);
  };
  const unknown = unknownFlag(cmd, argv);
  if (unknown) refuse(`unknown flag ${unknown}${suggestion(cmd, unknown)}`);
  const inline = inlineBooleans(cmd, argv, refuse);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: inline.args,
      options: { ...cmd.options, help: HELP_OPTION },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    return refuse(parseProblem(e as Error & { code?: string }));
  }
  if (parsed.values.help) return "help";
  const names = cmd.positionals ?? [];
  if (parsed.positionals.length > names.length) refuse(`unexpected argument "${parsed.positionals[names.length]}"`);
  if (parsed.positionals.length < names.length) refuse(`${names[parsed.positionals.length]} is missing`);
  const given = Object.fromEntries(names.map((name, i) => [name.toLowerCase(), parsed.positionals[i]]));
  return { ...parsed.values, ...inline.set, ...given } as Flags;
}

export const usageOf = (cmd: Command) =>
  [
    `usage: apiyi ${cmd.name} ${cmd.usage}`.trimEnd(),
    "",
    cmd.summary,
    ...(cmd.help?.length ? ["", ...cmd.help] : []),
  ].join("\n");

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

const isWildcard = (host: string) => host === "0.0.0.0" || host === "::";
const hostPort = (host: string, port: number) => `${host.includes(":") ? `[${host}]` : host}:${port}`;

/** The URL at which this machine reaches a server listening on host:port (0.0.0.0 → 127.0.0.1). */
export function localUrl(host: string, port: number) {
  return `http://${hostPort(isWildcard(host) ? "127.0.0.1" : host, port)}`;
}

/** What `serve` prints once listening: the address it is really bound to, and URLs that reach it.
 * On 0.0.0.0 / :: that is every interface: 127.0.0.1 from this machine, and the machine's own
 * addresses (in a container, the container's; from outside, the published port). */
/** `data`: the data dir, or the PostgreSQL URL (password hidden) */
export function listeningLines(host: string, port: number, data: string) {
  const local = localUrl(host, port);
  if (!isWildcard(host)) return { listening: `listening on ${local} (data: ${data})`, console: `console: ${local}/` };
  const others = Object.values(networkInterfaces())
    .flat()
    // IPv6 only when bound to ::, never link-local (fe80:: needs a zone to be reached)
    .filter((a) => a && !a.internal && (a.family === "IPv4" || (host === "::" && !a.address.startsWith("fe80"))))
    .slice(0, 3)
    .map((a) => `http://${hostPort(a!.address, port)}/`);
  return {
    listening: `listening on ${hostPort(host, port)}, every interface (data: ${data})`,
    console: `console: ${local}/ from this machine${others.length ? `; from others: ${others.join(", ")}` : ""}`,
  };
}
