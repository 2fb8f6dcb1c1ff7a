// The stores services use (ctx.store), one per table or concern. `Stores` is their shape as services
// see it, methods answering promises; SQLite builds it from its synchronous stores here, PostgreSQL from
// the twins under store/pg/ (store/pg/stores.ts), and both must match this shape.
import type { Db } from "../db/open";
import { alertStore } from "./alerts";
import { asyncStore, type Async } from "./async-store";
import { channelHealthStore } from "./channel-health";
import { channelStore } from "./channels";
import { groupStore } from "./groups";
import { hourlyReads } from "./hourly-reads";
import { logBrowseStore } from "./log-browse";
import { logStore } from "./logs";
import { priceStore } from "./prices";
import { redemptionStore } from "./redemptions";
import { usageStore } from "./rollups";
import { sessionStore } from "./sessions";
import { settingStore } from "./settings";
import type { SqliteTx } from "./sqlite-tx";
import { tokenStore } from "./tokens";
import { userStore } from "./users";
import { videoStore } from "./videos";

/** SQLite's stores, synchronous (the snapshot's loader and start-up use them directly). */
export const sqliteStores = (db: Db) => ({
  users: userStore(db),
  tokens: tokenStore(db),
  groups: groupStore(db),
  settings: settingStore(db),
  sessions: sessionStore(db),
  logs: logStore(db),
  channels: channelStore(db),
  prices: priceStore(db),
  alerts: alertStore(db),
  redemptions: redemptionStore(db),
  videos: videoStore(db),
  usage: usageStore(db),
  logBrowse: logBrowseStore(db),
  hourly: hourlyReads(db),
  health: channelHealthStore(db),
});

type SyncStores = ReturnType<typeof sqliteStores>;

/** Every store as services call it, whichever database is behind it. */
export type Stores = { [K in keyof SyncStores]: Async<SyncStores[K]> };

/** SQLite's stores with methods that answer promises, each call passing the transaction gate. */
export function asyncStores(sync: SyncStores, gate: SqliteTx): Stores {
  return Object.fromEntries(Object.entries(sync).map(([k, s]) => [k, asyncStore(s, gate)])) as Stores;
}
