// /api/setting: runtime settings, admins only.
import { z } from "zod";
import { readSettings, writeSettings } from "../services/settings";
import type { routeTable } from "./route";

export function settingRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "settings";
  add({ method: "GET", path: "/api/setting", summary: "Read runtime settings", tag, access: "admin" }, ({ ctx }) =>
    readSettings(ctx),
  );
  add(
    {
      method: "PUT",
      path: "/api/setting",
      summary: "Change settings: {register_enabled?, new_user_quota?}",
      tag,
      access: "admin",
      body: z.record(z.string(), z.unknown()),
    },
    ({ ctx, body }) => writeSettings(ctx, body),
  );
}
