// Budget periods: calendar boundaries in a time zone (DST included), the roll of a token and of a user
// under a fake clock, and a hold taken before a boundary settled against its own period, whichever
// account rolled (core/quota.ts).
import { describe, expect, test } from "bun:test";
import { isTimeZone, nextBoundary, periodStart, resetsAt, rollIfDue } from "../../src/core/budget";
import { reserve, settle, type Hold } from "../../src/core/quota";
import type { TokenEntry } from "../../src/core/snapshot";
import { userEntry } from "../support/entries";
import { AppError } from "../../src/errors";

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (sec: number) => new Date(sec * 1000).toISOString();

describe("period boundaries", () => {
  test("daily at midnight, weekly on Monday, monthly on the 1st, in UTC", () => {
    const now = at("2026-03-19T15:30:00Z"); // a Thursday
    expect(iso(periodStart(now, "daily", "UTC"))).toBe("2026-03-19T00:00:00.000Z");
    expect(iso(nextBoundary(now, "daily", "UTC"))).toBe("2026-03-20T00:00:00.000Z");
    expect(iso(periodStart(now, "weekly", "UTC"))).toBe("2026-03-16T00:00:00.000Z");
    expect(iso(nextBoundary(now, "weekly", "UTC"))).toBe("2026-03-23T00:00:00.000Z");
    expect(iso(periodStart(now, "monthly", "UTC"))).toBe("2026-03-01T00:00:00.000Z");
    expect(iso(nextBoundary(now, "monthly", "UTC"))).toBe("2026-04-01T00:00:00.000Z");
  });

  test("a Monday is its own week's start; December rolls into January", () => {
    expect(iso(periodStart(at("2026-03-16T00:00:00Z"), "weekly", "UTC"))).toBe("2026-03-16T00:00:00.000Z");
    expect(iso(periodStart(at("2026-03-22T23:59:59Z"), "weekly", "UTC"))).toBe("2026-03-16T00:00:00.000Z");
    expect(iso(nextBoundary(at("2026-12-31T23:00:00Z"), "monthly", "UTC"))).toBe("2027-01-01T00:00:00.000Z");
  });

  test("in the operator's time zone: Asia/Shanghai midnight is 16:00 UTC the day before", () => {
    const now = at("2026-03-19T17:00:00Z"); // already the 20th in Shanghai
    expect(iso(periodStart(now, "daily", "Asia/Shanghai"))).toBe("2026-03-19T16:00:00.000Z");
    expect(iso(nextBoundary(now, "daily", "Asia/Shanghai"))).toBe("2026-03-20T16:00:00.000Z");
    expect(iso(periodStart(now, "monthly", "Asia/Shanghai"))).toBe("2026-02-28T16:00:00.000Z");
  });

  test("across daylight saving time: the day is 23 or 25 hours long, midnight stays midnight", () => {
    const tz = "Europe/Berlin"; // clocks go forward on 2026-03-29, back on 2026-10-25
    expect(iso(nextBoundary(at("2026-03-29T10:00:00Z"), "daily", tz))).toBe("2026-03-29T22:00:00.000Z");
    expect(iso(periodStart(at("2026-03-29T10:00:00Z"), "daily", tz))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(nextBoundary(at("2026-10-25T10:00:00Z"), "daily", tz))).toBe("2026-10-25T23:00:00.000Z");
  });

  test("a midnight that does not exist (Santiago skips 00:00 in September) starts the day at 01:00", () => {
    const start = periodStart(at("2026-09-06T12:00:00Z"), "daily", "America/Santiago");
    expect(iso(start)).toBe("2026-09-06T04:00:00.000Z"); // 01:00 local, UTC−3
  });

  test("time zone names are checked", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

const budgeted = (remain: number, start: number) => ({
  budgetPeriod: "daily",
  periodQuota: 1000,
  periodStart: start,
  remainQuota: remain,
  unlimitedQuota: false,
});

describe("the roll, under a fake clock", () => {
  const day1 = at("2026-03-19T00:00:00Z");
  test("nothing before the boundary; at it, remain returns to the allowance and the period moves", () => {
    const t = budgeted(250, day1);
    expect(rollIfDue("token", t, day1 + 86_399, "UTC")).toBeNull();
    expect(t.remainQuota).toBe(250);
    expect(rollIfDue("token", t, day1 + 86_400, "UTC")).toEqual({ remainDelta: 750, periodStart: day1 + 86_400 });
    expect(t).toMatchObject({ remainQuota: 1000, periodStart: day1 + 86_400, periodEnd: day1 + 2 * 86_400 });
    expect(rollIfDue("token", t, day1 + 86_401, "UTC")).toBeNull();
  });

  test("days without calls: the new period is the one containing now, not the next after the old", () => {
    const t = budgeted(0, day1);
    const roll = rollIfDue("token", t, day1 + 5 * 86_400 + 3600, "UTC");
    expect(roll).toEqual({ remainDelta: 1000, periodStart: day1 + 5 * 86_400 });
  });

  test("a token without a period never rolls", () => {
    const t = { ...budgeted(5, day1), budgetPeriod: "" };
    expect(rollIfDue("token", t, day1 + 10 * 86_400, "UTC")).toBeNull();
    expect(resetsAt(t, day1, "UTC")).toBeNull();
  });

  test("resetsAt: the next boundary, also for a period that ended without a call since", () => {
    expect(resetsAt(budgeted(1, day1), day1 + 10, "UTC")).toBe(day1 + 86_400);
    expect(resetsAt(budgeted(1, day1), day1 + 86_400 * 2 + 5, "UTC")).toBe(day1 + 86_400 * 3);
  });
});

const token = (remain: number, start: number): TokenEntry =>
  ({ ...budgeted(remain, start), id: 1, userId: 1, usedQuota: 0 }) as unknown as TokenEntry;
const user = (quota: number, period?: { allowance: number; start: number }) =>
  userEntry(quota, period ? { budgetPeriod: "daily", periodQuota: period.allowance, periodStart: period.start } : {});

describe("a call in flight across the boundary", () => {
  const day1 = at("2026-03-19T00:00:00Z");
  test("the hold belongs to the old period: its refund stays there, the charge counts to used_quota only", () => {
    const t = token(1000, day1);
    const u = user(10_000);
    const hold = reserve(t, u, 400, "the call") as Hold;
    expect(hold.tokenPeriod).toBe(day1);
    expect(t.remainQuota).toBe(600);
    rollIfDue("token", t, day1 + 86_400, "UTC"); // the new day starts full
    expect(t.remainQuota).toBe(1000);
    const s = settle(t, u, hold, 150);
    expect(s).toEqual({ charged: 150, shortfall: 0, tokenDelta: 0, userDelta: 250 });
    expect(t.remainQuota).toBe(1000);
    expect(t.usedQuota).toBe(150);
    expect(u.quota).toBe(10_000 - 150);
  });

  test("a cost above the old period's hold is not taken from the new period (the rest is shortfall)", () => {
    const t = token(1000, day1);
    const u = user(10_000);
    const hold = reserve(t, u, 400, "the call") as Hold;
    rollIfDue("token", t, day1 + 86_400, "UTC");
    expect(settle(t, u, hold, 900)).toMatchObject({ charged: 400, shortfall: 500, tokenDelta: 0 });
    expect(t.remainQuota).toBe(1000);
  });

  test("a hold taken in the new period settles against it as usual", () => {
    const t = token(1000, day1);
    const u = user(10_000);
    rollIfDue("token", t, day1 + 86_400, "UTC");
    const hold = reserve(t, u, 400, "the call") as Hold;
    expect(settle(t, u, hold, 150)).toMatchObject({ charged: 150, tokenDelta: 250 });
    expect(t.remainQuota).toBe(850);
  });

  test("the new period refuses on its own remain only", () => {
    const t = token(0, day1);
    expect(reserve(t, user(10_000), 1, "x")).toBeInstanceOf(AppError);
    rollIfDue("token", t, day1 + 86_400, "UTC");
    expect(reserve(t, user(10_000), 1, "x")).not.toBeInstanceOf(AppError);
  });
});

describe("a user's budget: the same roll and the same settlement rule", () => {
  const day1 = at("2026-03-19T00:00:00Z");
  const unlimitedToken = (): TokenEntry => ({ ...token(0, 0), budgetPeriod: "", unlimitedQuota: true });

  test("at the boundary the balance is set to the allowance (not added); used_quota is untouched", () => {
    const u = user(250, { allowance: 1000, start: day1 });
    u.usedQuota = 5000;
    expect(rollIfDue("user", u, day1 + 86_399, "UTC")).toBeNull();
    expect(rollIfDue("user", u, day1 + 86_400, "UTC")).toEqual({ remainDelta: 750, periodStart: day1 + 86_400 });
    expect(u).toMatchObject({ quota: 1000, usedQuota: 5000, periodStart: day1 + 86_400 });
    const over = user(1500, { allowance: 1000, start: day1 }); // a top-up in the old period
    expect(rollIfDue("user", over, day1 + 86_400, "UTC")?.remainDelta).toBe(-500);
    expect(over.quota).toBe(1000);
  });

  test("a user without a period never rolls, and an unlimited one keeps its stored balance", () => {
    const u = user(5);
    expect(rollIfDue("user", u, day1 + 10 * 86_400, "UTC")).toBeNull();
    const free = { ...user(5, { allowance: 1000, start: day1 }), unlimited: true };
    expect(rollIfDue("user", free, day1 + 86_400, "UTC")?.remainDelta).toBe(0);
    expect(free.quota).toBe(5);
  });

  test("a hold taken before the user's boundary: the refund stays in the old period, the charge counts to used_quota", () => {
    const t = unlimitedToken();
    const u = user(1000, { allowance: 1000, start: day1 });
    const hold = reserve(t, u, 400, "the call") as Hold;
    expect(hold.userPeriod).toBe(day1);
    expect(u.quota).toBe(600);
    rollIfDue("user", u, day1 + 86_400, "UTC");
    expect(u.quota).toBe(1000);
    expect(settle(t, u, hold, 150)).toEqual({ charged: 150, shortfall: 0, tokenDelta: 0, userDelta: 0 });
    expect(u).toMatchObject({ quota: 1000, usedQuota: 150 });
  });

  test("a cost above the old period's hold is not taken from the user's new period (the rest is shortfall)", () => {
    const u = user(1000, { allowance: 1000, start: day1 });
    const hold = reserve(unlimitedToken(), u, 400, "the call") as Hold;
    rollIfDue("user", u, day1 + 86_400, "UTC");
    expect(settle(unlimitedToken(), u, hold, 900)).toMatchObject({ charged: 400, shortfall: 500, userDelta: 0 });
    expect(u.quota).toBe(1000);
  });

  test("a hold taken in the user's new period settles against it as usual; the token's own period is its own", () => {
    const t = token(1000, day1);
    const u = user(1000, { allowance: 1000, start: day1 });
    rollIfDue("user", u, day1 + 86_400, "UTC");
    const hold = reserve(t, u, 400, "the call") as Hold;
    expect(hold).toMatchObject({ tokenPeriod: day1, userPeriod: day1 + 86_400 });
    rollIfDue("token", t, day1 + 86_400, "UTC"); // only the token rolls after the hold
    expect(settle(t, u, hold, 150)).toMatchObject({ charged: 150, tokenDelta: 0, userDelta: 250 });
    expect(u.quota).toBe(850);
    expect(t.remainQuota).toBe(1000);
  });
});
