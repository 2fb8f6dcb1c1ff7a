// The configuration's version: one counter that every management write (tokens, users, groups,
// channels, prices, settings), by any process, bumps after it commits. A server compares it with the
// value it last saw to know whether its in-memory snapshot is stale, instead of PRAGMA data_version,
// which also moves with every balance or log row the relay itself commits. Kept as a row of the
// settings table under a key the settings API never shows (it reads only known settings).
import type { Db } from "../db/open";

/** its row in the settings table (store/pg/config-signal.ts uses the same) */
export const CONFIG_VERSION_KEY = "config_version";

export type ConfigVersion = {
  /** the current version (0 before the first bump) */
  read(): number;
  /** bumps it and returns the new value */
  bump(): number;
};

export function configVersion(db: Db): ConfigVersion {
  const sqlite = db.$client;
  const read = sqlite.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?");
  const bump = sqlite.query<{ value: string }, [string]>(
    "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
  );
  return {
    read: () => Number(read.get(CONFIG_VERSION_KEY)?.value ?? 0),
    bump: () => Number(bump.get(CONFIG_VERSION_KEY)!.value),
  };
}
