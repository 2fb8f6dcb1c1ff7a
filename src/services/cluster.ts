// One instance's part in a PostgreSQL cluster, started by `serve --database` and stopped with it: its
// id, its quota leases and ledger, its rate limits' counts, the upkeep that renews the leases and writes
// the ledger every renewMs, the leader's once-per-cluster work (giving back expired instances' leases), and the
// configuration watch. A clean stop writes everything queued and gives every lease back at once, so
// only an instance that dies leaves leases for the others to reclaim at expiry.
import { randomUUID } from "node:crypto";
import type { SQL } from "bun";
import { LEASE, type LeaseSettings } from "../core/lease-policy";
import { type ConfigWatch, readConfigVersion, watchConfig } from "../store/pg/config-signal";
import { ClusterLeader } from "../store/pg/leader";
import { leaseStore, reclaimExpired } from "../store/pg/leases";
import { PgLedger } from "../store/pg/ledger";
import { LeaseBook } from "./leases";
import { rateStore } from "../store/pg/rates";
import { PgRates } from "./pg-rates";

/** the channel on which an instance short of a balance asks the others for what they hold of it unused */
const WANTED = "apiyi_lease_wanted";

export type ClusterOptions = {
  /** this instance's id (default: drawn at start) */
  instance?: string;
  settings?: LeaseSettings;
  /** how many instances share the balances (headroom is divided among them) */
  instances?: () => number;
  /** told the new version when another instance changed the configuration */
  onConfigChange?: (version: number) => void;
  /** told about upkeep that failed (the database is unreachable): metrics, /readyz */
  onError?: (e: Error) => void;
};

export class ClusterMember {
  readonly instance: string;
  readonly ledger: PgLedger;
  readonly leases: LeaseBook;
  readonly leader: ClusterLeader;
  /** the rate limits, counted in PostgreSQL */
  readonly rates: PgRates;
  private readonly store: ReturnType<typeof leaseStore>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private watch: ConfigWatch | null = null;
  private readonly s: LeaseSettings;
  private readonly onError: (e: Error) => void;
  /** expired leases given back by this instance while it led (quota units) */
  reclaimed = 0;
  /** false from a failed write or upkeep until an upkeep succeeds: PostgreSQL cannot be reached (/readyz
   * answers 503, new calls are refused with database_unavailable; calls in flight finish) */
  up = true;

  constructor(
    private readonly sql: SQL,
    private readonly opts: ClusterOptions = {},
  ) {
    this.instance = opts.instance ?? randomUUID();
    this.s = opts.settings ?? LEASE;
    const report = opts.onError ?? ((e) => console.error("cluster:", e.message));
    this.onError = (e) => {
      if (this.up)
        console.error(`cluster: PostgreSQL cannot be reached (${e.message}); new calls get 503 until it is back`);
      this.up = false;
      report(e);
    };
    this.ledger = new PgLedger(sql, this.instance, 20, this.onError);
    this.store = leaseStore(sql, this.instance, this.s.ttlMs);
    this.leases = new LeaseBook(this.store, this.ledger, undefined, opts.instances, this.s, (kind, id) =>
      this.askBack(kind, id),
    );
    this.leader = new ClusterLeader(sql, Math.min(2_000, this.s.renewMs));
    this.rates = new PgRates(rateStore(sql, this.instance, this.s.ttlMs), this.onError);
  }

  private started = false;

  /** Asks the other instances to give back what they hold of the account unused (a take here fell short). */
  private askBack(kind: string, id: number) {
    void this.sql`SELECT pg_notify(${WANTED}, ${`${kind}:${id}:${this.instance}`})`.catch(() => {});
  }

  private wanted: { unlisten: () => Promise<void> } | null = null;

  async start(): Promise<void> {
    this.started = true;
    this.wanted = await this.sql.listen(WANTED, (payload: string) => {
      const [kind, id, from] = payload.split(":");
      if (from !== this.instance && (kind === "token" || kind === "user")) this.leases.giveBackUnused(kind, Number(id));
    });
    await this.leader.start();
    if (this.opts.onConfigChange)
      this.watch = await watchConfig(this.sql, await readConfigVersion(this.sql), this.opts.onConfigChange);
    this.timer = setInterval(() => void this.upkeep(), this.s.renewMs);
  }

  /** Renews and writes; the leader also gives back what expired instances held. */
  async upkeep(): Promise<void> {
    try {
      const written = await this.leases.tick();
      await this.rates.tick();
      if (this.leader.leading) this.reclaimed += await reclaimExpired(this.sql);
      if (written && !this.up) console.log("cluster: PostgreSQL is back; serving again");
      if (written) this.up = true;
    } catch (e) {
      this.onError(e as Error);
    }
  }

  /** Writes what is queued, gives every lease back, and leaves the cluster. */
  async stop(): Promise<void> {
    if (!this.started) return this.ledger.stop(); // a CLI command's: no leases, no leadership
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.watch?.stop();
    await this.wanted?.unlisten().catch(() => {});
    try {
      await this.leases.tick({ giveBackAll: true });
      await this.ledger.stop();
      await this.store.release();
      await this.rates.stop();
    } catch (e) {
      this.onError(e as Error); // what it held comes back when its leases expire
    }
    await this.leader.stop();
  }
}
