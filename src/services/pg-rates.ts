// Rate limits counted in PostgreSQL (several instances; the RateCounter of core/rate-limit.ts): every
// call of a limited scope is admitted by one round trip (store/pg/rates.ts), so no window ever admits
// more than its limit however the calls are spread; calls of unlimited scopes cost nothing. Calls' ends
// (out of flight, tokens corrected) are queued and written every 20 ms, or before this instance's next
// admission, whichever is first (so a call never finds one that ended before it still counted here);
// a batch that fails stays queued.
import {
  type Admission,
  type Exceeded,
  type Headroom,
  type LimitName,
  type RateCounter,
  type RateTake,
  type Scope,
  WINDOWS,
} from "../core/rate-limit";
import { refusals } from "../core/refusals";
import { AppError } from "../errors";
import type { RateAnswer, RateRelease, RateRow, RateStore } from "../store/pg/rates";

const FLUSH_MS = 20;
const REQUESTS: readonly LimitName[] = ["rpm", "rpd"];

/** The rows one call is checked against: every limit in force of every scope. */
function rowsOf(scopes: Scope[], tokens: number): { rows: RateRow[]; names: Map<string, string> } {
  const rows: RateRow[] = [];
  const names = new Map<string, string>();
  for (const s of scopes) {
    names.set(s.key, s.name);
    for (const kind of ["parallel", "rpm", "rpd", "tpm"] as const) {
      const limit = s.limits[kind];
      if (limit === null) continue;
      const w = kind === "parallel" ? { slotMs: 0, slots: 0 } : WINDOWS[kind];
      rows.push({ scope: s.key, kind, limit, need: kind === "tpm" ? tokens : 1, ...w });
    }
  }
  return { rows, names };
}

/** The tightest request or token limit's headroom among the answers. */
function headroomOf(rows: RateRow[], answers: RateAnswer[], kinds: readonly LimitName[]): Headroom | null {
  let best: Headroom | null = null;
  for (const a of answers) {
    const r = rows[a.idx];
    if (!kinds.includes(r.kind)) continue;
    const h = { limit: r.limit, remaining: Math.max(0, r.limit - a.used), resetMs: a.waitMs || a.resetMs };
    if (!best || h.remaining < best.remaining) best = h;
  }
  return best;
}

export class PgRates implements RateCounter {
  private queue: RateRelease[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly store: RateStore,
    private readonly onError: (e: Error) => void,
  ) {}

  take(scopes: Scope[], now: number, tokens: number): RateTake | Promise<RateTake> {
    if (scopes.length === 0) return { result: { scopes, tokens, tpmSlots: [], at: now }, requests: null, tokens: null };
    const { rows, names } = rowsOf(scopes, tokens);
    // calls that ended here are out of the windows first (a call after them must find them gone)
    const admitted =
      this.queue.length > 0 || this.writing
        ? this.flush().then(() => this.store.admit(rows, now))
        : this.store.admit(rows, now);
    return admitted.then(
      ({ rows: sorted, answers }) => {
        const refused = answers.find((a) => a.waitMs !== 0);
        const requests = headroomOf(sorted, answers, REQUESTS);
        const tokenRoom = headroomOf(sorted, answers, ["tpm"]);
        if (refused) {
          const r = sorted[refused.idx];
          const exceeded: Exceeded = {
            scope: names.get(r.scope) ?? r.scope,
            limit: r.kind,
            value: r.limit,
            retryAfterMs: refused.waitMs < 0 ? Infinity : refused.waitMs,
          };
          return { result: exceeded, requests, tokens: tokenRoom };
        }
        const slot = Math.floor(now / WINDOWS.tpm.slotMs);
        const admission: Admission = {
          scopes,
          tokens,
          tpmSlots: scopes.map((s) => (s.limits.tpm !== null ? slot : null)),
          at: now,
        };
        return { result: admission, requests, tokens: tokenRoom };
      },
      (e) => {
        if (e instanceof AppError) throw e;
        this.onError(e as Error);
        throw refusals.databaseUnavailable();
      },
    );
  }

  release(a: Admission, _now: number, usedTokens: number) {
    a.scopes.forEach((s, i) => {
      if (s.limits.parallel !== null) this.queue.push({ scope: s.key, kind: "parallel", slot: 0, delta: 1 });
      const slot = a.tpmSlots[i];
      if (slot !== null && usedTokens !== a.tokens)
        this.queue.push({ scope: s.key, kind: "tpm", slot, delta: usedTokens - a.tokens });
    });
    if (this.queue.length > 0) this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes the queued ends (one batch at a time); false when the database refused them (kept). */
  async flush(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return true;
    const batch = this.queue;
    this.queue = [];
    let ok = true;
    this.writing = this.store.release(batch).catch((e) => {
      ok = false;
      this.queue = batch.concat(this.queue);
      this.onError(e as Error);
      this.timer ??= setTimeout(() => void this.flush(), 250);
    });
    await this.writing;
    this.writing = null;
    return ok;
  }

  /** Upkeep (with the leases'): the queued ends written, this instance's in-flight rows renewed. */
  async tick(): Promise<void> {
    await this.flush();
    await this.store.renew();
  }

  /** A clean stop: the queued ends written, nothing of this instance left in flight. */
  async stop(): Promise<void> {
    await this.flush();
    await this.store.leave();
  }
}
