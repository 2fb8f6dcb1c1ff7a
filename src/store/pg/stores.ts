// PostgreSQL's stores in the shape services use (store/stores.ts), each method on the current task's
// transaction or the pool (pg-tx.ts).
import type { Stores } from "../stores";
import { pgAlertStore } from "./alerts";
import { pgChannelHealthStore } from "./channel-health";
import { pgChannelStore } from "./channels";
import { pgGroupStore } from "./groups";
import { pgHourlyReads } from "./hourly-reads";
import { pgLogBrowseStore } from "./log-browse";
import { pgLogStore } from "./logs";
import type { PgTx } from "./pg-tx";
import { pgPriceStore } from "./prices";
import { pgRedemptionStore } from "./redemptions";
import { pgSessionStore } from "./sessions";
import { pgSettingStore } from "./settings";
import { pgTokenStore } from "./tokens";
import { pgUsageStore } from "./usage";
import { pgUserStore } from "./users";
import { pgVideoStore } from "./videos";

export const pgStores = (tx: PgTx): Stores => ({
  users: pgUserStore(tx),
  tokens: pgTokenStore(tx),
  groups: pgGroupStore(tx),
  settings: pgSettingStore(tx),
  sessions: pgSessionStore(tx),
  logs: pgLogStore(tx),
  channels: pgChannelStore(tx),
  prices: pgPriceStore(tx),
  alerts: pgAlertStore(tx),
  redemptions: pgRedemptionStore(tx),
  videos: pgVideoStore(tx),
  usage: pgUsageStore(tx),
  logBrowse: pgLogBrowseStore(tx),
  hourly: pgHourlyReads(tx),
  health: pgChannelHealthStore(tx),
});
