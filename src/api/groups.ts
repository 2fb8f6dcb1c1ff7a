// /api/group/*: groups are readable by every signed-in user, changed by admins.
import { createGroup, deleteGroup, GroupCreate, GroupUpdate, listGroups, updateGroup } from "../services/groups";
import type { routeTable } from "./route";

export function groupRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "groups";
  add(
    {
      method: "GET",
      path: "/api/group/",
      summary: "Groups you may use, with multipliers (admins: all)",
      tag,
      access: "user",
    },
    ({ ctx, actor }) => listGroups(ctx, actor),
  );
  add(
    {
      method: "POST",
      path: "/api/group/",
      summary: "Create a group",
      tag,
      access: "admin",
      body: GroupCreate,
      creates: true,
    },
    ({ ctx, body }) => createGroup(ctx, body),
  );
  add(
    {
      method: "PUT",
      path: "/api/group/:name",
      summary: "Update a group's description, multiplier or selectable flag",
      tag,
      access: "admin",
      body: GroupUpdate,
    },
    ({ ctx, params, body }) => updateGroup(ctx, params.name, body),
  );
  add(
    {
      method: "DELETE",
      path: "/api/group/:name",
      summary: "Delete a group no token or channel uses",
      tag,
      access: "admin",
    },
    ({ ctx, params }) => deleteGroup(ctx, params.name),
  );
}
