// /api/log/*: call records and balance changes.
import { LogQuery, listLogs } from "../services/logs";
import { readPage } from "../services/paging";
import type { routeTable } from "./route";

export function logRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "logs";
  add(
    {
      method: "GET",
      path: "/api/log/self",
      summary: "Your log rows, newest first",
      tag,
      access: "user",
      query: LogQuery,
    },
    ({ ctx, actor, query }) => listLogs(ctx, actor, query, readPage(query), true),
  );
  add(
    {
      method: "GET",
      path: "/api/log/",
      summary: "Everyone's log rows (admins)",
      tag,
      access: "admin",
      query: LogQuery,
    },
    ({ ctx, actor, query }) => listLogs(ctx, actor, query, readPage(query), false),
  );
}
