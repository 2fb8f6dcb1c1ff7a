// /api/status: what a console or script needs to know about this server before signing in.
import { USER_ROLE } from "../core/status";
import { readSettings } from "../services/settings";
import { VERSION } from "../version";
import type { routeTable } from "./route";

export function statusRoutes({ add }: ReturnType<typeof routeTable>) {
  add(
    {
      method: "GET",
      path: "/api/status",
      summary: "Version and sign-up state; admins also see the in-memory snapshot",
      tag: "status",
      access: "public",
    },
    ({ ctx, actor }) => {
      const base = { version: VERSION, register_enabled: readSettings(ctx).register_enabled };
      if (actor?.role !== USER_ROLE.admin) return base;
      const s = ctx.snapshot.current;
      return {
        ...base,
        snapshot: {
          generation: ctx.snapshot.generation,
          tokens: s.tokensByHash.size,
          users: s.usersById.size,
          groups: s.groupsByName.size,
        },
      };
    },
  );
}
