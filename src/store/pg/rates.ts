// Rate limits on PostgreSQL (several instances; schema-rates.ts): an admission is one call of
// apiyi_rate_admit (migration 0003) for a batch of calls of the same scopes, which locks the scopes,
// checks every window and the calls in flight for each call in turn, and counts a call only when all
// allow it. Calls' ends (out of flight, tokens corrected to
// what they used) are written in batches, or with the next admission of their scope; this instance's in-flight rows are renewed with its leases and
// lapse if it dies.
import type { SQL } from "bun";

/** One limit of one scope, as an admission checks it. */
export type RateRow = {
  scope: string;
  kind: "rpm" | "tpm" | "rpd" | "parallel";
  limit: number;
  need: number;
  slotMs: number;
  slots: number;
};
/** Per row asked: what its window holds (the call included when admitted), and the ms until the oldest
 * counted slot leaves (`resetMs`), or, for the one row that refused, until enough has (`waitMs`; -1: never). */
export type RateAnswer = { idx: number; used: number; waitMs: number; resetMs: number };
/** A call's end: `delta` out of flight (parallel), or added to a tokens slot (a correction, may be < 0). */
export type RateRelease = { scope: string; kind: RateRow["kind"]; slot: number; delta: number };

const text = (xs: readonly string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
const ints = (xs: readonly number[]) => `{${xs.join(",")}}`;
/** the order limits are checked in (as core/rate-limit.ts checks them) and their rows locked in */
const RANK: Record<RateRow["kind"], number> = { parallel: 0, rpm: 1, rpd: 2, tpm: 3 };
const byRow = (a: { scope: string; kind: RateRow["kind"] }, b: { scope: string; kind: RateRow["kind"] }) =>
  a.scope === b.scope ? RANK[a.kind] - RANK[b.kind] : a.scope < b.scope ? -1 : 1;

/** Calls' ends merged per slot, in the one lock order. */
function merged(ends: readonly RateRelease[]): RateRelease[] {
  const by = new Map<string, RateRelease>();
  for (const e of ends) {
    const key = `${e.scope}\u0000${e.kind}\u0000${e.slot}`;
    const m = by.get(key);
    if (m) m.delta += e.delta;
    else by.set(key, { ...e });
  }
  return [...by.values()].filter((e) => e.delta !== 0).sort((a, b) => byRow(a, b) || a.slot - b.slot);
}

export const rateStore = (sql: SQL, instance: string, ttlMs: number) => ({
  /** Checks and counts a batch of calls (each its `rows`) at the instance's `nowMs`, in order, each all or
   * nothing, after taking out `ended` (this instance's calls of the same scopes that ended since: as
   * `release`, in the same transaction). Each call's rows are sorted (scope, kind) first: every writer
   * locks slots in that one order. Answers per call, `idx` into its sorted rows. */
  async admit(
    calls: readonly (readonly RateRow[])[],
    nowMs: number,
    ended: readonly RateRelease[] = [],
  ): Promise<{ rows: RateRow[]; answers: RateAnswer[] }[]> {
    const sorted = calls.map((rows) => [...rows].sort(byRow));
    const flat = sorted.flat();
    const callOf = sorted.flatMap((rows, c) => rows.map(() => c + 1));
    const start = sorted.map((_, c) => callOf.indexOf(c + 1));
    const rel = merged(ended);
    const answers = await sql.unsafe(
      `SELECT call, idx, used, wait_ms, reset_ms FROM apiyi_rate_admit($1::int[], $2::text[], $3::text[], $4::bigint[],
        $5::bigint[], $6::bigint[], $7::int[], $8, $9, $10, $11::text[], $12::text[], $13::bigint[], $14::bigint[])`,
      [
        ints(callOf),
        text(flat.map((r) => r.scope)),
        text(flat.map((r) => r.kind)),
        ints(flat.map((r) => r.limit)),
        ints(flat.map((r) => r.need)),
        ints(flat.map((r) => r.slotMs)),
        ints(flat.map((r) => r.slots)),
        Math.floor(nowMs),
        instance,
        ttlMs / 1000,
        text(rel.map((e) => e.scope)),
        text(rel.map((e) => e.kind)),
        ints(rel.map((e) => e.slot)),
        ints(rel.map((e) => e.delta)),
      ],
    );
    const out = sorted.map((rows) => ({ rows, answers: [] as RateAnswer[] }));
    for (const a of answers as Record<string, string | number>[]) {
      const c = Number(a.call) - 1;
      out[c].answers.push({
        idx: Number(a.idx) - 1 - start[c],
        used: Number(a.used),
        waitMs: Number(a.wait_ms),
        resetMs: Number(a.reset_ms),
      });
    }
    return out;
  },

  /** Writes calls' ends (merged per slot, in the one lock order). */
  async release(ends: readonly RateRelease[]): Promise<void> {
    const list = merged(ends);
    if (list.length === 0) return;
    await sql.unsafe("SELECT apiyi_rate_release($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5)", [
      text(list.map((e) => e.scope)),
      text(list.map((e) => e.kind)),
      ints(list.map((e) => e.slot)),
      ints(list.map((e) => e.delta)),
      instance,
    ]);
  },

  /** Keeps this instance's in-flight rows alive (with its leases); rows with nothing in flight go. */
  async renew(): Promise<void> {
    await sql`DELETE FROM rate_flight WHERE instance = ${instance} AND n = 0`;
    await sql`UPDATE rate_flight SET expires_at = now() + make_interval(secs => ${ttlMs / 1000}) WHERE instance = ${instance}`;
  },

  /** A clean stop: nothing of this instance is in flight any more. */
  async leave(): Promise<void> {
    await sql`DELETE FROM rate_flight WHERE instance = ${instance}`;
  },
});

export type RateStore = ReturnType<typeof rateStore>;
