// Budget periods: an account's balance (a token's remain_quota, a user's quota) that comes back every
// day, week or month, at calendar boundaries in the operator's time zone (daily at midnight, weekly on
// Monday, monthly on the 1st). Pure: the clock is passed in (unix seconds). The roll sets the balance
// to the period's allowance; used_quota keeps the all-time total. A hold remembers each account's
// period it was taken in (core/quota.ts settles by it). Editing a budget: core/budget-edit.ts.

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

export const isPeriod = (p: string): p is BudgetPeriod => (BUDGET_PERIODS as readonly string[]).includes(p);

/** Where each kind of account keeps its balance and its unlimited flag (snapshot entries and rows alike). */
export const ACCOUNT_FIELDS = {
  token: { balance: "remainQuota", unlimited: "unlimitedQuota" },
  user: { balance: "quota", unlimited: "unlimited" },
} as const;
export type AccountKind = keyof typeof ACCOUNT_FIELDS;
type Fields<K extends AccountKind> = (typeof ACCOUNT_FIELDS)[K];

/** The period columns tokens and users share; `periodEnd` caches the next boundary (memory only). */
export type Period = { budgetPeriod: string; periodQuota: number; periodStart: number; periodEnd?: number };
/** An account of kind K as a roll needs it: its period, its balance and its unlimited flag. */
export type Budgeted<K extends AccountKind> = Period & { [F in Fields<K>["balance"]]: number } & {
  [F in Fields<K>["unlimited"]]: boolean;
};

/** An account's balance and flag, whichever kind it is. */
export function balanceOf<K extends AccountKind>(kind: K, a: Budgeted<K>) {
  const f = ACCOUNT_FIELDS[kind];
  const fields = a as unknown as Record<string, number | boolean>;
  return {
    balance: fields[f.balance] as number,
    unlimited: fields[f.unlimited] as boolean,
    set: (balance: number) => {
      fields[f.balance] = balance;
    },
  };
}

export type Roll = { remainDelta: number; periodStart: number };

/** Whether the account's period has ended at `nowSec` (its end is worked out once and kept). */
export function isDue(a: Period, nowSec: number, tz: string): boolean {
  if (!isPeriod(a.budgetPeriod)) return false;
  a.periodEnd ??= nextBoundary(a.periodStart, a.budgetPeriod, tz);
  return nowSec >= a.periodEnd;
}

/** When the account's period has ended at `nowSec`: a new one starts, full (the balance = the
 * allowance), and the change to persist is returned; otherwise null and nothing changes. Holds of the
 * old period stay with it: core/quota.ts settles them without touching the new period's balance. */
export function rollIfDue<K extends AccountKind>(kind: K, a: Budgeted<K>, nowSec: number, tz: string): Roll | null {
  if (!isPeriod(a.budgetPeriod) || !isDue(a, nowSec, tz)) return null;
  const start = periodStart(nowSec, a.budgetPeriod, tz);
  const now = balanceOf(kind, a);
  const remainDelta = now.unlimited ? 0 : a.periodQuota - now.balance;
  now.set(now.balance + remainDelta);
  a.periodStart = start;
  a.periodEnd = nextBoundary(start, a.budgetPeriod, tz);
  return { remainDelta, periodStart: start };
}

/** When the account's balance comes back next (unix s), or null without a period. */
export function resetsAt(a: Pick<Period, "budgetPeriod" | "periodStart">, nowSec: number, tz: string): number | null {
  if (!isPeriod(a.budgetPeriod)) return null;
  const end = nextBoundary(a.periodStart, a.budgetPeriod, tz);
  return end > nowSec ? end : nextBoundary(periodStart(nowSec, a.budgetPeriod, tz), a.budgetPeriod, tz);
}
