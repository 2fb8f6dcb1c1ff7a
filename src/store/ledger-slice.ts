// What one ledger slice writes, worked out from its events once for both databases: holds to keep and
// to drop, each token's and user's balance, spending, call count and last use summed, budget periods
// begun, daily and hourly rollups, and the log rows in queue order. The SQLite ledger (ledger.ts) and
// the PostgreSQL one (pg/ledger.ts) only differ in how they write it.
import type { AccountKind, Roll } from "../core/budget";
import type { Hold, Settlement } from "../core/quota";
import { HourlySlice } from "./hourly";
import { LOG_TYPE, type NewLog } from "./logs";

export type Who = { requestId: string; tokenId: number; userId: number };
export type LedgerEvent =
  | ({ kind: "hold"; hold: Hold; at: number } & Who)
  | ({ kind: "settle"; s: Settlement; held: boolean; row: NewLog | null } & Who)
  | { kind: "log"; row: NewLog }
  | { kind: "roll"; account: AccountKind; id: number; roll: Roll };

/** per account: balance delta, spending, calls, last use (unix seconds) */
export type Sums = { remain: number; used: number; calls: number; at: number };
export type Rollup = {
  day: string;
  userId: number;
  tokenId: number;
  model: string;
  group: string;
  type: number;
  calls: number;
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
};

export type SliceWrites = {
  /** holds taken and not settled within the slice */
  holds: Extract<LedgerEvent, { kind: "hold" }>[];
  /** request ids of holds taken in an earlier slice and settled in this one */
  unholds: string[];
  tokens: Map<number, Sums>;
  users: Map<number, Sums>;
  periods: { account: AccountKind; id: number; periodStart: number }[];
  rollups: Rollup[];
  hourly: HourlySlice;
  rows: NewLog[];
};

/** The upsert of one usage_daily row, in either database (`param(i)`: the i-th placeholder, from 0),
 * in `dailyValues`' order. */
export const dailyUpsertSql = (param: (i: number) => string) =>
  `INSERT INTO usage_daily (day, user_id, token_id, model, "group", type, calls, prompt_tokens, cached_tokens, completion_tokens, quota)
   VALUES (${Array.from({ length: 11 }, (_, i) => param(i)).join(", ")})
   ON CONFLICT (day, user_id, token_id, model, "group", type) DO UPDATE SET calls = usage_daily.calls + excluded.calls,
     prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
     cached_tokens = usage_daily.cached_tokens + excluded.cached_tokens,
     completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens,
     quota = usage_daily.quota + excluded.quota`;

export const dailyValues = (r: Rollup) =>
  [r.day, r.userId, r.tokenId, r.model, r.group, r.type, r.calls, r.prompt, r.cached, r.completion, r.quota] as const;

const bump = (m: Map<number, Sums>, id: number) => {
  let s = m.get(id);
  if (!s) m.set(id, (s = { remain: 0, used: 0, calls: 0, at: 0 }));
  return s;
};

export function summarize(slice: readonly LedgerEvent[]): SliceWrites {
  const settledHere = new Set<string>();
  const heldHere = new Set<string>();
  for (const e of slice) if (e.kind === "settle") settledHere.add(e.requestId);
  const w: SliceWrites = {
    holds: [],
    unholds: [],
    tokens: new Map(),
    users: new Map(),
    periods: [],
    rollups: [],
    hourly: new HourlySlice(),
    rows: [],
  };
  const rollups = new Map<string, Rollup>();
  for (const e of slice) {
    if (e.kind === "hold") {
      heldHere.add(e.requestId);
      if (!settledHere.has(e.requestId)) w.holds.push(e);
      bump(w.tokens, e.tokenId).remain -= e.hold.tokenAmount;
      bump(w.users, e.userId).remain -= e.hold.userAmount;
      continue;
    }
    if (e.kind === "roll") {
      bump(e.account === "token" ? w.tokens : w.users, e.id).remain += e.roll.remainDelta;
      w.periods.push({ account: e.account, id: e.id, periodStart: e.roll.periodStart });
      continue;
    }
    if (e.kind === "settle") {
      if (e.held && !heldHere.has(e.requestId)) w.unholds.push(e.requestId);
      const t = bump(w.tokens, e.tokenId);
      const u = bump(w.users, e.userId);
      t.remain += e.s.tokenDelta;
      u.remain += e.s.userDelta;
      t.used += e.s.charged;
      u.used += e.s.charged;
    }
    if (e.row) {
      w.rows.push(e.row);
      record(e.row, w, rollups);
    }
  }
  w.rollups = [...rollups.values()];
  return w;
}

/** The call's share of the daily and hourly rollups and of the request counters (summed per slice). */
function record(row: NewLog, w: SliceWrites, rollups: Map<string, Rollup>) {
  if (row.type !== LOG_TYPE.consume && row.type !== LOG_TYPE.error) return;
  w.hourly.add(row);
  const day = new Date(row.createdAt).toISOString().slice(0, 10);
  const key = `${day}\t${row.userId}\t${row.tokenId ?? 0}\t${row.model ?? ""}\t${row.group ?? ""}\t${row.type}`;
  let r = rollups.get(key);
  if (!r) {
    r = {
      day,
      userId: row.userId,
      tokenId: row.tokenId ?? 0,
      model: row.model ?? "",
      group: row.group ?? "",
      type: row.type,
      calls: 0,
      prompt: 0,
      cached: 0,
      completion: 0,
      quota: 0,
    };
    rollups.set(key, r);
  }
  r.calls++;
  r.prompt += row.promptTokens ?? 0;
  r.cached += row.cachedTokens ?? 0;
  r.completion += row.completionTokens ?? 0;
  r.quota += row.quota ?? 0;
  if (row.tokenId) {
    const t = bump(w.tokens, row.tokenId);
    t.calls++;
    t.at = Math.max(t.at, Math.floor(row.createdAt / 1000));
  }
  bump(w.users, row.userId).calls++;
}
