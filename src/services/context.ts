// Everything an operation needs, opened once: config, database, repositories, key ring, snapshot.
// api/, console/ and cli/ receive a Ctx and call services with it.
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../catalog/catalog";
import { ConfigError, type Config } from "../config";
import { Breakers } from "../core/breaker";
import { KeyRing } from "../core/keys";
import { openDatabase, type Db } from "../db/open";
import { configVersion } from "../store/config-version";
import { Ledger } from "../store/ledger";
import { ensureDataDir, loadSecret } from "../store/secret";
import { asyncStores, sqliteStores } from "../store/stores";
import { SqliteTx } from "../store/sqlite-tx";
import { ChannelLatencies } from "../core/latency";
import { makeClock } from "./clock";
import { parseSettings } from "./settings";
import { SnapshotHolder } from "./snapshot";

/** What the seeded default group says about itself (the models it serves are shown beside it). */
export const DEFAULT_GROUP_DESCRIPTION = "The group every new token uses; multiplier 1";

export type Ctx = Awaited<ReturnType<typeof openContext>>;

export async function openContext(config: Config) {
  if (config.database)
    throw new ConfigError(
      "PostgreSQL (--database / APIYI_DATABASE_URL): this version only migrates it (apiyi migrate --database URL) and copies a data dir into it (apiyi copy --to URL); serving from it is not built yet, see README's PostgreSQL section",
    );
  ensureDataDir(config.dataDir);
  const keys = new KeyRing(loadSecret(config.dataDir, config.secret));
  const dbPath = join(config.dataDir, "apiyi.db");
  // create the file 0600 first: SQLite gives its -wal and -shm files the same mode
  closeSync(openSync(dbPath, "a", 0o600));
  const db: Db = openDatabase(dbPath);
  const sync = sqliteStores(db);
  sync.groups.ensure({ name: "default", description: DEFAULT_GROUP_DESCRIPTION });
  // the first seed said "every model", untrue once a channel serves fewer: replace it where unedited
  if (sync.groups.get("default")?.description === "Default group: every model, multiplier 1")
    sync.groups.update("default", { description: DEFAULT_GROUP_DESCRIPTION });
  // the ledger's queue is written before a transaction begins, so a balance read inside is the true one
  const gate = new SqliteTx(db.$client, () => ledger.flushAll());
  const ledger = new Ledger(db, undefined, gate);
  const store = asyncStores(sync, gate);
  const snapshot = await SnapshotHolder.load({
    tokens: sync.tokens.all,
    users: sync.users.all,
    groups: sync.groups.all,
    channels: sync.channels.all,
    prices: sync.prices.all,
    settings: () => parseSettings(sync.settings.all()),
    unseal: (sealed) => keys.unseal(sealed),
    version: configVersion(db),
    // balances in memory run ahead of the database by what the ledger has queued: write it first
    beforeReload: () => ledger.flushAll(),
  });
  // channel health is process state like the snapshot: the relay feeds it, admin views read it
  const breakers = new Breakers(() => snapshot.current.relay.breaker);
  // the real clock, except in a test that set APIYI_TEST_CLOCK_MS (honoured only when NODE_ENV=test)
  const clock = makeClock(config.testClockMs);
  return {
    config,
    /** the price catalog this binary carries (a test may give another) */
    catalog: loadCatalog(config.testPriceCatalog),
    breakers,
    db,
    /** the database file (the WAL checkpointer opens its own connection to it) */
    dbPath,
    keys,
    store,
    snapshot,
    ledger,
    clock,
    /** recent upstream latencies per channel, fed by the relay (the channel list's p50) */
    latencies: new ChannelLatencies(),
    /** unix seconds (budget periods, expiry, the alert limit, views) */
    now: () => Math.floor(clock.nowMs() / 1000),
    /** one transaction that takes the write lock first (read-then-write safe across processes);
     * the ledger's queue is written before, so a balance read in `fn` is the true one. `fn` awaits only
     * store calls (store/sqlite-tx.ts) */
    tx: <T>(fn: () => Promise<T> | T): Promise<T> => gate.run(fn),
    close() {
      snapshot.stop();
      db.$client.close();
    },
  };
}
