// Keeps the in-memory snapshot true: services patch it after each write they make; writes by other
// processes on the same database (the CLI) are noticed through PRAGMA data_version and reloaded.
import type { Database } from "bun:sqlite";
import {
  buildRouteIndex,
  buildSnapshot,
  channelEntry,
  groupEntry,
  pricesByModel,
  tokenEntry,
  userEntry,
  type RelaySettings,
  type Snapshot,
  type SnapshotRows,
} from "../core/snapshot";
import type { TokenRow, UserRow } from "../db/schema";

type Source = { [K in keyof SnapshotRows]: () => SnapshotRows[K] } & {
  unseal: (sealed: string) => string;
  /** runs before rows are read again (the ledger writes what it has queued) */
  beforeReload?: () => void;
};

export class SnapshotHolder {
  current: Snapshot;
  /** bumped on every change, so readers (and tests, through /api/status) can tell a reload happened */
  generation = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly source: Source) {
    this.current = this.load();
  }

  private load(): Snapshot {
    const s = this.source;
    s.beforeReload?.();
    return buildSnapshot(
      { tokens: s.tokens(), users: s.users(), groups: s.groups(), channels: s.channels(), prices: s.prices(), relay: s.relay() },
      s.unseal,
    );
  }

  private changed() {
    this.generation++;
  }

  /** Everything from the database again (another process wrote to it). */
  reloadAll() {
    this.current = this.load();
    this.changed();
  }

  /** After a write through the services: the row read back is exact, since ctx.tx() wrote the ledger's
   * queue first. Calls in flight keep their holds: the entry's balance is the row's. */
  putToken(row: TokenRow, previousHash?: string) {
    if (previousHash && previousHash !== row.keyHash) this.current.tokensByHash.delete(previousHash);
    this.current.tokensByHash.set(row.keyHash, tokenEntry(row));
    this.changed();
  }

  removeToken(keyHash: string) {
    this.current.tokensByHash.delete(keyHash);
    this.changed();
  }

  putUser(row: UserRow) {
    this.current.usersById.set(row.id, userEntry(row));
    this.changed();
  }

  removeUser(id: number) {
    this.current.usersById.delete(id);
    for (const [hash, t] of this.current.tokensByHash) if (t.userId === id) this.current.tokensByHash.delete(hash);
    this.changed();
  }

  reloadGroups() {
    this.current.groupsByName = new Map(this.source.groups().map((g) => [g.name, groupEntry(g)]));
    this.changed();
  }

  /** Channels change rarely and the route index depends on all of them: rebuild both. */
  reloadChannels() {
    const channelsById = new Map(this.source.channels().map((c) => [c.id, channelEntry(c, this.source.unseal)]));
    this.current.channelsById = channelsById;
    this.current.routes = buildRouteIndex(channelsById.values());
    this.changed();
  }

  reloadPrices() {
    this.current.prices = pricesByModel(this.source.prices());
    this.changed();
  }

  setRelaySettings(relay: RelaySettings) {
    this.current.relay = relay;
    this.changed();
  }

  /** Poll SQLite's data_version (changes only when another connection commits) and reload on change. */
  watch(sqlite: Database, everyMs = 200) {
    const version = () => (sqlite.query("PRAGMA data_version").get() as { data_version: number }).data_version;
    let seen = version();
    this.timer = setInterval(() => {
      const now = version();
      if (now !== seen) {
        seen = now;
        this.reloadAll();
      }
    }, everyMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
