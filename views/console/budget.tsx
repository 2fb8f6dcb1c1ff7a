/** @jsxImportSource @kitajs/html */
// Budget periods as the console shows them, the same for tokens and users: the period picker, and
// the note beside a budgeted balance ("of $5.00 daily · resets in 5 h").
import type { BudgetFields } from "./models";
import { usd } from "./money";

/** A limited balance may come back each period (the budget time zone is an admin setting). */
export const PERIODS: [string, string][] = [
  ["", "never"],
  ["daily", "daily (midnight)"],
  ["weekly", "weekly (Monday)"],
  ["monthly", "monthly (the 1st)"],
];

/** 18,000 → "5 h", 90 → "2 min", 200,000 → "2 d" (rounded up: "resets in 0 min" is never shown). */
export function duration(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Math.ceil(seconds / 86_400)} d`;
  if (seconds >= 3600) return `${Math.ceil(seconds / 3600)} h`;
  return `${Math.max(1, Math.ceil(seconds / 60))} min`;
}

/** "of $5.00 daily · resets in 5 h", or "" without a period. */
export const budgetText = (b: BudgetFields) =>
  b.budget_period && b.period_resets_in !== null
    ? `of ${usd(b.period_quota)} ${b.budget_period} · resets in ${duration(b.period_resets_in)}`
    : "";

/** The note after a budgeted balance (a leading space, so it never sticks to the amount). */
export function BudgetNote(props: { b: BudgetFields }) {
  const note = budgetText(props.b);
  if (!note) return "";
  return ` ${
    (
      <small class="muted budget" safe>
        {note}
      </small>
    ) as string
  }`;
}

/** The Resets select of the token and user budget dialogs. */
export function PeriodSelect(props: { value: string }) {
  return (
    <select name="budget_period">
      {PERIODS.map(([value, label]) => (
        <option value={value} selected={props.value === value} safe>
          {label}
        </option>
      ))}
    </select>
  );
}
