// Everything an operation needs, opened once: config, database, repositories, key ring, snapshot.
// api/, console/ and cli/ receive a Ctx and call services with it.
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { type Catalog, loadCatalog } from "../catalog/catalog";
import type { Config } from "../config";
import type { ClusterMember } from "./cluster";
import { Breakers } from "../core/breaker";
import { KeyRing } from "../core/keys";
import { openDatabase, type Db } from "../db/open";
import { configVersion } from "../store/config-version";
import { Ledger } from "../store/ledger";
import { ensureDataDir, loadSecret } from "../store/secret";
import { asyncStores, sqliteStores, type Stores } from "../store/stores";
import { SqliteTx } from "../store/sqlite-tx";
import { ChannelLatencies } from "../core/latency";
import { type Accounts, entryAccounts } from "./accounts";
import { type Clock, makeClock } from "./clock";
import { openPgContext } from "./context-pg";
import type { CallLedger } from "../store/call-ledger";
import { parseSettings } from "./settings";
import { SnapshotHolder } from "./snapshot";

/** What the seeded default group says about itself (the models it serves are shown beside it). */
export const DEFAULT_GROUP_DESCRIPTION = "The group every new token uses; multiplier 1";

/** Everything an operation needs, whichever database is behind it. */
export type Ctx = {
  config: Config;
  /** the price catalog this binary carries (a test may give another) */
  catalog: Catalog;
  /** channel health is process state like the snapshot: the relay feeds it, admin views read it */
  breakers: Breakers;
  keys: KeyRing;
  store: Stores;
  snapshot: SnapshotHolder;
  ledger: CallLedger;
  /** where calls' holds come from (services/accounts.ts) */
  accounts: Accounts;
  clock: Clock;
  /** recent upstream latencies per channel, fed by the relay (the channel list's p50) */
  latencies: ChannelLatencies;
  /** unix seconds (budget periods, expiry, the alert limit, views) */
  now: () => number;
  /** one transaction; its body awaits only store calls. SQLite: BEGIN IMMEDIATE after the ledger's queue
   * is written, so a balance read inside is the true one (store/sqlite-tx.ts); PostgreSQL: the services'
   * advisory lock first (store/pg/pg-tx.ts) */
  tx: <T>(fn: () => Promise<T> | T) => Promise<T>;
  close: () => Promise<void>;
  /** SQLite's handle and file (start-up's release of stale holds, the WAL checkpointer); null on PostgreSQL */
  sqlite: { db: Db; path: string } | null;
  /** this instance's membership of its PostgreSQL cluster; null on SQLite */
  cluster: ClusterMember | null;
};

/** Whether this process runs the once-per-cluster work (on SQLite it is the only one). */
export const leads = (ctx: Pick<Ctx, "cluster">) => !ctx.cluster || ctx.cluster.leader.leading;

/** The default group, made where missing. The first seed's description said "every model", untrue once a
 * channel serves fewer: it is replaced where no one edited it. */
export async function ensureDefaultGroup(store: Pick<Stores, "groups">) {
  await store.groups.ensure({ name: "default", description: DEFAULT_GROUP_DESCRIPTION });
  if ((await store.groups.get("default"))?.description === "Default group: every model, multiplier 1")
    await store.groups.update("default", { description: DEFAULT_GROUP_DESCRIPTION });
}

/** The parts that do not depend on the database. */
export function commonParts(config: Config, snapshot: SnapshotHolder) {
  // the real clock, except in a test that set APIYI_TEST_CLOCK_MS (honoured only when NODE_ENV=test)
  const clock = makeClock(config.testClockMs);
  return {
    config,
    catalog: loadCatalog(config.testPriceCatalog),
    breakers: new Breakers(() => snapshot.current.relay.breaker),
    snapshot,
    clock,
    latencies: new ChannelLatencies(),
    now: () => Math.floor(clock.nowMs() / 1000),
  };
}

/** The context on the configured database: PostgreSQL when --database / APIYI_DATABASE_URL names one. */
export function openContext(config: Config): Promise<Ctx> {
  return config.database ? openPgContext(config, config.database) : openSqliteContext(config);
}

async function openSqliteContext(config: Config): Promise<Ctx> {
  ensureDataDir(config.dataDir);
  const keys = new KeyRing(loadSecret(config.dataDir, config.secret));
  const dbPath = join(config.dataDir, "apiyi.db");
  // create the file 0600 first: SQLite gives its -wal and -shm files the same mode
  closeSync(openSync(dbPath, "a", 0o600));
  const db: Db = openDatabase(dbPath);
  const sync = sqliteStores(db);
  // the ledger's queue is written before a transaction begins, so a balance read inside is the true one
  const gate = new SqliteTx(db.$client, () => ledger.flushAll());
  const ledger = new Ledger(db, undefined, gate);
  const store = asyncStores(sync, gate);
  await ensureDefaultGroup(store);
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
  return {
    ...commonParts(config, snapshot),
    sqlite: { db, path: dbPath },
    cluster: null,
    keys,
    store,
    ledger,
    accounts: entryAccounts,
    tx: (fn) => gate.run(fn),
    async close() {
      snapshot.stop();
      db.$client.close();
    },
  };
}
