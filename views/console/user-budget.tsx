/** @jsxImportSource @kitajs/html */
// /admin/users: the Budget dialog, where an admin gives a user a balance that is set back to an
// allowance every day, week or month (services/users.ts; the rule is core/budget.ts).
import { UserDialog } from "./admin-users";
import { budgetText, PeriodSelect } from "./budget";
import type { UserView } from "./models";

/** The dialog's inputs, as typed (shown again with an error) or from the user. */
export type BudgetForm = { budget_period: string; allowance_usd: string };

export function UserBudgetDialog(props: { u: UserView; form: BudgetForm }) {
  const { u, form } = props;
  const now = budgetText(u);
  return (
    <UserDialog u={u} action="budget" title="Budget of" submit="Save">
      <p class="muted small">
        At each boundary the balance is set to the allowance (not added to it); Used keeps the all-time total. A new
        period, or a new allowance, sets the balance now. A top-up adds to the current period only.
      </p>
      <fieldset class="row">
        <label>
          Allowance ($)
          <input name="allowance_usd" inputmode="decimal" value={form.allowance_usd} placeholder="e.g. 5" />
        </label>
        <label>
          Resets
          <PeriodSelect value={form.budget_period} />
        </label>
      </fieldset>
      {now ? (
        <p class="muted small" safe>
          {`Now: ${now}.`}
        </p>
      ) : (
        ""
      )}
    </UserDialog>
  );
}
