/** @jsxImportSource @kitajs/html */
// The budget note the token and user tables show, and how long until a reset reads.
import { describe, expect, test } from "bun:test";
import { EN } from "../../../src/i18n";
import { budgetText, duration, PeriodSelect } from "../../../views/console/budget";

describe("the budget note", () => {
  test("a weekly allowance: 'of $5.00 weekly · resets in 3 d'", () => {
    const b = { budget_period: "weekly", period_quota: 2_500_000, period_resets_in: 2.5 * 86_400, period_resets_at: 1 };
    expect(budgetText(b)).toBe("of $5.00 weekly · resets in 3 d");
  });

  test("no period: nothing", () => {
    expect(budgetText({ budget_period: "", period_quota: 0, period_resets_in: null, period_resets_at: null })).toBe("");
  });

  test("durations read in the largest sensible unit, rounded up", () => {
    expect([duration(90), duration(18_000), duration(200_000), duration(0)]).toEqual(["2 min", "5 h", "3 d", "1 min"]);
  });

  test("the period picker selects the current period", () => {
    expect(PeriodSelect({ value: "monthly", t: EN }) as string).toContain('<option value="monthly" selected>');
  });
});
