// Opens PostgreSQL through Bun's built-in client (Bun.sql: no extra package, in the single binary)
// and drizzle's bun-sql driver over the same pool. Checks the server is 15 or later, then migrates.
import { SQL } from "bun";
import { drizzle } from "drizzle-orm/bun-sql";
import { MigrationError } from "../migrate";
import { applyPgMigrations, type UnderLock } from "./migrate";
import * as schema from "./schema";
import { redactDatabaseUrl } from "./url";

export type PgDb = ReturnType<typeof drizzle<typeof schema>> & { $client: SQL };

/** The oldest server this schema and its SQL are tested on. */
export const MIN_SERVER_VERSION = 150000;

/** A pool on `url`: a connection attempt gives up after 5 s (a refused one fails at once); a dead peer is
 * found by Bun's TCP keepalive. */
export const connectPostgres = (url: string, max = 10) =>
  new SQL({ url, max, connectionTimeout: 5, idleTimeout: 60, connection: { application_name: "apiyi" } });

/** Names the server and says why it could not be used, never showing the password. */
export class DatabaseUnavailable extends MigrationError {}

async function checkServer(sql: SQL, url: string) {
  let version: number;
  try {
    const [row] = await sql`SELECT current_setting('server_version_num')::int AS v`;
    version = row.v;
  } catch (e) {
    throw new DatabaseUnavailable(`cannot reach PostgreSQL at ${redactDatabaseUrl(url)}: ${(e as Error).message}`);
  }
  if (version < MIN_SERVER_VERSION)
    throw new DatabaseUnavailable(
      `PostgreSQL ${Math.floor(version / 10000)} at ${redactDatabaseUrl(url)} is too old: apiyi needs 15 or later`,
    );
}

/** Connects, checks the server, applies migrations (and `setup`, once per cluster, under their lock). */
export async function openPostgres(url: string, setup?: UnderLock): Promise<PgDb> {
  const client = connectPostgres(url);
  try {
    await checkServer(client, url);
    await applyPgMigrations(client, { setup });
  } catch (e) {
    await client.close();
    throw e;
  }
  return drizzle({ client, schema }) as PgDb;
}
