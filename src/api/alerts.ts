// /api/user/setting (new-api's path and fields): the caller's low-balance alert settings; /api/alert/*:
// the alert send log, the caller's own or (admins) everyone's. The admin destination and the limits
// are runtime settings (/api/setting, alert_*).
import { AlertSettingsInput, alertSettingsView, recentSends, saveAlertSettings } from "../services/user-alerts";
import type { routeTable } from "./route";

export function alertRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "alerts";
  add(
    {
      method: "GET",
      path: "/api/user/setting",
      summary: "Your alert settings: notify_type, quota_warning_threshold (units), webhook_url, has_webhook_secret",
      tag,
      access: "user",
    },
    ({ ctx, actor }) => alertSettingsView(ctx, actor.id),
  );
  add(
    {
      method: "PUT",
      path: "/api/user/setting",
      summary:
        "Change your alert settings; a generated webhook_secret comes back once (regenerate_secret: true for a new one)",
      tag,
      access: "user",
      body: AlertSettingsInput,
    },
    ({ ctx, actor, body }) => saveAlertSettings(ctx, actor, body),
  );
  add(
    { method: "GET", path: "/api/alert/self", summary: "Your last 50 alert sends", tag, access: "user" },
    ({ ctx, actor }) => recentSends(ctx, actor.id),
  );
  add(
    { method: "GET", path: "/api/alert/", summary: "The last 50 alert sends, everyone's", tag, access: "admin" },
    ({ ctx }) => recentSends(ctx),
  );
}
