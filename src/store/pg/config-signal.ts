// Configuration changes across instances (PostgreSQL): every management write bumps the configuration
// version (the settings row SQLite uses too, store/config-version.ts) and announces it with NOTIFY in
// the same transaction, so it is heard only once it is visible. Each instance LISTENs, and also reads
// the version every `pollMs` in case a notification was lost (PostgreSQL drops them while a listener
// is reconnecting); both end in `onChange(version)` when the version moved past the one last seen.
import type { SQL } from "bun";
import { CONFIG_VERSION_KEY as KEY } from "../config-version";

export const CONFIG_CHANNEL = "apiyi_config";

/** Reads the configuration version (0 before the first bump). */
export async function readConfigVersion(sql: SQL): Promise<number> {
  const [row] = await sql`SELECT value FROM settings WHERE key = ${KEY}`;
  return row ? Number(row.value) : 0;
}

/** Bumps the version inside the write's transaction `tx` and announces it on commit; returns it. */
export async function bumpConfigVersion(tx: SQL): Promise<number> {
  const [row] = await tx`INSERT INTO settings (key, value) VALUES (${KEY}, '1')
    ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text RETURNING value`;
  await tx`SELECT pg_notify(${CONFIG_CHANNEL}, ${row.value})`;
  return Number(row.value);
}

export type ConfigWatch = { stop: () => Promise<void> };

/** Calls `onChange` with each version newer than `seen` that a notification or a poll reveals. */
export async function watchConfig(
  sql: SQL,
  seen: number,
  onChange: (version: number) => void,
  pollMs = 500,
): Promise<ConfigWatch> {
  let last = seen;
  const offer = (version: number) => {
    if (!(version > last)) return;
    last = version;
    onChange(version);
  };
  const poll = () =>
    readConfigVersion(sql).then(offer, () => {
      // unreachable for now: the next poll or notification catches up
    });
  // the third argument runs after every reconnect of the listening connection: catch up then
  const subscription = await sql.listen(CONFIG_CHANNEL, (payload) => offer(Number(payload)), poll);
  const timer = setInterval(poll, pollMs);
  return {
    async stop() {
      clearInterval(timer);
      await subscription.unlisten();
    },
  };
}
