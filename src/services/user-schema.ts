// The shape of a user account as people send it (API bodies, console forms, sign-up) and as replies
// show it: role, status, unlimited flag, rate limits and budget period.
import { z } from "zod";
import { isTimeZone } from "../core/budget";
import { CURRENCY_CODES, type CurrencyCode } from "../core/display-money";
import { USER_ROLE, USER_STATUS } from "../core/status";
import { type Lang, LANGUAGE_CODES } from "../i18n";
import type { UserRow } from "../db/schema";
import { BudgetFields, budgetView } from "./budget-schema";
import { RateLimitPatch, rateLimitView } from "./rate-limit-schema";

export const Username = z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, "3–32 letters, digits, _ . -");
export const Password = z.string().min(8, "at least 8 characters").max(128, "at most 128 characters");
const Role = z.enum(USER_ROLE);

const USER_BUDGET = {
  budget_period: BudgetFields.shape.budget_period.describe(
    'daily, weekly, monthly: the balance (quota) is set back to period_quota at each boundary; "" or "none": never',
  ),
  period_quota: BudgetFields.shape.period_quota.describe(
    "the balance each budget period starts with, in quota units (500,000 = $1); required (above 0) with a period",
  ),
};

export const UserCreate = z.object({
  username: Username,
  password: Password,
  role: Role.default(USER_ROLE.user),
  budget_period: USER_BUDGET.budget_period.default(""),
  period_quota: USER_BUDGET.period_quota.optional(),
});
export const Register = z.object({ username: Username, password: Password });
export const UserUpdate = z.object({
  id: z.number().int().positive(),
  role: Role.optional(),
  status: z
    .union([z.literal(USER_STATUS.enabled), z.literal(USER_STATUS.disabled)])
    .optional()
    .describe("1 enabled, 2 disabled"),
  unlimited: z.boolean().optional(),
  password: Password.optional(),
  ...RateLimitPatch.shape,
  budget_period: USER_BUDGET.budget_period.optional(),
  period_quota: USER_BUDGET.period_quota.optional(),
});
export const SelfUpdate = z.object({
  current_password: z.string().min(1, "give your current password").max(128),
  password: Password,
});
export const TopUp = z.object({
  quota: z
    .number()
    .int()
    .refine((q) => q > 0, "must be a positive number of quota units; use /adjust to take quota away")
    .refine((q) => q <= Number.MAX_SAFE_INTEGER / 2, "is too large"),
});
export const Adjust = z.object({
  delta: z
    .number()
    .int()
    .refine((d) => d !== 0 && Math.abs(d) <= Number.MAX_SAFE_INTEGER / 2, "must be a non-zero integer"),
  reason: z.string().trim().min(1, "say why").max(200),
});

/** How the person reads the console; "" = not chosen (the cookie, browser or server default decides). */
export const Display = z.object({
  language: z.union([z.literal(""), z.enum(LANGUAGE_CODES as [Lang, ...Lang[]])]),
  currency: z.union([z.literal(""), z.enum(CURRENCY_CODES as [CurrencyCode, ...CurrencyCode[]])]),
  time_zone: z
    .string()
    .trim()
    .max(64)
    .refine((tz) => tz === "" || isTimeZone(tz), "must be an IANA time zone name, e.g. Asia/Shanghai, or empty"),
});

/** `resetsAt`: when a budgeted user's balance comes back next (services/budget.ts), else null. */
export const userFields = (u: UserRow, nowSec: number, resetsAt: number | null) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  status: u.status,
  quota: u.quota,
  used_quota: u.usedQuota,
  unlimited: u.unlimited,
  request_count: u.requestCount,
  has_access_token: u.accessTokenHash !== null,
  ...rateLimitView(u),
  ...budgetView(u, nowSec, resetsAt),
  created_at: u.createdAt,
});
