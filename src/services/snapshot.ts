// Keeps the in-memory snapshot true: services patch it after each write they make, and each such patch
// bumps the configuration version in the database (store/config-version.ts). Writes by other processes
// on the same database (the CLI) are noticed through that version: polled every 200 ms, and checked at
// once (at most every CATCH_UP_GAP_MS) before a well-formed key is refused as unknown, so a key the CLI
// has just printed works on the very next call.
import {
  buildRouteIndex,
  buildSnapshot,
  channelEntry,
  groupEntry,
  pricesByModel,
  tokenEntry,
  userEntry,
  type Snapshot,
  type SnapshotRows,
} from "../core/snapshot";
import type { TokenRow, UserRow } from "../db/schema";
import type { ConfigVersion } from "../store/config-version";
import { relaySettings, type Settings } from "./settings";

type Source = { [K in Exclude<keyof SnapshotRows, "relay">]: () => SnapshotRows[K] } & {
  /** every setting (services/settings.ts), of which the relay's part goes in the snapshot */
  settings: () => Settings;
  unseal: (sealed: string) => string;
  /** runs before rows are read again (the ledger writes what it has queued) */
  beforeReload?: () => void;
  /** the configuration version every management write bumps */
  version: ConfigVersion;
};

/** Shortest gap between two checks of the version for unknown keys: a flood of random keys costs at
 * most 20 one-row reads a second, and each of them waits at most this long for its 401. */
export const CATCH_UP_GAP_MS = 50;

export class SnapshotHolder {
  current: Snapshot;
  /** every setting as of the last load or write (the relay's part is in `current.relay`) */
  settings!: Settings;
  /** bumped on every change, so readers (and tests, through /api/status) can tell a reload happened */
  generation = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** the configuration version the snapshot reflects */
  private seen: number;
  private lastCheck = -Infinity;
  private pendingCheck: Promise<boolean> | null = null;

  constructor(private readonly source: Source) {
    this.seen = source.version.read(); // before the rows: a write in between is then reloaded later, never missed
    this.current = this.load();
  }

  private load(): Snapshot {
    const s = this.source;
    s.beforeReload?.();
    this.settings = s.settings();
    return buildSnapshot(
      {
        tokens: s.tokens(),
        users: s.users(),
        groups: s.groups(),
        channels: s.channels(),
        prices: s.prices(),
        relay: relaySettings(this.settings),
      },
      s.unseal,
    );
  }

  /** After a write through this process's services: tell other processes (bump the version), and
   * since the snapshot is patched already, do not reload for our own bump. */
  private changed() {
    this.generation++;
    try {
      const version = this.source.version.bump();
      if (version === this.seen + 1) this.seen = version; // no other writer in between
    } catch (e) {
      console.error("config version: could not bump it (other processes see this write later):", (e as Error).message);
    }
  }

  /** Everything from the database again, after a write of this process that touched many rows. */
  reloadAll() {
    this.current = this.load();
    this.changed();
  }

  /** Reloads everything when another process changed the configuration; says whether it did. */
  reloadIfChanged(): boolean {
    const version = this.source.version.read();
    if (version === this.seen) return false;
    this.seen = version;
    this.current = this.load();
    this.generation++;
    return true;
  }

  /** Before refusing a key as unknown: whether the configuration changed since the last look (and
   * was reloaded). Checks at most once per CATCH_UP_GAP_MS; callers within the gap share the next
   * check, which runs after they arrived, so a key committed before its call is always found. */
  catchUp(): Promise<boolean> {
    if (this.pendingCheck) return this.pendingCheck;
    const wait = this.lastCheck + CATCH_UP_GAP_MS - performance.now();
    if (wait <= 0) {
      this.lastCheck = performance.now();
      return Promise.resolve(this.checkSafely());
    }
    this.pendingCheck = new Promise((resolve) =>
      setTimeout(() => {
        this.pendingCheck = null;
        this.lastCheck = performance.now();
        resolve(this.checkSafely());
      }, Math.ceil(wait)),
    );
    return this.pendingCheck;
  }

  private checkSafely(): boolean {
    try {
      return this.reloadIfChanged();
    } catch (e) {
      console.error("config version: could not check it:", (e as Error).message);
      return false;
    }
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

  /** After the settings were written: all of them, and the relay's part in the snapshot. */
  setSettings(settings: Settings) {
    this.settings = settings;
    const relay = relaySettings(settings);
    // budget periods end at another instant in another time zone: let each account compute its end again
    if (relay.budgetTimezone !== this.current.relay.budgetTimezone) {
      for (const t of this.current.tokensByHash.values()) t.periodEnd = undefined;
      for (const u of this.current.usersById.values()) u.periodEnd = undefined;
    }
    this.current.relay = relay;
    this.changed();
  }

  /** Polls the configuration version and reloads when another process changed it. */
  watch(everyMs = 200) {
    this.timer = setInterval(() => this.checkSafely(), everyMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
