// Budget-period fields as people send them (API bodies, console forms) and as replies show them, the
// same on tokens and users: budget_period and period_quota in, and out also when the period began and
// when the balance comes back (core/budget.ts, services/budget.ts).
import { z } from "zod";
import { BUDGET_PERIODS, type Period } from "../core/budget";

export const BudgetFields = z.object({
  budget_period: z
    .union([z.enum(BUDGET_PERIODS), z.enum(["", "none"]), z.null()], 'must be daily, weekly, monthly, or "" (none)')
    .transform((p) => (p === null || p === "none" ? "" : p))
    .describe('daily, weekly, monthly: the balance returns to period_quota at each boundary; "" or "none": never'),
  period_quota: z
    .number("must be a number of quota units (500,000 = $1)")
    .int("must be a whole number of quota units (500,000 = $1)")
    .min(0, "must be 0 or more quota units (500,000 = $1)")
    .max(Number.MAX_SAFE_INTEGER, "is too large")
    .describe("the allowance each budget period starts with, in quota units; required (above 0) with a period"),
});

/** An account's budget in replies; `resetsAt` from services/budget.ts budgetResetsAt. */
export const budgetView = (a: Period, nowSec: number, resetsAt: number | null) => ({
  budget_period: a.budgetPeriod,
  period_quota: a.periodQuota,
  period_start: a.periodStart,
  period_resets_at: resetsAt,
  period_resets_in: resetsAt === null ? null : Math.max(0, resetsAt - nowSec),
});
