/** @jsxImportSource @kitajs/html */
// The /dashboard page: the signed-in user's own balance, spend and calls (admins see theirs too).
import { DashboardPage } from "../../views/console/dashboard";
import { dashboard } from "../services/call-stats";
import type { consoleTable } from "./route";

export function dashboardPages({ page }: ReturnType<typeof consoleTable>) {
  page("/dashboard", { title: "Dashboard" }, ({ ctx, user }) => DashboardPage({ d: dashboard(ctx, user) }) as string);
}
