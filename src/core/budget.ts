// Budget periods: a token's quota that comes back every day, week or month, at calendar boundaries in
// the operator's time zone (daily at midnight, weekly on Monday, monthly on the 1st). Pure: the clock
// is passed in (unix seconds). The roll resets the period's remain to its allowance; used_quota keeps
// the all-time total. A hold remembers the period it was taken in (core/quota.ts settles by it).

export const BUDGET_PERIODS = ["daily", "weekly", "monthly"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
/** "" = no period: the quota is spent once */
export type BudgetPeriodOrNone = BudgetPeriod | "";

/** Whether `tz` is an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall clock in `tz` at `sec`, as the UTC instant showing the same digits (seconds). */
export function wallClock(sec: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(sec * 1000))) parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) / 1000;
}

/** The instant whose wall clock in `tz` reads `wall` (a wall time in a DST gap: the instant just after it). */
export function fromWallClock(wall: number, tz: string): number {
  let guess = wall - (wallClock(wall, tz) - wall);
  guess = wall - (wallClock(guess, tz) - guess); // the offset at the answer, not at the first guess
  return wallClock(guess, tz) < wall ? guess + 3600 : guess;
}

/** Midnight (wall clock, seconds) of the day of `wall`, moved to the period's first day. */
function periodStartWall(wall: number, period: BudgetPeriod): number {
  const d = new Date(wall * 1000);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  if (period === "monthly") return Date.UTC(y, m, 1) / 1000;
  if (period === "weekly") return Date.UTC(y, m, day - ((d.getUTCDay() + 6) % 7)) / 1000; // back to Monday
  return Date.UTC(y, m, day) / 1000;
}

/** The start (unix s) of the period containing `nowSec`, in `tz`. */
export function periodStart(nowSec: number, period: BudgetPeriod, tz: string): number {
  return fromWallClock(periodStartWall(wallClock(nowSec, tz), period), tz);
}

/** The first boundary (unix s) after the period that contains `startSec`. */
export function nextBoundary(startSec: number, period: BudgetPeriod, tz: string): number {
  const d = new Date(periodStartWall(wallClock(startSec, tz), period) * 1000);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  const next =
    period === "monthly"
      ? Date.UTC(y, m + 1, 1)
      : period === "weekly"
        ? Date.UTC(y, m, day + 7)
        : Date.UTC(y, m, day + 1);
  return fromWallClock(next / 1000, tz);
}

/** What a budget roll needs of a token (a snapshot entry); `periodEnd` caches the next boundary. */
export type Budgeted = {
  budgetPeriod: string;
  periodQuota: number;
  periodStart: number;
  remainQuota: number;
  unlimitedQuota: boolean;
  periodEnd?: number;
};

export type Roll = { remainDelta: number; periodStart: number };

/** When the token's period has ended at `nowSec`: a new one starts, full (remain = the allowance), and
 * the change to persist is returned; otherwise null and nothing changes. Holds of the old period stay
 * with it: core/quota.ts settles them without touching the new period's remain. */
export function rollIfDue(t: Budgeted, nowSec: number, tz: string): Roll | null {
  if (!isPeriod(t.budgetPeriod)) return null;
  t.periodEnd ??= nextBoundary(t.periodStart, t.budgetPeriod, tz);
  if (nowSec < t.periodEnd) return null;
  const start = periodStart(nowSec, t.budgetPeriod, tz);
  const remainDelta = t.unlimitedQuota ? 0 : t.periodQuota - t.remainQuota;
  t.remainQuota += remainDelta;
  t.periodStart = start;
  t.periodEnd = nextBoundary(start, t.budgetPeriod, tz);
  return { remainDelta, periodStart: start };
}

export const isPeriod = (p: string): p is BudgetPeriod => (BUDGET_PERIODS as readonly string[]).includes(p);

/** When the token's quota comes back next (unix s), or null without a period. */
export function resetsAt(t: Pick<Budgeted, "budgetPeriod" | "periodStart">, nowSec: number, tz: string): number | null {
  if (!isPeriod(t.budgetPeriod)) return null;
  const end = nextBoundary(t.periodStart, t.budgetPeriod, tz);
  return end > nowSec ? end : nextBoundary(periodStart(nowSec, t.budgetPeriod, tz), t.budgetPeriod, tz);
}

export type BudgetInput = {
  budget_period?: BudgetPeriodOrNone;
  period_quota?: number;
  remain_quota?: number;
  unlimited_quota?: boolean;
};
export type BudgetState = {
  budgetPeriod: string;
  periodQuota: number;
  periodStart: number;
  remainQuota: number;
  unlimitedQuota: boolean;
};
export type BudgetProblem = { field: "budget_period" | "period_quota"; message: string };

/** The budget columns a create (`current` null) or an edit writes, or what is wrong. A new or changed
 * period starts now, full; a new allowance within the same period moves the remain by the difference
 * (what was spent this period stays spent). `startOf` gives the current period's start. */
export function editedBudget(
  current: BudgetState | null,
  patch: BudgetInput,
  startOf: (p: BudgetPeriod) => number,
): Partial<BudgetState> | BudgetProblem {
  const period = patch.budget_period ?? current?.budgetPeriod ?? "";
  if (!isPeriod(period)) return current?.budgetPeriod ? { budgetPeriod: "", periodQuota: 0 } : {};
  if (patch.unlimited_quota ?? current?.unlimitedQuota ?? false)
    return {
      field: "budget_period",
      message:
        'a budget period needs a limited token: give period_quota with unlimited_quota false, or set budget_period to "" (none)',
    };
  const fresh = !current || period !== current.budgetPeriod;
  const allowance =
    patch.period_quota ?? (fresh ? (patch.remain_quota ?? (current?.periodQuota || current?.remainQuota)) : null);
  const quota = allowance ?? current?.periodQuota ?? 0;
  if (quota <= 0)
    return { field: "period_quota", message: "the allowance each period starts with must be above 0 (500,000 = $1)" };
  if (fresh)
    return {
      budgetPeriod: period,
      periodQuota: quota,
      periodStart: startOf(period),
      remainQuota: patch.remain_quota ?? quota,
    };
  const remain = (patch.remain_quota ?? current.remainQuota) + quota - current.periodQuota;
  return { periodQuota: quota, remainQuota: Math.max(0, remain) };
}

export const isBudgetProblem = (b: Partial<BudgetState> | BudgetProblem): b is BudgetProblem => "message" in b;
