// Assembles the HTTP app from the modules; holds no logic of its own.
import { html } from "@elysiajs/html";
import { Elysia } from "elysia";
import { alertRoutes } from "./api/alerts";
import { channelRoutes } from "./api/channels";
import { dashboardRoutes } from "./api/dashboard";
import { groupRoutes } from "./api/groups";
import { logRoutes } from "./api/logs";
import { openApiDocument } from "./api/openapi";
import { pricingRoutes } from "./api/pricing";
import { redemptionRoutes } from "./api/redemptions";
import { routeTable } from "./api/route";
import { settingRoutes } from "./api/settings";
import { statusRoutes } from "./api/status";
import { testClockRoutes } from "./api/test-clock";
import { tokenRoutes } from "./api/tokens";
import { userRoutes } from "./api/users";
import { adminChannelPages } from "./console/admin-channels";
import { adminDashboardPages } from "./console/admin-dashboard";
import { adminExportPages } from "./console/admin-exports";
import { adminGroupPages } from "./console/admin-groups";
import { adminTable } from "./console/admin-kit";
import { adminLogPages } from "./console/admin-logs";
import { adminPriceCatalogPages } from "./console/admin-price-catalog";
import { adminPricingPages } from "./console/admin-pricing";
import { adminRedemptionPages } from "./console/admin-redemptions";
import { adminSettingsPages } from "./console/admin-settings";
import { adminUserPages } from "./console/admin-users";
import { languageRoutes } from "./console/language";
import { loginRoutes } from "./console/login";
import { securityHeaders } from "./console/headers";
import { consoleTable } from "./console/route";
import { tokenPages } from "./console/tokens";
import { catalogPages } from "./console/catalog";
import { accountPages } from "./console/account";
import { displayActions } from "./console/display";
import { tokenExtras } from "./console/token-extras";
import { logPages } from "./console/logs";
import { videoPages } from "./console/videos";
import { dashboardPages } from "./console/dashboard";
import { topUpPages } from "./console/topup";
import { metricsRoute } from "./observe/metrics-route";
import type { Runtime } from "./runtime";
import type { LowBalanceAlert } from "./services/upstream-balance";
import { assetRoutes } from "./web/assets";

/** The Elysia app for everything but /v1 (the relay is plain Bun routes, see server.ts). Each module is
 * a plugin taken with `.use`; route tables are filled by their page modules first, since Elysia copies
 * a plugin's routes when it is used. */
export function createApp(rt: Runtime) {
  const { ctx, life } = rt;
  const onLow: LowBalanceAlert = (channel, detail) => rt.alerts.upstreamBalanceLow(channel, detail);

  const api = routeTable(ctx);
  statusRoutes(api);
  userRoutes(api);
  tokenRoutes(api);
  groupRoutes(api);
  channelRoutes(api, onLow);
  pricingRoutes(api);
  settingRoutes(api);
  logRoutes(api);
  dashboardRoutes(api);
  alertRoutes(api);
  redemptionRoutes(api);
  testClockRoutes(api, rt); // only on a test clock (NODE_ENV=test)
  const doc = openApiDocument(api.specs);

  const console_ = consoleTable(ctx);
  tokenPages(console_);
  catalogPages(console_);
  accountPages(console_);
  displayActions(console_);
  tokenExtras(console_);
  logPages(console_);
  videoPages(console_, rt);
  dashboardPages(console_);
  topUpPages(console_);
  const admin_ = adminTable(ctx);
  adminChannelPages(admin_, onLow);
  adminUserPages(admin_);
  adminGroupPages(admin_);
  adminPricingPages(admin_);
  adminPriceCatalogPages(admin_);
  adminSettingsPages(admin_);
  adminLogPages(admin_);
  adminExportPages(admin_);
  adminDashboardPages(admin_);
  adminRedemptionPages(admin_);

  return (
    new Elysia()
      .use(html())
      .use(securityHeaders) // CSP, nosniff, Referrer-Policy, no framing: console/headers.ts
      // a Response, not a plain value: the html plugin would otherwise swallow the body
      .onError(({ code, request }) => {
        if (code !== "NOT_FOUND") return;
        const path = new URL(request.url).pathname;
        if (!path.startsWith("/api/")) return new Response("not found", { status: 404 });
        return Response.json(
          { success: false, message: `no route ${request.method} ${path}`, data: null },
          { status: 404 },
        );
      })
      // while draining the listener stays open so that probes see 503, but no new work is taken
      .onRequest(({ request }) => {
        if (!life.draining) return;
        const path = new URL(request.url).pathname;
        if (path === "/healthz" || path === "/readyz") return;
        const body = { success: false, message: "the server is shutting down; retry shortly", data: null };
        return Response.json(body, { status: 503, headers: { connection: "close", "retry-after": "1" } });
      })
      .get("/healthz", () => "ok")
      .get("/readyz", ({ set }) => {
        const state = life.draining ? "draining" : ctx.cluster && !ctx.cluster.up ? "database unavailable" : "ready";
        set.status = state === "ready" ? 200 : 503;
        return state;
      })
      .use(api.routes)
      .get("/openapi.json", () => doc)
      .use(assetRoutes)
      .use(metricsRoute(rt))
      .use(console_.routes)
      .use(loginRoutes(ctx))
      .use(languageRoutes(ctx))
      .use(admin_.routes)
  );
}
