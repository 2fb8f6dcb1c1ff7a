// What the console's /log and /dashboard show of a user's own calls: the log filter read from a URL,
// keyset pages, totals (from the daily rollups when the filter allows, else from the rows), the CSV
// export in batches, and the dashboard's figures. A user only ever reads their own rows.
import type { LogRow } from "../db/schema";
import { LOG_TYPE, type LogFilter } from "../store/logs";
import { VIDEO_LOGS } from "../core/status";
import type { BrowseFilter, Cursor } from "../store/log-browse";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import { getUser } from "./users";
import { callOutcome, successRate } from "../core/outcome";

export const DAY_MS = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** "2025-01-31" → its first millisecond (UTC), or null if it is not a real day */
function dayStart(day: string): number | null {
  if (!DAY.test(day)) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || isoDay(ms) !== day ? null : ms;
}

/** A query parameter's text: a repeated one arrives as a list, and its first value counts. */
export const firstParam = (v: unknown): string =>
  typeof v === "string" ? v : Array.isArray(v) ? firstParam(v[0]) : "";

export type DayBounds = {
  /** the first millisecond of `from`, the last of `to` */
  from?: number;
  to?: number;
  problems: { key: "from" | "to"; why: string }[];
};

/** `from` and `to` as /log and /admin/logs read them: UTC days (YYYY-MM-DD), both included; an empty
 * one is no bound, one that is not a real day is named in `problems` and left out. */
export function dayBounds(from: string, to: string): DayBounds {
  const out: DayBounds = { problems: [] };
  const start = from ? dayStart(from) : undefined;
  const end = to ? dayStart(to) : undefined;
  if (start === null) out.problems.push({ key: "from", why: "not a day (YYYY-MM-DD)" });
  else if (start !== undefined) out.from = start;
  if (end === null) out.problems.push({ key: "to", why: "not a day (YYYY-MM-DD)" });
  else if (end !== undefined) out.to = end + DAY_MS - 1;
  return out;
}

/** The filter fields as they appear in the URL (API易's names; `from`/`to` are UTC days). */
export const LOG_PARAMS = [
  "from",
  "to",
  "start_timestamp",
  "end_timestamp",
  "token_name",
  "model_name",
  "group",
  "type",
  "request_id",
] as const;
export type LogParams = Record<(typeof LOG_PARAMS)[number], string>;
const MAX_LEN: Record<string, number> = { token_name: 50, model_name: 200, group: 64, request_id: 100 };
export const TYPE_NAMES: Record<number, string> = {
  [LOG_TYPE.topup]: "top-up",
  [LOG_TYPE.consume]: "consume",
  [LOG_TYPE.admin]: "admin adjustment",
  [LOG_TYPE.system]: "system",
  [LOG_TYPE.error]: "error",
};

export type LogSearch = {
  /** what was asked, cleaned (invalid values dropped), for the form and for links */
  params: LogParams;
  filter: BrowseFilter;
  cursor: Cursor;
  size: number;
  /** the values dropped, each with why ("day": not a day, "unix": not unix seconds, "type": unknown) */
  problems: { key: keyof LogParams; why: "day" | "unix" | "type" }[];
};

/** Reads /log's query string; never throws: a value that makes no sense is dropped and named in `problems`. */
export function readLogSearch(actor: Actor, query: Record<string, unknown>): LogSearch {
  const params = Object.fromEntries(
    LOG_PARAMS.map((k) => [
      k,
      firstParam(query[k])
        .trim()
        .slice(0, MAX_LEN[k] ?? 40),
    ]),
  ) as LogParams;
  const problems: LogSearch["problems"] = [];
  const filter: BrowseFilter = { userId: actor.id };
  const drop = (key: keyof LogParams, why: LogSearch["problems"][number]["why"]) => {
    problems.push({ key, why });
    params[key] = "";
  };
  const int = (v: string) => (/^\d{1,15}$/.test(v) ? Number(v) : null);

  const days = dayBounds(params.from, params.to);
  for (const p of days.problems) drop(p.key, "day");
  if (days.from !== undefined) filter.from = days.from;
  if (days.to !== undefined) filter.to = days.to;
  // API易's unix-second bounds, for links from elsewhere: they narrow the days further
  if (params.start_timestamp) {
    const s = int(params.start_timestamp);
    if (s === null) drop("start_timestamp", "unix");
    else filter.from = Math.max(filter.from ?? 0, s * 1000);
  }
  if (params.end_timestamp) {
    const s = int(params.end_timestamp);
    if (s === null) drop("end_timestamp", "unix");
    else filter.to = Math.min(filter.to ?? Number.MAX_SAFE_INTEGER, s * 1000 + 999);
  }
  if (params.type === VIDEO_LOGS.type) filter.endpoint = VIDEO_LOGS.endpoint;
  else if (params.type) {
    const t = int(params.type);
    if (t === null || !TYPE_NAMES[t]) drop("type", "type");
    else filter.type = t;
  }
  if (params.token_name) filter.tokenName = params.token_name;
  if (params.model_name) filter.model = params.model_name;
  if (params.group) filter.group = params.group;
  if (params.request_id) filter.requestId = params.request_id;

  const before = int(firstParam(query.before));
  const after = int(firstParam(query.after));
  const size = Math.min(100, Math.max(1, int(firstParam(query.size)) ?? 50));
  const cursor: Cursor = before !== null ? { before } : after !== null ? { after } : {};
  return { params, filter, cursor, size, problems };
}

/** The filter's query string (only the fields that are set), optionally with more fields. */
export function searchQuery(params: LogParams, more: Record<string, string | number | undefined> = {}) {
  const q = new URLSearchParams();
  for (const k of LOG_PARAMS) if (params[k]) q.set(k, params[k]);
  for (const [k, v] of Object.entries(more)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const hasFilter = (s: LogSearch) => LOG_PARAMS.some((k) => s.params[k] !== "");

export type LogPage = { rows: LogRow[]; newerAfter?: number; olderBefore?: number };

/** One page, newest first, with the cursors of the pages next to it. A filter no index serves may
 * show fewer rows than `size` (its walk is bounded: store/log-browse.ts), still with its links. */
export async function logPage(ctx: Ctx, s: LogSearch): Promise<LogPage> {
  const store = ctx.store.logBrowse;
  if (s.cursor.after !== undefined) {
    const newer = await store.page(s.filter, s.cursor, s.size);
    // nothing newer than this page: it is the first page, shown full
    if (newer.more && newer.rows.length)
      return { rows: newer.rows, newerAfter: newer.next, olderBefore: newer.rows.at(-1)!.id };
    if (newer.more) return { rows: [], newerAfter: newer.next };
    return logPage(ctx, { ...s, cursor: {} });
  }
  const { rows, more, next } = await store.page(s.filter, s.cursor, s.size);
  const olderBefore = more ? next : undefined;
  if (s.cursor.before === undefined) return { rows, olderBefore };
  return { rows, olderBefore, newerAfter: rows.length ? rows[0].id : s.cursor.before - 1 };
}

export type LogTotals = {
  /** what the rows are: calls (consume and error rows), or one other type */
  type: "calls" | number;
  source: "daily" | "rows";
  count: number;
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
};

const aligned = (f: BrowseFilter) =>
  (f.from === undefined || f.from % DAY_MS === 0) && (f.to === undefined || (f.to + 1) % DAY_MS === 0);

/** The ids of the user's tokens now called `name` (the rollups are kept per token id). */
function tokenIdsNamed(ctx: Ctx, userId: number, name: string) {
  const ids: number[] = [];
  for (const t of ctx.snapshot.current.tokensByHash.values())
    if (t.userId === userId && t.name === name) ids.push(t.id);
  return ids;
}

/** Calls, tokens and cost of the filtered set: from usage_daily when the filter is whole UTC days
 * without a request id nor an endpoint, of calls (consume or error rows, which the rollups keep
 * apart), and a token name belongs to one of the user's tokens; else from the rows. */
export async function logTotals(ctx: Ctx, s: LogSearch): Promise<LogTotals> {
  const f = s.filter;
  const callType = f.type === LOG_TYPE.consume || f.type === LOG_TYPE.error;
  if (f.type !== undefined && !callType) {
    const r = await ctx.store.logBrowse.sums(f, [f.type]);
    return {
      type: f.type === LOG_TYPE.consume || f.type === LOG_TYPE.error ? "calls" : f.type,
      source: "rows",
      count: r.rows,
      ...pick(r),
    };
  }
  const tokenIds = f.tokenName ? tokenIdsNamed(ctx, f.userId, f.tokenName) : undefined;
  // the daily rollups keep no endpoint: a video filter is summed from the rows
  if (!f.requestId && !f.endpoint && aligned(f) && (tokenIds === undefined || tokenIds.length > 0)) {
    const r = await ctx.store.usage.sums({
      userId: f.userId,
      fromDay: f.from === undefined ? undefined : isoDay(f.from),
      toDay: f.to === undefined ? undefined : isoDay(f.to),
      model: f.model,
      group: f.group,
      tokenIds,
      type: f.type,
    });
    return { type: "calls", source: "daily", count: r.calls, ...pick(r) };
  }
  const r = await ctx.store.logBrowse.sums(f, f.type !== undefined ? [f.type] : [LOG_TYPE.consume, LOG_TYPE.error]);
  return { type: "calls", source: "rows", count: r.rows, ...pick(r) };
}
const pick = (r: { prompt: number; cached: number; completion: number; quota: number }) => ({
  prompt: r.prompt,
  cached: r.cached,
  completion: r.completion,
  quota: r.quota,
});

/** Every row of the filter, newest first, in batches (keyset: each batch is one indexed query). A
 * filter without a user (an admin's export) reads everyone's rows. */
export async function* logBatches(ctx: Ctx, filter: LogFilter, batch = 1000) {
  let before: number | undefined;
  for (;;) {
    const { rows, more, next } = await ctx.store.logBrowse.page(filter, { before }, batch);
    if (rows.length) yield rows;
    if (!more) return;
    before = next;
  }
}

/** The token names, models and groups to suggest in the filter. */
export async function logChoices(ctx: Ctx, actor: Actor) {
  const tokens = new Set<string>();
  for (const t of ctx.snapshot.current.tokensByHash.values()) if (t.userId === actor.id) tokens.add(t.name);
  return { tokens: [...tokens].sort(), ...(await ctx.store.usage.names(actor.id)) };
}

/** How many of the latest rows the dashboard's medians and success rate read at most. */
export const SAMPLE_ROWS = 10_000;

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};

export async function dashboard(ctx: Ctx, actor: Actor, now = Date.now()) {
  const usage = ctx.store.usage;
  const today = isoDay(now);
  const since = (days: number) => isoDay(now - (days - 1) * DAY_MS);
  const first = since(30);
  const month = await usage.sums({ userId: actor.id, fromDay: first });
  const spent = new Map((await usage.perDay(actor.id, first)).map((d) => [d.day, d]));
  const perDay = Array.from({ length: 30 }, (_, i) => {
    const day = isoDay(now - (29 - i) * DAY_MS);
    return { day, quota: spent.get(day)?.quota ?? 0, calls: spent.get(day)?.calls ?? 0 };
  });
  // success rate and medians from the latest rows of the 30 days (at most SAMPLE_ROWS read)
  const from = Date.parse(`${first}T00:00:00Z`);
  const calls = (await ctx.store.logBrowse.latest(actor.id, SAMPLE_ROWS)).filter(
    (r) => r.createdAt >= from && (r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error),
  );
  const ok = calls.filter((r) => r.type === LOG_TYPE.consume);
  const user = await getUser(ctx, actor.id);
  return {
    balance: {
      unlimited: user.unlimited,
      quota: user.quota,
      budget_period: user.budget_period,
      period_quota: user.period_quota,
      period_resets_at: user.period_resets_at,
      period_resets_in: user.period_resets_in,
    },
    spend: {
      today: (await usage.sums({ userId: actor.id, fromDay: today })).quota,
      week: (await usage.sums({ userId: actor.id, fromDay: since(7) })).quota,
      month: month.quota,
    },
    calls: month.calls,
    sample: {
      calls: calls.length,
      /** fewer rows than the rollups count: the rate is over the latest calls only */
      partial: calls.length < month.calls,
      // the caller's own refusals (404 model, quota, …) are not the service's failures: core/outcome
      successRate: successRate(calls.map(callOutcome)),
      refused: calls.filter((r) => callOutcome(r) === "refused").length,
      medianMs: median(ok.map((r) => r.durationMs)),
      medianTtftMs: median(ok.filter((r) => r.ttftMs > 0).map((r) => r.ttftMs)),
    },
    perDay,
    perModel: await usage.perModel(actor.id, first, 8),
  };
}

export type Dashboard = ReturnType<typeof dashboard>;
