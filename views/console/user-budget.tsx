/** @jsxImportSource @kitajs/html */
// /admin/users: the Budget dialog, where an admin gives a user a balance that is set back to an
// allowance every day, week or month (services/users.ts; the rule is core/budget.ts). The allowance
// is typed in the reader's currency.
import type { Translator } from "../../src/i18n";
import { UserDialog } from "./admin-users";
import { budgetText, PeriodSelect } from "./budget";
import type { UserView } from "./models";

/** The dialog's inputs, as typed (shown again with an error) or from the user. */
export type BudgetForm = { budget_period: string; allowance_usd: string };

export function UserBudgetDialog(props: { u: UserView; form: BudgetForm; t: Translator }) {
  const { u, form, t: tr } = props;
  const { t } = tr;
  const now = budgetText(u, tr);
  return (
    <UserDialog
      u={u}
      action="budget"
      title={t("userBudget.title", { name: u.username })}
      submit={t("common.save")}
      t={tr}
    >
      <p class="muted small" safe>
        {t("userBudget.explain")}
      </p>
      <fieldset class="row">
        <label>
          <span safe>{t("userBudget.allowance", { symbol: tr.currency.symbol })}</span>
          <input
            name="allowance_usd"
            inputmode="decimal"
            value={form.allowance_usd}
            placeholder={t("userBudget.placeholder")}
          />
        </label>
        <label>
          <span safe>{t("userBudget.resets")}</span>
          <PeriodSelect value={form.budget_period} t={tr} />
        </label>
      </fieldset>
      {now ? (
        <p class="muted small" safe>
          {t("userBudget.now", { note: now })}
        </p>
      ) : (
        ""
      )}
    </UserDialog>
  );
}
