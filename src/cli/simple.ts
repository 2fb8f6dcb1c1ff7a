// Small commands: `version`, `migrate`, `health`.
import { loadConfig } from "../config";
import { openPostgres } from "../db/pg/client";
import { redactDatabaseUrl } from "../db/pg/url";
import { openContext } from "../services/context";
import { VERSION } from "../version";
import { type Command, localUrl, SERVER_OPTIONS } from "./args";
import { DATA_HELP, DATA_OPTIONS } from "./open";

export const version: Command = {
  name: "version",
  summary: "Print the version.",
  usage: "",
  options: {},
  async run() {
    console.log(VERSION);
  },
};

export const migrate: Command = {
  name: "migrate",
  summary: "Create the database if needed, apply migrations, and exit.",
  usage: "[--data-dir DIR | --database URL]",
  options: DATA_OPTIONS,
  help: [DATA_HELP],
  async run(flags) {
    const config = loadConfig(flags);
    if (config.database) {
      const db = await openPostgres(config.database);
      await db.$client.close();
      console.log(`migrations applied to ${redactDatabaseUrl(config.database)}`);
      return;
    }
    const ctx = await openContext(config);
    await ctx.close();
    console.log("migrations applied");
  },
};

export const health: Command = {
  name: "health",
  summary: "Exit 0 when the local server answers /healthz (for Docker's HEALTHCHECK), else 1.",
  usage: "[--port N] [--host H]",
  options: { port: SERVER_OPTIONS.port, host: SERVER_OPTIONS.host },
  help: ["  --port N   (env APIYI_PORT, default 3000)", "  --host H   (env APIYI_HOST; 0.0.0.0 means this machine)"],
  async run(flags) {
    const { host, port } = loadConfig(flags);
    try {
      const res = await fetch(`${localUrl(host, port)}/healthz`, { signal: AbortSignal.timeout(3000) });
      return res.status === 200 ? 0 : 1;
    } catch {
      return 1;
    }
  },
};
