// /api/dashboard: the admin dashboard's figures as JSON (the same as the console's /admin/dashboard).
import { adminDashboard, DashboardQuery } from "../services/admin-dashboard";
import type { routeTable } from "./route";

export function dashboardRoutes({ add }: ReturnType<typeof routeTable>) {
  add(
    {
      method: "GET",
      path: "/api/dashboard",
      summary: "Site-wide calls, outcomes, tokens, spend and latency over a period, from the hourly rollups (admins)",
      tag: "logs",
      access: "admin",
      query: DashboardQuery,
    },
    ({ ctx, query }) => adminDashboard(ctx, query),
  );
}
