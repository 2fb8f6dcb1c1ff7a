// Editing an account's budget period (token or user): what a create or an edit writes to the period
// columns and the balance, or what is wrong. A new or changed period starts now, full; a new allowance
// within the same period moves the balance by the difference (what was spent stays spent); none ("")
// clears the period and leaves the balance as it is. Pure, like core/budget.ts.
import { type ErrorText, keyed } from "../errors";
import {
  balanceOf,
  isPeriod,
  type AccountKind,
  type BudgetPeriod,
  type BudgetPeriodOrNone,
  type Budgeted,
} from "./budget";

/** What a request asks; `balance` is a token's remain_quota (a user's balance is never set directly). */
export type BudgetInput = {
  budget_period?: BudgetPeriodOrNone;
  period_quota?: number;
  balance?: number;
  unlimited?: boolean;
};
export type BudgetState = {
  budgetPeriod: string;
  periodQuota: number;
  periodStart: number;
  balance: number;
  unlimited: boolean;
};
export type BudgetProblem = { field: "budget_period" | "period_quota"; message: ErrorText };

/** An account's row as editBudget reads it. */
export function budgetState<K extends AccountKind>(kind: K, row: Budgeted<K>): BudgetState {
  const { balance, unlimited } = balanceOf(kind, row);
  return {
    budgetPeriod: row.budgetPeriod,
    periodQuota: row.periodQuota,
    periodStart: row.periodStart,
    balance,
    unlimited,
  };
}

const NEEDS_LIMIT: Record<AccountKind, ErrorText> = {
  token: keyed("error.budget.limitedToken"),
  user: keyed("error.budget.limitedUser"),
};

/** The budget columns a create (`current` null) or an edit writes, or what is wrong. `startOf` gives
 * the current period's start. A new token's allowance defaults to its quota; a user's must be given. */
export function editedBudget(
  kind: AccountKind,
  current: BudgetState | null,
  patch: BudgetInput,
  startOf: (p: BudgetPeriod) => number,
): Partial<BudgetState> | BudgetProblem {
  const period = patch.budget_period ?? current?.budgetPeriod ?? "";
  if (!isPeriod(period)) return current?.budgetPeriod ? { budgetPeriod: "", periodQuota: 0 } : {};
  if (patch.unlimited ?? current?.unlimited ?? false) return { field: "budget_period", message: NEEDS_LIMIT[kind] };
  const fresh = !current || period !== current.budgetPeriod;
  const fallback =
    kind === "token" ? (patch.balance ?? (current?.periodQuota || current?.balance)) : current?.periodQuota;
  const quota = patch.period_quota ?? (fresh ? fallback : null) ?? current?.periodQuota ?? 0;
  if (quota <= 0) return { field: "period_quota", message: keyed("error.budget.allowance") };
  // a period's recorded start never moves back (a longer period chosen mid-way starts at the last one
  // recorded): quota leases on PostgreSQL tell periods apart by it (services/leases.ts)
  const periodStart = Math.max(startOf(period), current?.periodStart ?? 0);
  if (fresh) return { budgetPeriod: period, periodQuota: quota, periodStart, balance: patch.balance ?? quota };
  const balance = (patch.balance ?? current.balance) + quota - current.periodQuota;
  return { periodQuota: quota, balance: Math.max(0, balance) };
}

export const isBudgetProblem = (b: Partial<BudgetState> | BudgetProblem): b is BudgetProblem => "message" in b;
