// Log rows leave the request path: they are queued and written in one transaction per batch
// (every 100 ms or 500 rows), together with the write-behind of tokens' last-used time and the
// request counters of tokens and users. Rows still being computed (a stream's tokens counted after
// it ended) are announced with reserve(); stop() waits for them, then flushes what is queued.
import { sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { logs, tokens, users } from "../db/schema";
import type { NewLog } from "./logs";

const BATCH = 500;

export class LogWriter {
  private queue: NewLog[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** rows written so far (for metrics) */
  written = 0;
  private reserved = 0;

  constructor(
    private readonly db: Db,
    private readonly everyMs = 100,
  ) {}

  get depth() {
    return this.queue.length;
  }

  push(row: NewLog) {
    this.queue.push(row);
    if (this.queue.length >= BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.everyMs);
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const rows = this.queue;
    this.queue = [];
    try {
      this.db.$client.transaction(() => this.write(rows)).immediate();
      this.written += rows.length;
    } catch (e) {
      console.error(`log writer: ${rows.length} rows not written:`, (e as Error).message);
      if (this.queue.length < BATCH * 20) this.queue.unshift(...rows); // retry with the next batch
    }
  }

  private write(rows: NewLog[]) {
    for (let i = 0; i < rows.length; i += 100) this.db.insert(logs).values(rows.slice(i, i + 100)).run();
    const perToken = new Map<number, { at: number; n: number }>();
    const perUser = new Map<number, number>();
    for (const r of rows) {
      if (r.type !== 2 && r.type !== 5) continue; // calls only, not top-ups
      if (r.tokenId) {
        const t = perToken.get(r.tokenId) ?? { at: 0, n: 0 };
        perToken.set(r.tokenId, { at: Math.max(t.at, Math.floor(r.createdAt / 1000)), n: t.n + 1 });
      }
      perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    }
    for (const [id, t] of perToken) {
      this.db
        .update(tokens)
        .set({ accessedTime: sql`max(${tokens.accessedTime}, ${t.at})`, requestCount: sql`${tokens.requestCount} + ${t.n}` })
        .where(sql`${tokens.id} = ${id}`)
        .run();
    }
    for (const [id, n] of perUser) {
      this.db.update(users).set({ requestCount: sql`${users.requestCount} + ${n}` }).where(sql`${users.id} = ${id}`).run();
    }
  }

  /** A row is on its way; call the returned function once it was pushed (or will never be). */
  reserve(): () => void {
    this.reserved++;
    let released = false;
    return () => {
      if (!released) this.reserved--;
      released = true;
    };
  }

  /** Waits (up to `waitMs`) for reserved rows, then writes everything queued. */
  async stop(waitMs = 5000) {
    const until = Date.now() + waitMs;
    while (this.reserved > 0 && Date.now() < until) await Bun.sleep(10);
    this.flush();
  }
}
