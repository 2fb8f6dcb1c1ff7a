/** @jsxImportSource @kitajs/html */
// /admin/users: list and search, New user (username, password, role), disable/enable, unlimited
// on/off, top up (the service writes the top-up log row with the balance), a budget period, rate
// limits, delete, and a user's tokens in a dialog. Rules (the last admin stays, no deleting yourself)
// live in services/users. Amounts are typed in the reader's currency; every word is in their language.
import { NewUserDialog, TopUpDialog, UserLimitsDialog, UserRow, UserTable } from "../../views/console/admin-users";
import type { UserView } from "../../views/console/models";
import { type BudgetForm, UserBudgetDialog } from "../../views/console/user-budget";
import { UserTokensDialog } from "../../views/console/user-tokens";
import { PERIOD_WORDS } from "../../views/console/budget";
import { usd } from "../../views/console/money";
import { rateLimitForm } from "../../views/console/rate-limits";
import { USER_STATUS } from "../core/status";
import { invalidField } from "../errors";
import type { Translator } from "../i18n";
import { readPage } from "../services/paging";
import { listTokens } from "../services/tokens";
import { createUser, deleteUser, getUser, listUsers, topUp, updateUser } from "../services/users";
import { checked, fromDialog, oobNewRow, oobRow, type AdminTable } from "./admin-kit";
import { typedUnits } from "./money-input";
import { readRateLimits } from "./rate-limit-form";
import { type Form, first } from "./route";

const row = (u: UserView, selfId: number, t: Translator) => UserRow({ u, self: u.id === selfId, t }) as string;

/** An amount typed in the reader's currency → quota units, above 0; a refusal names `field`.
 * `was`: the units the field was prefilled with (kept exactly when untouched). */
function amountUnits(t: Translator, text: string, field = "amount", was?: number) {
  const units = typedUnits(t, field, text.trim() || "0", was);
  if (units <= 0) throw invalidField(field, t.t("adminUsers.moreThanZero", { zero: `${t.currency.symbol}0` }));
  return units;
}

/** The Budget dialog's fields → the user service's: a period needs its allowance, "never" clears it. */
function readBudget(f: Form, t: Translator, was: UserView) {
  const budget_period = first(f.budget_period);
  if (!budget_period) return { budget_period };
  const prefilled = was.budget_period ? was.period_quota : undefined;
  return { budget_period, period_quota: amountUnits(t, first(f.allowance_usd), "allowance", prefilled) };
}

const budgetForm = (u: UserView, t: Translator): BudgetForm => ({
  budget_period: u.budget_period,
  allowance_usd: u.budget_period ? t.moneyValue(u.period_quota) : "",
});

/** The Budget toast: the allowance and its period, or that it is gone. */
function budgetToast(u: UserView, tr: Translator) {
  if (!u.budget_period) return tr.t("adminUsers.toast.budgetRemoved", { name: u.username });
  const word = PERIOD_WORDS[u.budget_period];
  const period = word ? tr.t(word) : u.budget_period;
  return tr.t("adminUsers.toast.budget", { name: u.username, amount: usd(u.period_quota, false, tr), period });
}

export function adminUserPages({ page, action, fragment }: AdminTable) {
  page(
    "/admin/users",
    { title: ({ t }) => t("adminUsers.title"), admin: true },
    async ({ ctx, user, query, path, t }) => {
      const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
      const keyword = query.keyword ?? "";
      const list = await listUsers(ctx, paging, keyword);
      return UserTable({
        path,
        rows: list.items,
        selfId: user.id,
        total: list.total,
        page: paging.p,
        size: paging.size,
        keyword,
        t,
      }) as string;
    },
  );
  fragment("/admin/users/new", ({ t }) => NewUserDialog({ t }) as string);
  fragment(
    "/admin/users/:id/topup",
    async ({ ctx, params, t }) => TopUpDialog({ u: await getUser(ctx, Number(params.id)), t }) as string,
  );
  fragment("/admin/users/:id/limits", async ({ ctx, params, t }) => {
    const u = await getUser(ctx, Number(params.id));
    return UserLimitsDialog({ u, limits: rateLimitForm(u), t }) as string;
  });
  action("POST", "/admin/users/:id/limits", { admin: true }, ({ ctx, user, params, form, t }) =>
    fromDialog(async () => {
      const u = await updateUser(ctx, { id: Number(params.id), ...readRateLimits(form) });
      const toast = t.t("adminUsers.toast.limits", { name: u.username });
      return { html: oobRow(row(u, user.id, t)), toast, closeDialog: true };
    }),
  );
  fragment("/admin/users/:id/budget", async ({ ctx, params, t }) => {
    const u = await getUser(ctx, Number(params.id));
    return UserBudgetDialog({ u, form: budgetForm(u, t), t }) as string;
  });
  action("POST", "/admin/users/:id/budget", { admin: true }, ({ ctx, user, params, form, t }) =>
    fromDialog(async () => {
      const id = Number(params.id);
      const u = await updateUser(ctx, { id, ...readBudget(form, t, await getUser(ctx, id)) }, user);
      return { html: oobRow(row(u, user.id, t)), toast: budgetToast(u, t), closeDialog: true };
    }),
  );
  fragment("/admin/users/:id/tokens", async ({ ctx, user, params, t }) => {
    const u = await getUser(ctx, Number(params.id));
    const list = await listTokens(ctx, user, readPage({ p: "1", size: "100" }), "", u.id);
    return UserTokensDialog({ u, tokens: list.items, total: list.total, t }) as string;
  });

  action("POST", "/admin/users", { admin: true }, ({ ctx, user, form, t }) =>
    fromDialog(async () => {
      const u = await createUser(ctx, {
        username: first(form.username),
        password: first(form.password),
        role: first(form.role) || "user",
      });
      return {
        html: oobNewRow("user-rows", row(u, user.id, t), "beforeend"),
        toast: t.t("adminUsers.toast.created", { name: u.username }),
        closeDialog: true,
      };
    }),
  );
  action("PUT", "/admin/users/:id/status", { admin: true }, async ({ ctx, user, params, form, t }) => {
    const u = await updateUser(ctx, { id: Number(params.id), status: Number(first(form.status)) });
    const toast = t.t(u.status === USER_STATUS.enabled ? "adminUsers.toast.enabled" : "adminUsers.toast.disabled");
    return { html: row(u, user.id, t), toast };
  });
  action("PUT", "/admin/users/:id/unlimited", { admin: true }, async ({ ctx, user, params, form, t }) => {
    const u = await updateUser(ctx, { id: Number(params.id), unlimited: checked(form, "unlimited") });
    const toast = t.t(u.unlimited ? "adminUsers.toast.unlimited" : "adminUsers.toast.limited");
    return { html: row(u, user.id, t), toast };
  });
  action("POST", "/admin/users/:id/topup", { admin: true }, ({ ctx, user, params, form, t }) =>
    fromDialog(async () => {
      const quota = amountUnits(t, first(form.amount_usd));
      const u = await topUp(ctx, user, Number(params.id), { quota });
      return {
        html: oobRow(row(u, user.id, t)),
        toast: t.t("adminUsers.toast.added", { amount: usd(quota, false, t), balance: usd(u.quota, false, t) }),
        closeDialog: true,
      };
    }),
  );
  action("DELETE", "/admin/users/:id", { admin: true }, async ({ ctx, user, params, t }) => {
    await deleteUser(ctx, user, Number(params.id));
    return { html: "", toast: t.t("adminUsers.toast.deleted") };
  });
}
