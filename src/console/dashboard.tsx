/** @jsxImportSource @kitajs/html */
// The /dashboard page: the signed-in user's own balance, spend and calls (admins see theirs too), in
// the reader's language and currency.
import { DashboardPage } from "../../views/console/dashboard";
import { dashboard } from "../services/call-stats";
import type { consoleTable } from "./route";

export function dashboardPages({ page }: ReturnType<typeof consoleTable>) {
  page(
    "/dashboard",
    { title: ({ t }) => t("dashboard.title") },
    async ({ ctx, user, t }) => DashboardPage({ d: await dashboard(ctx, user), t }) as string,
  );
}
