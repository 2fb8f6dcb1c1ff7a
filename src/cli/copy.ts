// `apiyi copy --to URL`: the data dir's SQLite database into an empty PostgreSQL database
// (services/copy-to-postgres.ts), then what every instance on that database needs: the same secret.
import { loadConfig } from "../config";
import { databaseUrlSchema, passwordOnCommandLine, redactDatabaseUrl } from "../db/pg/url";
import { type CopyReport, copyToPostgres } from "../services/copy-to-postgres";
import { CliError, type Command, SERVER_OPTIONS } from "./args";

/** `--to`, else APIYI_DATABASE_URL; a password is refused on the command line, where `ps` shows it. */
function targetUrl(to: unknown, fromEnv: string | undefined): string {
  if (typeof to !== "string") {
    if (fromEnv) return fromEnv;
    throw new CliError("--to URL is required (or APIYI_DATABASE_URL): the empty PostgreSQL database to copy into");
  }
  const onCommandLine = passwordOnCommandLine(
    "--to",
    to,
    "put the whole URL in APIYI_DATABASE_URL and leave out --to, or the password in PGPASSWORD",
  );
  if (onCommandLine) throw new CliError(onCommandLine);
  const parsed = databaseUrlSchema.safeParse(to);
  if (!parsed.success) throw new CliError(`--to: ${parsed.error.issues[0]?.message ?? "not a PostgreSQL URL"}`);
  return parsed.data;
}

const WHY =
  "Keys are found by an HMAC of this data dir's secret, and sealed values (token keys, upstream keys, webhook secrets) open only with it.";
const ENV_ONLY = "(in the environment, never as a flag: ps shows flags to every user)";

/** How the secret reaches every instance serving from the copy; the secret itself is never printed. */
function howTheSecretMoves(r: CopyReport): string[] {
  if (r.secret.from === "env")
    return [
      `This copy ran with APIYI_SECRET set: that value is the one. Give every instance the same APIYI_SECRET ${ENV_ONLY}.`,
    ];
  if (r.secret.from === "file")
    return [
      "Every instance that serves from this database needs the same secret, either:",
      `  - the file ${r.secret.path} copied into its data dir as secret, mode 0600 (install -m 600 ${r.secret.path} <its-data-dir>/secret), or`,
      `  - the file's contents in APIYI_SECRET ${ENV_ONLY}.`,
    ];
  return [
    `warning: no secret found (no APIYI_SECRET, no secret file next to ${r.source}): copied keys work nowhere, and the instances must still share one secret (a secret file or APIYI_SECRET).`,
  ];
}

function secretLines(r: CopyReport): string[] {
  const wrong =
    r.secretOpensKeys === false && r.secret.from !== "none"
      ? [
          "warning: that secret does not open the copied keys (did the server run with another one?); the instances need the one it ran with.",
        ]
      : [];
  return [WHY, ...howTheSecretMoves(r), ...wrong];
}

function report(r: CopyReport, url: string): string {
  const width = Math.max(...r.counts.map((c) => c.table.length), ...r.sums.map((s) => s.column.length)) + 2;
  const row = (name: string, value: string | number) => `  ${name.padEnd(width)}${String(value).padStart(14)}`;
  return [
    `copied ${r.source} to ${redactDatabaseUrl(url)} in ${(r.ms / 1000).toFixed(1)} s; checked equal on both sides:`,
    row("table", "rows"),
    ...r.counts.map((c) => row(c.table, c.rows)),
    row("sum", "quota units"),
    ...r.sums.map((s) => row(s.column, s.total)),
    "",
    ...secretLines(r),
  ].join("\n");
}

export const copy: Command = {
  name: "copy",
  summary: "Copy the data dir's SQLite database into an empty PostgreSQL database, checked, all or nothing.",
  usage: "--to URL [--data-dir DIR]",
  options: { to: { type: "string" }, "data-dir": SERVER_OPTIONS["data-dir"] },
  help: [
    "  --to URL         the empty PostgreSQL database: postgres://user@host:5432/db (env APIYI_DATABASE_URL when",
    "                   --to is left out; a password goes there or in PGPASSWORD, never on the command line)",
    "  --data-dir DIR   the data folder to copy (env APIYI_DATA_DIR, default ./data); stop its server first",
    "",
    "Copies every table with its ids, in one transaction, and commits only when every table's row count and",
    "the balance and cost totals are equal on both sides. Refuses a target with any row in it, and a data dir",
    "with holds (a server still running, or one that did not stop cleanly). Then prints how the secret must",
    "follow: every instance on the database needs the same one (secret file or APIYI_SECRET).",
  ],
  async run(flags) {
    const config = loadConfig({ "data-dir": flags["data-dir"] });
    const url = targetUrl(flags.to, config.database);
    const progress = (table: string, rows: number) => console.error(`copying ${table}: ${rows} rows…`);
    const r = await copyToPostgres(config.dataDir, url, { envSecret: config.secret, progress });
    console.log(report(r, url));
  },
};
