// Keeps the in-memory snapshot true: services patch it after each write they make; writes by other
// processes on the same database (the CLI) are noticed through PRAGMA data_version and reloaded.
import type { Database } from "bun:sqlite";
import { buildSnapshot, groupEntry, tokenEntry, userEntry, type Snapshot } from "../core/snapshot";
import type { GroupRow, TokenRow, UserRow } from "../db/schema";

type Source = { tokens: () => TokenRow[]; users: () => UserRow[]; groups: () => GroupRow[] };

export class SnapshotHolder {
  current: Snapshot;
  /** bumped on every change, so readers (and tests, through /api/status) can tell a reload happened */
  generation = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly source: Source) {
    this.current = this.load();
  }

  private load(): Snapshot {
    return buildSnapshot({ tokens: this.source.tokens(), users: this.source.users(), groups: this.source.groups() });
  }

  reloadAll() {
    this.current = this.load();
    this.generation++;
  }

  putToken(row: TokenRow, previousHash?: string) {
    if (previousHash && previousHash !== row.keyHash) this.current.tokensByHash.delete(previousHash);
    this.current.tokensByHash.set(row.keyHash, tokenEntry(row));
    this.generation++;
  }

  removeToken(keyHash: string) {
    this.current.tokensByHash.delete(keyHash);
    this.generation++;
  }

  putUser(row: UserRow) {
    this.current.usersById.set(row.id, userEntry(row));
    this.generation++;
  }

  removeUser(id: number) {
    this.current.usersById.delete(id);
    for (const [hash, t] of this.current.tokensByHash) if (t.userId === id) this.current.tokensByHash.delete(hash);
    this.generation++;
  }

  reloadGroups() {
    this.current.groupsByName = new Map(this.source.groups().map((g) => [g.name, groupEntry(g)]));
    this.generation++;
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
