// The shape of a token as people send it (API body, CLI flags) and as replies show it.
import { z } from "zod";
import { BILLING_MODES, effectiveStatus, normalizeList, parseJsonList } from "../core/token-rules";
import { TOKEN_STATUS } from "../core/status";
import type { TokenWithOwner } from "../store/tokens";
import type { TokenRow } from "../db/schema";
import { BudgetFields, budgetView } from "./budget-schema";
import { RateLimitFields, RateLimitPatch, rateLimitView } from "./rate-limit-schema";

/** Accepted as an array or a comma string; always returned as an array. */
const list = (max: number, itemMax = 200) =>
  z
    .union([z.array(z.string()), z.string(), z.null()])
    .transform((v) => normalizeList(v))
    .pipe(z.array(z.string().max(itemMax)).max(max));

export const TokenFields = z.object({
  name: z.string().trim().min(1, "must not be empty").max(50, "at most 50 characters"),
  remain_quota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe("quota units, 500,000 = $1"),
  unlimited_quota: z.boolean(),
  expired_time: z.number().int().min(-1).describe("unix seconds; -1 = never"),
  billing_mode: z.enum(BILLING_MODES),
  group: z
    .string()
    .nullish()
    .transform((g) => (g ? g : "default")),
  fallback_groups: list(2, 64).describe("0–2 groups tried in order when the default group cannot serve"),
  models: list(1000).describe("model whitelist; empty = every model"),
  allow_ips: list(100, 64).describe("IPs or CIDRs; empty = any"),
  status: z
    .union([z.literal(TOKEN_STATUS.enabled), z.literal(TOKEN_STATUS.disabled)])
    .describe("1 enabled, 2 disabled"),
  ...RateLimitFields.shape,
  budget_period: BudgetFields.shape.budget_period.describe(
    'daily, weekly, monthly: remain_quota returns to period_quota at each boundary; "" or "none": never',
  ),
  period_quota: BudgetFields.shape.period_quota.describe(
    "the allowance each budget period starts with, in quota units (default: remain_quota)",
  ),
});

/** POST /api/token/. The quota fields may be left out: core/token-quota says what they become. */
export const TokenCreate = TokenFields.extend({
  remain_quota: TokenFields.shape.remain_quota.optional(),
  unlimited_quota: TokenFields.shape.unlimited_quota
    .optional()
    .describe("default: true when remain_quota is left out (bounded by the owner's balance), else false"),
  expired_time: TokenFields.shape.expired_time.default(-1),
  billing_mode: TokenFields.shape.billing_mode.default("usage_first"),
  group: TokenFields.shape.group.default("default"),
  fallback_groups: TokenFields.shape.fallback_groups.default([]),
  models: TokenFields.shape.models.default([]),
  allow_ips: TokenFields.shape.allow_ips.default([]),
  status: TokenFields.shape.status.default(TOKEN_STATUS.enabled),
  ...RateLimitPatch.shape,
  budget_period: TokenFields.shape.budget_period.default(""),
  period_quota: TokenFields.shape.period_quota.optional(),
});
export type TokenCreateInput = z.output<typeof TokenCreate>;

/** PUT /api/token/: `id` plus any fields; the ones left out keep their values. */
export const TokenUpdate = TokenFields.partial().extend({ id: z.number().int().positive() });
export const TokenStatusUpdate = z.object({ id: z.number().int().positive(), status: TokenFields.shape.status });

/** `resetsAt`: when a budgeted token's quota comes back next (services/budget.ts), else null. */
export function tokenView(t: TokenRow | TokenWithOwner, nowSec: number, resetsAt: number | null = null) {
  return {
    id: t.id,
    user_id: t.userId,
    ...("username" in t ? { username: t.username } : {}),
    name: t.name,
    key: t.keyMask,
    status: effectiveStatus(t, nowSec),
    remain_quota: t.remainQuota,
    unlimited_quota: t.unlimitedQuota,
    used_quota: t.usedQuota,
    expired_time: t.expiredTime,
    billing_mode: t.billingMode,
    group: t.group,
    fallback_groups: parseJsonList(t.fallbackGroups),
    models: parseJsonList(t.models),
    allow_ips: parseJsonList(t.allowIps),
    ...budgetView(t, nowSec, resetsAt),
    request_count: t.requestCount,
    created_time: t.createdTime,
    accessed_time: t.accessedTime,
    ...rateLimitView(t),
  };
}
export type TokenView = ReturnType<typeof tokenView>;
