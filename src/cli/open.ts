// Opens the data dir for a CLI command the way the server does (same config, same migrations).
import { loadConfig } from "../config";
import { USER_ROLE } from "../core/status";
import type { Actor } from "../services/actor";
import { openContext, type Ctx } from "../services/context";
import { type Flags, SERVER_OPTIONS } from "./args";

export const DATA_OPTIONS = { "data-dir": SERVER_OPTIONS["data-dir"], database: SERVER_OPTIONS.database };
export const DATA_HELP = [
  "  --data-dir DIR   data folder (env APIYI_DATA_DIR, default ./data)",
  "  --database URL   PostgreSQL instead of the data folder's SQLite: postgres://user@host:5432/db",
  "                   (env APIYI_DATABASE_URL; a password goes there or in PGPASSWORD, never on the command line)",
].join("\n");

export function openFromFlags(flags: Flags) {
  return openContext(loadConfig({ "data-dir": flags["data-dir"], database: flags.database }));
}

/** Opens the data dir, runs `work` with it, and always closes it again. */
export async function withData<T>(flags: Flags, work: (ctx: Ctx) => T | Promise<T>): Promise<T> {
  const ctx = await openFromFlags(flags);
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

/** The operator at the terminal acts as an admin. */
export const OPERATOR: Actor = { id: 0, username: "cli", role: USER_ROLE.admin };
