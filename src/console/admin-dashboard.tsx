/** @jsxImportSource @kitajs/html */
// /admin/dashboard (admins): the site-wide figures of services/admin-dashboard.ts for the period in
// the URL (?period=today|7d|30d, or custom&from=&to=). A period that makes no sense is named above the
// figures, which then show the default 7 days. In the reader's language and currency (`call.t`).
import { AdminDashboardPage } from "../../views/console/admin-dashboard";
import { isUserError } from "../errors";
import { errorText } from "../i18n/errors";
import { adminDashboard } from "../services/admin-dashboard";
import type { AdminTable } from "./admin-kit";

export function adminDashboardPages({ page }: AdminTable) {
  page("/admin/dashboard", { title: ({ t }) => t("adminDash.title"), admin: true }, async ({ ctx, query, path, t }) => {
    const ask = { period: query.period || undefined, from: query.from, to: query.to };
    try {
      return AdminDashboardPage({ path, d: await adminDashboard(ctx, ask), t }) as string;
    } catch (e) {
      if (!isUserError(e)) throw e;
      return AdminDashboardPage({ path, d: await adminDashboard(ctx, {}), notice: errorText(e, t), t }) as string;
    }
  });
}
