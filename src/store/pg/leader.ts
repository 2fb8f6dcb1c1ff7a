// The cluster's leader (PostgreSQL): the instance whose connection holds a session advisory lock runs
// the work that must run once per cluster (the video poller, alerts, scheduled channel checks and
// balance refreshes, log retention). The others try again every `retryMs`; the leader checks its
// connection as often, so when it dies (its lock ends with its connection) another leads within
// about retryMs. During that gap two may briefly both believe they lead: once-per-cluster work must
// also be safe to repeat (its rows claimed with FOR UPDATE SKIP LOCKED, or its effect idempotent).
import type { ReservedSQL, SQL } from "bun";
import { LOCK, LOCK_SPACE } from "../../db/pg/locks";

export class ClusterLeader {
  private conn: ReservedSQL | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  constructor(
    private readonly sql: SQL,
    private readonly retryMs = 2_000,
    /** told each time this instance starts or stops leading */
    private readonly onChange: (leading: boolean) => void = () => {},
  ) {}

  get leading(): boolean {
    return this.conn !== null;
  }

  /** Tries now, then every retryMs (and checks its own lock's connection as often while it leads). */
  async start(): Promise<void> {
    await this.step();
    this.timer = setInterval(() => void this.step(), this.retryMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    await conn`SELECT pg_advisory_unlock(${LOCK_SPACE}, ${LOCK.leader})`.catch(() => {});
    await conn.release();
  }

  private async step() {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.conn) await this.check();
      else await this.tryLead();
    } finally {
      this.busy = false;
    }
  }

  private async check() {
    try {
      await this.conn!`SELECT 1`;
    } catch {
      this.conn?.close();
      this.conn = null; // the connection, and with it the lock, is gone
      this.onChange(false);
    }
  }

  private async tryLead() {
    let conn: ReservedSQL | null = null;
    try {
      conn = await this.sql.reserve();
      const [row] = await conn`SELECT pg_try_advisory_lock(${LOCK_SPACE}, ${LOCK.leader}) AS got`;
      if (row.got) {
        this.conn = conn;
        this.onChange(true);
        return;
      }
    } catch {
      // the database is unreachable: try again later
    }
    conn?.release();
  }
}
