/** @jsxImportSource @kitajs/html */
// /admin/users: list and search, New user (username, password, role), disable/enable, unlimited
// on/off, top up (the service writes the top-up log row with the balance), a budget period, rate
// limits, delete, and a user's tokens in a dialog. Rules (the last admin stays, no deleting yourself) live in services/users.
import {
  NewUserDialog,
  TopUpDialog,
  UserLimitsDialog,
  UserRow,
  UserTable,
  UserTokensDialog,
} from "../../views/console/admin-users";
import type { UserView } from "../../views/console/models";
import { type BudgetForm, UserBudgetDialog } from "../../views/console/user-budget";
import { usd } from "../../views/console/money";
import { rateLimitForm } from "../../views/console/rate-limits";
import { unitsToUsd, usdToUnits } from "../core/money";
import { USER_STATUS } from "../core/status";
import { invalidField, keyed } from "../errors";
import { recognised } from "../i18n/errors";
import { readPage } from "../services/paging";
import { listTokens } from "../services/tokens";
import { createUser, deleteUser, getUser, listUsers, topUp, updateUser } from "../services/users";
import { checked, fromDialog, oobNewRow, oobRow, type AdminTable } from "./admin-kit";
import { readRateLimits } from "./rate-limit-form";
import { type Form, first } from "./route";

const row = (u: UserView, selfId: number) => UserRow({ u, self: u.id === selfId }) as string;

/** "$10" or "10.5" → quota units, refusing nothing-at-all; a refusal names `field`. */
function amountUnits(text: string, field = "amount") {
  let units: number;
  try {
    units = usdToUnits(text.trim().replace(/^\$/, "") || "0");
  } catch (e) {
    throw invalidField(field, recognised((e as Error).message));
  }
  if (units <= 0) throw invalidField(field, keyed("error.amount.positive"));
  return units;
}

/** The Budget dialog's fields → the user service's: a period needs its allowance, "never" clears it. */
function readBudget(f: Form) {
  const budget_period = first(f.budget_period);
  if (!budget_period) return { budget_period };
  return { budget_period, period_quota: amountUnits(first(f.allowance_usd), "allowance") };
}

const budgetForm = (u: UserView): BudgetForm => ({
  budget_period: u.budget_period,
  allowance_usd: u.budget_period ? unitsToUsd(u.period_quota) : "",
});

export function adminUserPages({ page, action, fragment }: AdminTable) {
  page("/admin/users", { title: "Users", admin: true }, ({ ctx, user, query, path }) => {
    const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
    const keyword = query.keyword ?? "";
    const list = listUsers(ctx, paging, keyword);
    return UserTable({
      path,
      rows: list.items,
      selfId: user.id,
      total: list.total,
      page: paging.p,
      size: paging.size,
      keyword,
    }) as string;
  });
  fragment("/admin/users/new", () => NewUserDialog() as string);
  fragment(
    "/admin/users/:id/topup",
    ({ ctx, params }) => TopUpDialog({ u: getUser(ctx, Number(params.id)) }) as string,
  );
  fragment("/admin/users/:id/limits", ({ ctx, params }) => {
    const u = getUser(ctx, Number(params.id));
    return UserLimitsDialog({ u, limits: rateLimitForm(u) }) as string;
  });
  action("POST", "/admin/users/:id/limits", { admin: true }, ({ ctx, user, params, form }) =>
    fromDialog(async () => {
      const u = await updateUser(ctx, { id: Number(params.id), ...readRateLimits(form) });
      return { html: oobRow(row(u, user.id)), toast: `Rate limits of ${u.username} saved`, closeDialog: true };
    }),
  );
  fragment("/admin/users/:id/budget", ({ ctx, params }) => {
    const u = getUser(ctx, Number(params.id));
    return UserBudgetDialog({ u, form: budgetForm(u) }) as string;
  });
  action("POST", "/admin/users/:id/budget", { admin: true }, ({ ctx, user, params, form }) =>
    fromDialog(async () => {
      const u = await updateUser(ctx, { id: Number(params.id), ...readBudget(form) }, user);
      const toast = u.budget_period
        ? `Budget of ${u.username}: ${usd(u.period_quota)} ${u.budget_period}`
        : `Budget of ${u.username} removed`;
      return { html: oobRow(row(u, user.id)), toast, closeDialog: true };
    }),
  );
  fragment("/admin/users/:id/tokens", ({ ctx, user, params }) => {
    const u = getUser(ctx, Number(params.id));
    const list = listTokens(ctx, user, readPage({ p: "1", size: "100" }), "", u.id);
    return UserTokensDialog({ u, tokens: list.items, total: list.total }) as string;
  });

  action("POST", "/admin/users", { admin: true }, ({ ctx, user, form }) =>
    fromDialog(async () => {
      const u = await createUser(ctx, {
        username: first(form.username),
        password: first(form.password),
        role: first(form.role) || "user",
      });
      return {
        html: oobNewRow("user-rows", row(u, user.id), "beforeend"),
        toast: `User ${u.username} created`,
        closeDialog: true,
      };
    }),
  );
  action("PUT", "/admin/users/:id/status", { admin: true }, async ({ ctx, user, params, form }) => {
    const u = await updateUser(ctx, { id: Number(params.id), status: Number(first(form.status)) });
    return { html: row(u, user.id), toast: u.status === USER_STATUS.enabled ? "Enabled" : "Disabled" };
  });
  action("PUT", "/admin/users/:id/unlimited", { admin: true }, async ({ ctx, user, params, form }) => {
    const u = await updateUser(ctx, { id: Number(params.id), unlimited: checked(form, "unlimited") });
    return { html: row(u, user.id), toast: u.unlimited ? "Unlimited" : "Limited to the balance" };
  });
  action("POST", "/admin/users/:id/topup", { admin: true }, ({ ctx, user, params, form }) =>
    fromDialog(() => {
      const quota = amountUnits(first(form.amount_usd));
      const u = topUp(ctx, user, Number(params.id), { quota });
      return {
        html: oobRow(row(u, user.id)),
        toast: `Added ${usd(quota)}: the balance is ${usd(u.quota)}`,
        closeDialog: true,
      };
    }),
  );
  action("DELETE", "/admin/users/:id", { admin: true }, ({ ctx, user, params }) => {
    deleteUser(ctx, user, Number(params.id));
    return { html: "", toast: "Deleted" };
  });
}
