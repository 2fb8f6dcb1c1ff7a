// The admin dashboard's figures (console /admin/dashboard and GET /api/dashboard): site-wide calls,
// outcomes, tokens and spend over a period of local days in the operator's time zone, per day (or per
// hour for one day), the top models, channels, groups and users, and latency percentiles. Everything
// comes from the hourly rollups (store/hourly.ts), never from the log rows, so its cost does not
// grow with the logs. Calls only: top-ups, adjustments and system calls (type 4) are not in it.
import { z } from "zod";
import { type Histogram, histogramCount, type Percentile, percentile } from "../core/histogram";
import type { CallSums } from "../core/outcome";
import { isPeriodProblem, type Period, PERIODS, resolvePeriod } from "../core/local-days";
import { invalidField } from "../errors";
import type { Dim, HourlySums } from "../store/hourly";
import type { Ctx } from "./context";
import { validate } from "./validate";

export const DashboardQuery = z.object({
  period: z.enum(PERIODS).default("7d").describe("today, 7d, 30d (ending today) or custom (from, to)"),
  from: z.string().max(10).optional().describe("custom period: first local day, YYYY-MM-DD"),
  to: z.string().max(10).optional().describe("custom period: last local day, YYYY-MM-DD (inclusive)"),
  top: z.coerce.number().int().min(1).max(100).default(10).describe("how many models, channels, groups, users"),
});
/** the query as it came (validated here) */
export type DashboardInput = unknown;

type Sums = CallSums;
export type Ranked = Sums & { key: string; name: string; p50_ms?: number | null };
export type Ranking = { top: Ranked[]; rest: (Sums & { values: number }) | null; values: number };
type Latency = { p50: Percentile | null; p95: Percentile | null; samples: number };

const ZERO: HourlySums = { calls: 0, failed: 0, refused: 0, prompt: 0, cached: 0, completion: 0, quota: 0 };
const FIELDS = Object.keys(ZERO) as (keyof HourlySums)[];
/** a + sign × b, field by field */
const combine = (a: HourlySums, b: HourlySums, sign = 1) =>
  Object.fromEntries(FIELDS.map((f) => [f, a[f] + sign * b[f]])) as HourlySums;

function sums(s: HourlySums): Sums {
  const ok = s.calls - s.failed - s.refused;
  return {
    calls: s.calls,
    ok,
    failed: s.failed,
    refused: s.refused,
    success_rate: ok + s.failed ? ok / (ok + s.failed) : null,
    prompt_tokens: s.prompt,
    cached_tokens: s.cached,
    completion_tokens: s.completion,
    quota: s.quota,
  };
}

const latency = (h: Histogram): Latency => ({
  p50: percentile(h, 0.5),
  p95: percentile(h, 0.95),
  samples: histogramCount(h),
});

/** The period asked for, or a 422 naming the field. */
export function readPeriod(ctx: Ctx, input: DashboardInput): Period & { top: number } {
  const q = validate(DashboardQuery, input);
  const p = resolvePeriod(q.period, ctx.now(), ctx.snapshot.current.relay.budgetTimezone, q);
  if (isPeriodProblem(p)) throw invalidField(p.field, p.message);
  return { ...p, top: q.top };
}

/** How a dimension's key reads: channel and user ids become names (deleted ones say so). */
function namer(ctx: Ctx, dim: Dim): (key: string) => string {
  const snap = ctx.snapshot.current;
  if (dim === "channel")
    return (k) => (k === "0" ? "(no channel)" : `${snap.channelsById.get(Number(k))?.name ?? "(deleted)"} #${k}`);
  if (dim === "user") return (k) => snap.usersById.get(Number(k))?.username ?? `#${k} (deleted)`;
  return (k) => k || "(none)";
}

async function ranking(
  ctx: Ctx,
  dim: Dim,
  p: Period,
  top: number,
  total: HourlySums,
  withLatency: boolean,
): Promise<Ranking> {
  const store = ctx.store.hourly;
  const rows = await store.top(dim, p.start, p.end, top);
  const hist = withLatency
    ? await store.histograms(
        dim,
        p.start,
        p.end,
        rows.map((r) => r.key),
      )
    : undefined;
  const name = namer(ctx, dim);
  const values = rows[0]?.values ?? 0;
  const shown = rows.reduce<HourlySums>((a, r) => combine(a, r), ZERO);
  return {
    top: rows.map((r) => ({
      key: r.key,
      name: name(r.key),
      ...sums(r),
      ...(hist ? { p50_ms: percentile(hist.get(r.key)!.latency, 0.5)?.ms ?? null } : {}),
    })),
    rest: values > rows.length ? { values: values - rows.length, ...sums(combine(total, shown, -1)) } : null,
    values,
  };
}

export async function adminDashboard(ctx: Ctx, input: DashboardInput) {
  await ctx.ledger.flushed(); // calls that have finished are in the rollups
  const p = readPeriod(ctx, input);
  const store = ctx.store.hourly;
  const hours = await store.perHour(p.start, p.end);
  const total = hours.reduce<HourlySums>((a, h) => combine(a, h), ZERO);
  let i = 0;
  const series = p.slots.map((slot) => {
    let s = ZERO;
    while (i < hours.length && hours[i].hour < slot.end) s = combine(s, hours[i++]);
    return { key: slot.key, label: slot.label, start: slot.start, calls: s.calls, quota: s.quota };
  });
  const all = (await store.histograms("all", p.start, p.end, [""])).get("")!;
  return {
    period: {
      name: p.name,
      from: p.from,
      to: p.to,
      timezone: p.timezone,
      start: p.start,
      end: p.end,
      /** what each entry of `series` is: a local day, or an hour of a one-day period */
      unit: p.days.length === 1 ? ("hour" as const) : ("day" as const),
    },
    totals: sums(total),
    latency: latency(all.latency),
    ttft: latency(all.ttft),
    series,
    by_model: await ranking(ctx, "model", p, p.top, total, true),
    by_channel: await ranking(ctx, "channel", p, p.top, total, true),
    by_group: await ranking(ctx, "group", p, p.top, total, false),
    by_user: await ranking(ctx, "user", p, p.top, total, false),
  };
}

export type AdminDashboard = ReturnType<typeof adminDashboard>;
