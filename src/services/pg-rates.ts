// Rate limits counted in PostgreSQL (several instances; the RateCounter of core/rate-limit.ts): every
// call of a limited scope is admitted in PostgreSQL (store/pg/rates.ts), so no window ever admits more
// than its limit however the calls are spread; calls of unlimited scopes cost nothing. The calls of the
// same scopes that arrive while one round trip is out go together in the next (one at a time per
// scopes, each call checked in turn, as one after another), so a busy key costs a round trip per batch,
// not per call. Calls' ends
// (out of flight, tokens corrected) are queued and written every 20 ms, or with this instance's next
// admission of the same scope, whichever is first (so a call never finds one that ended before it on
// this instance still counted); a batch that fails stays queued.
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
/** the most calls one round trip admits */
const MAX_BATCH = 256;
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

/** The answer to one call of a batch: its admission (or the refusal) and the headroom left. */
function taken(
  call: Waiting,
  now: number,
  names: Map<string, string>,
  { rows, answers }: { rows: RateRow[]; answers: RateAnswer[] },
): RateTake {
  const refused = answers.find((a) => a.waitMs !== 0);
  const requests = headroomOf(rows, answers, REQUESTS);
  const tokenRoom = headroomOf(rows, answers, ["tpm"]);
  if (refused) {
    const r = rows[refused.idx];
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
    scopes: call.scopes,
    tokens: call.tokens,
    tpmSlots: call.scopes.map((s) => (s.limits.tpm !== null ? slot : null)),
    at: now,
  };
  return { result: admission, requests, tokens: tokenRoom };
}

type Waiting = {
  scopes: Scope[];
  now: number;
  tokens: number;
  resolve: (t: RateTake) => void;
  reject: (e: unknown) => void;
};
type Batch = { waiting: Waiting[]; sending: boolean };

export class PgRates implements RateCounter {
  private queue: RateRelease[] = [];
  /** calls waiting for their scopes' round trip, by scopes: one in flight each, the next batch waits */
  private readonly batches = new Map<string, Batch>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly store: RateStore,
    private readonly onError: (e: Error) => void,
  ) {}

  take(scopes: Scope[], now: number, tokens: number): RateTake | Promise<RateTake> {
    if (scopes.length === 0) return { result: { scopes, tokens, tpmSlots: [], at: now }, requests: null, tokens: null };
    const key = scopes.map((s) => s.key).join(" ");
    return new Promise<RateTake>((resolve, reject) => {
      let batch = this.batches.get(key);
      if (!batch) this.batches.set(key, (batch = { waiting: [], sending: false }));
      batch.waiting.push({ scopes, now, tokens, resolve, reject });
      if (!batch.sending) this.send(key, batch);
    });
  }

  /** One round trip for the calls of these scopes waiting now; the ones that come meanwhile go next. */
  private send(key: string, batch: Batch) {
    const calls = batch.waiting.splice(0, MAX_BATCH);
    batch.sending = true;
    // calls of these scopes that ended here go out of the windows in the same round trip, first (a call
    // after them must find them gone); the others' ends wait for the timer's batch
    const keys = new Set(calls[0].scopes.map((s) => s.key));
    const ended = this.queue.filter((e) => keys.has(e.scope));
    if (ended.length > 0) this.queue = this.queue.filter((e) => !keys.has(e.scope));
    const asked = calls.map((c) => rowsOf(c.scopes, c.tokens));
    const now = Math.max(...calls.map((c) => c.now));
    this.store
      .admit(
        asked.map((a) => a.rows),
        now,
        ended,
      )
      .then(
        (answers) => calls.forEach((c, i) => c.resolve(taken(c, now, asked[i].names, answers[i]))),
        (e) => {
          this.queue.push(...ended); // not written: they go with a later batch
          if (!(e instanceof AppError)) this.onError(e as Error);
          const refusal = e instanceof AppError ? e : refusals.databaseUnavailable();
          for (const c of calls) c.reject(refusal);
        },
      )
      .finally(() => {
        batch.sending = false;
        if (batch.waiting.length > 0) this.send(key, batch);
        else this.batches.delete(key);
      });
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
