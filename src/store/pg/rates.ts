// Rate limits on PostgreSQL (several instances; schema-rates.ts): an admission is one call of
// apiyi_rate_admit (migration 0003), which locks the call's scopes, checks every window and the calls in
// flight, and counts the call only when all allow it. Calls' ends (out of flight, tokens corrected to
// what they used) are written in batches; this instance's in-flight rows are renewed with its leases and
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

export const rateStore = (sql: SQL, instance: string, ttlMs: number) => ({
  /** Checks and counts one call against `rows` at the instance's `nowMs`: all or nothing. Rows are
   * sorted (scope, kind) first: every writer locks slots in that one order. */
  async admit(rows: readonly RateRow[], nowMs: number): Promise<{ rows: RateRow[]; answers: RateAnswer[] }> {
    const sorted = [...rows].sort(byRow);
    const answers = await sql.unsafe(
      "SELECT idx, used, wait_ms, reset_ms FROM apiyi_rate_admit($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::int[], $7, $8, $9)",
      [
        text(sorted.map((r) => r.scope)),
        text(sorted.map((r) => r.kind)),
        ints(sorted.map((r) => r.limit)),
        ints(sorted.map((r) => r.need)),
        ints(sorted.map((r) => r.slotMs)),
        ints(sorted.map((r) => r.slots)),
        Math.floor(nowMs),
        instance,
        ttlMs / 1000,
      ],
    );
    return {
      rows: sorted,
      answers: answers.map((a: Record<string, string | number>) => ({
        idx: Number(a.idx) - 1,
        used: Number(a.used),
        waitMs: Number(a.wait_ms),
        resetMs: Number(a.reset_ms),
      })),
    };
  },

  /** Writes calls' ends (merged per slot, in the one lock order). */
  async release(ends: readonly RateRelease[]): Promise<void> {
    const merged = new Map<string, RateRelease>();
    for (const e of ends) {
      const key = `${e.scope}\u0000${e.kind}\u0000${e.slot}`;
      const m = merged.get(key);
      if (m) m.delta += e.delta;
      else merged.set(key, { ...e });
    }
    const list = [...merged.values()].filter((e) => e.delta !== 0).sort((a, b) => byRow(a, b) || a.slot - b.slot);
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
