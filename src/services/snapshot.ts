// Keeps the in-memory snapshot true: services patch it after each write they make, and each such patch
// bumps the configuration version in the database (store/config-version.ts; on PostgreSQL with a NOTIFY,
// store/pg/config-signal.ts). Writes by other processes (the CLI, other instances) are noticed through
// that version: polled (or heard), and checked at once (at most every CATCH_UP_GAP_MS) before a
// well-formed key is refused as unknown, so a key the CLI has just printed works on the very next call.
// Sources may answer at once (SQLite) or later (PostgreSQL); reloads run one at a time, and a write
// patched in while one ran makes it run again, so a reload never puts back rows older than the patch.
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
import { relaySettings, type Settings } from "./settings";

type Maybe<T> = T | Promise<T>;
type Source = { [K in Exclude<keyof SnapshotRows, "relay">]: () => Maybe<SnapshotRows[K]> } & {
  /** every setting (services/settings.ts), of which the relay's part goes in the snapshot */
  settings: () => Maybe<Settings>;
  unseal: (sealed: string) => string;
  /** runs before rows are read again (the ledger writes what it has queued) */
  beforeReload?: () => Maybe<unknown>;
  /** the configuration version every management write bumps */
  version: { read(): Maybe<number>; bump(): Maybe<number> };
};

/** Shortest gap between two checks of the version for unknown keys: a flood of random keys costs at
 * most 20 one-row reads a second, and each of them waits at most this long for its 401. */
export const CATCH_UP_GAP_MS = 50;

type Loaded = { snapshot: Snapshot; settings: Settings; seen: number };

async function loadAll(s: Source, known?: number): Promise<Loaded> {
  const seen = known ?? (await s.version.read()); // before the rows: a write in between is then reloaded later, never missed
  await s.beforeReload?.();
  const settings = await s.settings();
  const [tokens, users, groups, channels, prices] = await Promise.all([
    s.tokens(),
    s.users(),
    s.groups(),
    s.channels(),
    s.prices(),
  ]);
  const rows = { tokens, users, groups, channels, prices, relay: relaySettings(settings) };
  return { snapshot: buildSnapshot(rows, s.unseal), settings, seen };
}

export class SnapshotHolder {
  current: Snapshot;
  /** every setting as of the last load or write (the relay's part is in `current.relay`) */
  settings: Settings;
  /** bumped on every change, so readers (and tests, through /api/status) can tell a reload happened */
  generation = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** the configuration version the snapshot reflects */
  private seen: number;
  private lastCheck = -Infinity;
  private pendingCheck: Promise<boolean> | null = null;
  private reloading: Promise<void> | null = null;
  /** a patch or another reload came while a reload was reading: read again */
  private patched = false;

  private constructor(
    private readonly source: Source,
    first: Loaded,
  ) {
    this.current = first.snapshot;
    this.settings = first.settings;
    this.seen = first.seen;
  }

  static async load(source: Source): Promise<SnapshotHolder> {
    return new SnapshotHolder(source, await loadAll(source));
  }

  /** Everything from the database again (one reload at a time; one more if a patch came meanwhile). */
  private reload(version?: number): Promise<void> {
    if (this.reloading) {
      this.patched = true; // it may have read before what the caller wants: once more after it
      return this.reloading;
    }
    this.reloading = (async () => {
      let known = version;
      try {
        do {
          this.patched = false;
          const next = await loadAll(this.source, known);
          known = undefined;
          this.current = next.snapshot;
          this.settings = next.settings;
          this.seen = Math.max(this.seen, next.seen);
          this.generation++;
        } while (this.patched);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** After a write through this process's services: tell other processes (bump the version), and
   * since the snapshot is patched already, do not reload for our own bump. */
  private async changed() {
    this.generation++;
    if (this.reloading) this.patched = true;
    try {
      const version = await this.source.version.bump();
      if (version === this.seen + 1) this.seen = version; // no other writer in between
    } catch (e) {
      console.error("config version: could not bump it (other processes see this write later):", (e as Error).message);
    }
  }

  /** Everything from the database again, after a write of this process that touched many rows. */
  async reloadAll() {
    await this.reload();
    await this.changed();
  }

  /** Reloads everything when another process changed the configuration; says whether it did. */
  async reloadIfChanged(): Promise<boolean> {
    const version = await this.source.version.read();
    if (version <= this.seen) return false;
    await this.reload(version);
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
      return this.checkSafely();
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

  private async checkSafely(): Promise<boolean> {
    try {
      return await this.reloadIfChanged();
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
    return this.changed();
  }

  removeToken(keyHash: string) {
    this.current.tokensByHash.delete(keyHash);
    return this.changed();
  }

  putUser(row: UserRow) {
    this.current.usersById.set(row.id, userEntry(row));
    return this.changed();
  }

  removeUser(id: number) {
    this.current.usersById.delete(id);
    for (const [hash, t] of this.current.tokensByHash) if (t.userId === id) this.current.tokensByHash.delete(hash);
    return this.changed();
  }

  async reloadGroups() {
    const rows = await this.source.groups();
    this.current.groupsByName = new Map(rows.map((g) => [g.name, groupEntry(g)]));
    await this.changed();
  }

  /** Channels change rarely and the route index depends on all of them: rebuild both. */
  async reloadChannels() {
    const rows = await this.source.channels();
    const channelsById = new Map(rows.map((c) => [c.id, channelEntry(c, this.source.unseal)]));
    this.current.channelsById = channelsById;
    this.current.routes = buildRouteIndex(channelsById.values());
    await this.changed();
  }

  async reloadPrices() {
    this.current.prices = pricesByModel(await this.source.prices());
    await this.changed();
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
    return this.changed();
  }

  /** Polls the configuration version and reloads when another process changed it. */
  watch(everyMs = 200) {
    this.timer = setInterval(() => void this.checkSafely(), everyMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
