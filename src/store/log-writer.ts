// Log rows leave the request path: they are queued and written by one prepared INSERT inside one
// transaction per slice (at most 200 rows, so a flush never holds the event loop for more than about
// a millisecond; the rest follows on the next tick), together with the write-behind of tokens'
// last-used time and the request counters of tokens and users. Rows still being computed (a stream
// whose tokens are counted after it ended) are announced with reserve(); stop() waits for them, then
// writes everything queued.
import type { Statement } from "bun:sqlite";
import type { Db } from "../db/open";
import type { NewLog } from "./logs";

const SLICE = 200;

/** Column order of the INSERT; values come from the NewLog field of the same position. */
const COLUMNS: [string, keyof NewLog, unknown][] = [
  ["created_at", "createdAt", 0],
  ["type", "type", 0],
  ["user_id", "userId", 0],
  ["username", "username", ""],
  ["token_id", "tokenId", 0],
  ["token_name", "tokenName", ""],
  ["model", "model", ""],
  ["upstream_model", "upstreamModel", ""],
  ["group", "group", ""],
  ["channel_id", "channelId", 0],
  ["endpoint", "endpoint", ""],
  ["prompt_tokens", "promptTokens", 0],
  ["cached_tokens", "cachedTokens", 0],
  ["completion_tokens", "completionTokens", 0],
  ["quota", "quota", 0],
  ["duration_ms", "durationMs", 0],
  ["ttft_ms", "ttftMs", 0],
  ["is_stream", "isStream", false],
  ["request_id", "requestId", ""],
  ["status_code", "statusCode", 0],
  ["error_code", "errorCode", ""],
  ["ip", "ip", ""],
  ["content", "content", ""],
  ["attempts", "attempts", "[]"],
  ["other", "other", "{}"],
];

export class LogWriter {
  private queue: NewLog[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private reserved = 0;
  private readonly insert: Statement;
  private readonly touchToken: Statement;
  private readonly countUser: Statement;
  /** rows written so far */
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly everyMs = 100,
  ) {
    const sqlite = db.$client;
    const names = COLUMNS.map(([c]) => `"${c}"`).join(", ");
    this.insert = sqlite.prepare(`INSERT INTO logs (${names}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
    this.touchToken = sqlite.prepare(
      "UPDATE tokens SET accessed_time = max(accessed_time, ?), request_count = request_count + ? WHERE id = ?",
    );
    this.countUser = sqlite.prepare("UPDATE users SET request_count = request_count + ? WHERE id = ?");
  }

  get depth() {
    return this.queue.length;
  }

  push(row: NewLog) {
    this.queue.push(row);
    this.timer ??= setTimeout(() => this.flushSlice(), this.everyMs);
  }

  /** Writes one slice; schedules the next at once if more are queued. */
  private flushSlice() {
    this.timer = null;
    const rows = this.queue.splice(0, SLICE);
    if (rows.length === 0) return;
    try {
      this.db.$client.transaction(() => this.write(rows)).immediate();
      this.written += rows.length;
    } catch (e) {
      console.error(`log writer: ${rows.length} rows not written yet:`, (e as Error).message);
      if (this.queue.length < SLICE * 50) this.queue.unshift(...rows); // retried with the next slice
    }
    if (this.queue.length > 0) this.timer ??= setTimeout(() => this.flushSlice(), this.queue.length >= SLICE ? 0 : this.everyMs);
  }

  private write(rows: NewLog[]) {
    const perToken = new Map<number, { at: number; n: number }>();
    const perUser = new Map<number, number>();
    for (const r of rows) {
      this.insert.run(...(COLUMNS.map(([, key, fallback]) => r[key] ?? fallback) as never[]));
      if (r.type !== 2 && r.type !== 5) continue; // calls only, not top-ups
      if (r.tokenId) {
        const t = perToken.get(r.tokenId) ?? { at: 0, n: 0 };
        perToken.set(r.tokenId, { at: Math.max(t.at, Math.floor(r.createdAt / 1000)), n: t.n + 1 });
      }
      perUser.set(r.userId, (perUser.get(r.userId) ?? 0) + 1);
    }
    for (const [id, t] of perToken) this.touchToken.run(t.at, t.n, id);
    for (const [id, n] of perUser) this.countUser.run(n, id);
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
    if (this.timer) clearTimeout(this.timer);
    while (this.queue.length > 0) {
      const before = this.queue.length;
      this.flushSlice();
      if (this.queue.length >= before) break; // the database refuses: nothing more can be done
    }
  }
}
