// `apiyi backup FILE`: a consistent copy of the database, safe while the server runs (services/backup.ts).
import { loadConfig } from "../config";
import { backupDatabase } from "../services/backup";
import type { Command } from "./args";
import { DATA_HELP, DATA_OPTIONS } from "./open";

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export const backup: Command = {
  name: "backup",
  summary:
    "Copy the database to FILE, consistently, while the server runs (refuses to overwrite FILE without --force).",
  usage: "FILE [--force] [--data-dir DIR]",
  positionals: ["FILE"],
  options: { force: { type: "boolean" }, ...DATA_OPTIONS },
  help: [
    "  FILE             where the copy goes (mode 0600); restore it as <data-dir>/apiyi.db, see README",
    "  --force          replace FILE if it exists",
    DATA_HELP,
    "",
    "The copy needs the data dir's secret file (or APIYI_SECRET) to be of use: keep them together.",
  ],
  async run(flags) {
    const { dataDir } = loadConfig({ "data-dir": flags["data-dir"] });
    const r = backupDatabase(dataDir, flags.file as string, { force: flags.force === true });
    console.log(
      `backup written: ${r.path} (${mib(r.bytes)} MiB: ${r.users} users, ${r.tokens} tokens, ${r.logs} log rows)`,
    );
    console.log(
      r.secretFile
        ? `keep it with the secret: ${r.secretFile} (no key works without it)`
        : "keep it with the APIYI_SECRET the server runs with (no key works without it)",
    );
  },
};
