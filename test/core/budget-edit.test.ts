// Editing a budget (core/budget-edit.ts): a token's allowance defaults to its quota, a user's must be
// given; a new period starts full, a new allowance within the period moves the balance by the
// difference, an unlimited account is refused.
import { describe, expect, test } from "bun:test";
import { budgetState, editedBudget, type BudgetProblem, type BudgetState } from "../../src/core/budget-edit";
import { renderText } from "../../src/errors";

describe("editing the budget", () => {
  const start = () => 777;
  const state = (o: Partial<BudgetState> = {}): BudgetState => ({
    budgetPeriod: "daily",
    periodQuota: 1000,
    periodStart: 700,
    balance: 300,
    unlimited: false,
    ...o,
  });
  test("a new token: the allowance is period_quota, else remain_quota; the period starts now, full", () => {
    expect(editedBudget("token", null, { budget_period: "daily", balance: 500, unlimited: false }, start)).toEqual({
      budgetPeriod: "daily",
      periodQuota: 500,
      periodStart: 777,
      balance: 500,
    });
    expect(editedBudget("token", null, { budget_period: "", balance: 5 }, start)).toEqual({});
  });

  test("a period on an unlimited token, or an allowance of 0, is refused with what to do", () => {
    expect(editedBudget("token", null, { budget_period: "weekly", unlimited: true }, start)).toMatchObject({
      field: "budget_period",
    });
    expect(editedBudget("token", state(), { period_quota: 0 }, start)).toMatchObject({ field: "period_quota" });
  });

  test("a new allowance within the period moves the remain by the difference; spent stays spent", () => {
    expect(editedBudget("token", state(), { period_quota: 2000 }, start)).toEqual({ periodQuota: 2000, balance: 1300 });
    expect(editedBudget("token", state(), { period_quota: 500 }, start)).toEqual({ periodQuota: 500, balance: 0 });
  });

  test("another period starts now, full; none clears it", () => {
    expect(editedBudget("token", state(), { budget_period: "monthly" }, start)).toEqual({
      budgetPeriod: "monthly",
      periodQuota: 1000,
      periodStart: 777,
      balance: 1000,
    });
    expect(editedBudget("token", state(), { budget_period: "" }, start)).toEqual({ budgetPeriod: "", periodQuota: 0 });
  });

  test("a recorded start never moves back: a longer period chosen mid-way starts at the last one recorded", () => {
    // the week began at 600, before the day's start (700): the day's start is kept, the boundary is the week's
    expect(editedBudget("token", state(), { budget_period: "weekly" }, () => 600)).toMatchObject({
      budgetPeriod: "weekly",
      periodStart: 700,
    });
  });
});

describe("editing a user's budget", () => {
  const start = () => 777;
  const row = {
    budgetPeriod: "",
    periodQuota: 0,
    periodStart: 0,
    quota: 4000,
    unlimited: false,
  };
  test("read from a user's row: the balance is its quota", () => {
    expect(budgetState("user", row)).toEqual({
      budgetPeriod: "",
      periodQuota: 0,
      periodStart: 0,
      balance: 4000,
      unlimited: false,
    });
  });

  test("a period set on a user needs period_quota (the balance is not taken for it); then the balance is set to it", () => {
    const current = budgetState("user", row);
    expect(editedBudget("user", current, { budget_period: "daily" }, start)).toMatchObject({ field: "period_quota" });
    expect(editedBudget("user", null, { budget_period: "daily", period_quota: 0 }, start)).toMatchObject({
      field: "period_quota",
    });
    expect(editedBudget("user", current, { budget_period: "daily", period_quota: 1000 }, start)).toEqual({
      budgetPeriod: "daily",
      periodQuota: 1000,
      periodStart: 777,
      balance: 1000,
    });
  });

  test("an unlimited user is refused a period, naming what to change", () => {
    const problem = editedBudget("user", null, { budget_period: "weekly", period_quota: 5, unlimited: true }, start);
    expect(problem).toMatchObject({ field: "budget_period" });
    expect(renderText((problem as BudgetProblem).message)).toContain("limited user");
  });

  test("another period keeps the allowance; none clears it and leaves the balance", () => {
    const daily = { ...budgetState("user", row), budgetPeriod: "daily", periodQuota: 1000, balance: 200 };
    expect(editedBudget("user", daily, { budget_period: "weekly" }, start)).toMatchObject({
      budgetPeriod: "weekly",
      periodQuota: 1000,
      balance: 1000,
    });
    expect(editedBudget("user", daily, { budget_period: "" }, start)).toEqual({ budgetPeriod: "", periodQuota: 0 });
    expect(editedBudget("user", daily, { period_quota: 1500 }, start)).toEqual({ periodQuota: 1500, balance: 700 });
  });
});
