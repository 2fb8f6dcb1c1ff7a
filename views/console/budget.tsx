/** @jsxImportSource @kitajs/html */
// Budget periods as the console shows them, the same for tokens and users: the period picker, and
// the note beside a budgeted balance ("of $5.00 daily · resets in 5 h"), in the reader's language
// when the page passes its translator (English otherwise).
import { EN, type PlainKey, type Translator } from "../../src/i18n";
import type { BudgetFields } from "./models";
import { usd } from "./money";

/** A limited balance may come back each period (the budget time zone is an admin setting). */
export const PERIODS: [string, PlainKey][] = [
  ["", "budget.pick.never"],
  ["daily", "budget.pick.daily"],
  ["weekly", "budget.pick.weekly"],
  ["monthly", "budget.pick.monthly"],
];
export const PERIOD_WORDS: Record<string, PlainKey> = {
  daily: "budget.daily",
  weekly: "budget.weekly",
  monthly: "budget.monthly",
};

/** 18,000 → "5 h", 90 → "2 min", 200,000 → "2 d" (rounded up: "resets in 0 min" is never shown). */
export function duration(seconds: number, { t }: Translator = EN): string {
  if (seconds >= 2 * 86_400) return t("duration.days", { n: Math.ceil(seconds / 86_400) });
  if (seconds >= 3600) return t("duration.hours", { n: Math.ceil(seconds / 3600) });
  return t("duration.minutes", { n: Math.max(1, Math.ceil(seconds / 60)) });
}

/** "of $5.00 daily · resets in 5 h", or "" without a period. */
export function budgetText(b: BudgetFields, given?: Translator): string {
  if (!b.budget_period || b.period_resets_in === null) return "";
  const tr = given ?? EN;
  const word = PERIOD_WORDS[b.budget_period];
  return tr.t("budget.note", {
    amount: usd(b.period_quota, false, given),
    period: word ? tr.t(word) : b.budget_period,
    duration: duration(b.period_resets_in, tr),
  });
}

/** The note after a budgeted balance (a leading space, so it never sticks to the amount). */
export function BudgetNote(props: { b: BudgetFields; t: Translator }) {
  const note = budgetText(props.b, props.t);
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
export function PeriodSelect(props: { value: string; t: Translator }) {
  const { t } = props.t;
  return (
    <select name="budget_period">
      {PERIODS.map(([value, label]) => (
        <option value={value} selected={props.value === value} safe>
          {t(label)}
        </option>
      ))}
    </select>
  );
}
