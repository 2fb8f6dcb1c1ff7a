// The services' context on PostgreSQL (several instances on one database): the stores under store/pg/,
// the snapshot loaded from them and reloaded when any instance changes the configuration (NOTIFY, with
// a poll as fallback), holds from quota leases and the ledger of this instance's cluster membership
// (services/cluster.ts; `serve` starts it, CLI commands only read and write through the stores).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type Config } from "../config";
import { KeyRing } from "../core/keys";
import { openPostgres } from "../db/pg/client";
import { PgCallLedger } from "../store/pg/call-ledger";
import { bumpConfigVersion, readConfigVersion } from "../store/pg/config-signal";
import { PgTx } from "../store/pg/pg-tx";
import { pgStores } from "../store/pg/stores";
import { loadSecret } from "../store/secret";
import { scaledLease } from "../core/lease-policy";
import { ClusterMember } from "./cluster";
import { commonParts, type Ctx, ensureDefaultGroup } from "./context";
import { leaseAccounts } from "./lease-accounts";
import { keepHeld } from "../store/pg/kept-holds";
import { parseSettings } from "./settings";
import { SnapshotHolder } from "./snapshot";

/** Every instance must seal and unseal keys with the same secret: never one made up here. */
function clusterSecret(config: Config): string {
  if (config.secret) return config.secret;
  if (existsSync(join(config.dataDir, "secret"))) return loadSecret(config.dataDir, undefined);
  throw new ConfigError(
    "on PostgreSQL every instance needs the same secret (it seals the keys): set APIYI_SECRET, or put the data dir's secret file (from `apiyi copy`) in --data-dir",
  );
}

export type PgCtx = Ctx & { cluster: ClusterMember };

export async function openPgContext(config: Config, url: string): Promise<PgCtx> {
  const keys = new KeyRing(clusterSecret(config));
  const db = await openPostgres(url);
  const sql = db.$client;
  const tx = new PgTx(db);
  const store = pgStores(tx);
  await ensureDefaultGroup(store);
  let snapshot: SnapshotHolder | null = null;
  const cluster = new ClusterMember(sql, {
    onConfigChange: () => void snapshot?.reloadIfChanged(),
    onError: () => {}, // said once per outage by the member itself
    settings: config.testLeaseMs ? scaledLease(config.testLeaseMs) : undefined,
  });
  snapshot = await SnapshotHolder.load({
    tokens: () => store.tokens.all(),
    users: () => store.users.all(),
    groups: () => store.groups.all(),
    channels: () => store.channels.all(),
    prices: () => store.prices.all(),
    settings: async () => parseSettings(await store.settings.all()),
    unseal: (sealed) => keys.unseal(sealed),
    version: { read: () => readConfigVersion(sql), bump: () => sql.begin((t) => bumpConfigVersion(t)) },
  });
  const held = snapshot;
  return {
    ...commonParts(config, held),
    keys,
    store,
    ledger: new PgCallLedger(cluster.ledger, sql, tx),
    accounts: leaseAccounts(cluster.leases, (kind, id, amount, period) =>
      keepHeld(tx.db(), cluster.instance, kind, id, amount, period),
    ),
    tx: (fn) => tx.run(fn),
    sqlite: null,
    cluster,
    async close() {
      held.stop();
      await cluster.stop();
      await sql.close();
    },
  };
}
