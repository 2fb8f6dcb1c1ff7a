// Snapshot entries for unit tests of the pure rules (billing, budgets): a user with a balance and no
// limits, alert or budget unless the test says otherwise.
import type { UserEntry } from "../../src/core/snapshot";

export const NO_RATE_LIMITS = { rpmLimit: 0, tpmLimit: 0, rpdLimit: 0, maxParallelRequests: 0 };

export const userEntry = (quota: number, extra: Partial<UserEntry> = {}): UserEntry => ({
  id: 1,
  username: "u",
  role: "user",
  status: 1,
  quota,
  usedQuota: 0,
  unlimited: false,
  alertThreshold: 0,
  ...NO_RATE_LIMITS,
  budgetPeriod: "",
  periodQuota: 0,
  periodStart: 0,
  ...extra,
});
