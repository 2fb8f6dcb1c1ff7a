/** @jsxImportSource @kitajs/html */
// /admin/logs: every user's log rows, newest first, filtered by UTC days (from, to: both included, read
// as /log reads them), user (by username), type, model, token and request id (the URL keeps the
// filters), with each row's attempts chain. The same filters make the CSV export at /admin/logs.csv
// (console/admin-exports.ts). In the reader's language (`call.t`), the refusals of a filter included.
import { LogTable, type LogFilters } from "../../views/console/admin-logs";
import type { LogView } from "../../views/console/models";
import { isUserError } from "../errors";
import type { Translator } from "../i18n";
import { errorText } from "../i18n/errors";
import type { Ctx } from "../services/context";
import { dayBounds, firstParam } from "../services/call-stats";
import { allChannels } from "../services/channels";
import { listLogs } from "../services/logs";
import { readPage } from "../services/paging";
import { listUsers } from "../services/users";
import type { AdminTable } from "./admin-kit";

/** The filters as the URL gives them, and the log query they make (none: a day that is not one, 422,
 * or a user that does not exist, 404; `notice` says which, in the reader's language). */
export async function readAdminLogFilters(ctx: Ctx, query: Record<string, unknown>, { t }: Translator) {
  const filters: LogFilters = {
    from: firstParam(query.from).trim(),
    to: firstParam(query.to).trim(),
    user: firstParam(query.user).trim(),
    type: firstParam(query.type),
    model_name: firstParam(query.model_name),
    token_name: firstParam(query.token_name),
    request_id: firstParam(query.request_id).trim(),
  };
  const who = filters.user
    ? (await listUsers(ctx, readPage({ size: "100" }), filters.user)).items.find((u) => u.username === filters.user)
    : undefined;
  const days = dayBounds(filters.from, filters.to);
  // dayBounds' only problem: a day that is not one
  if (days.problems.length)
    return {
      filters,
      status: 422,
      notice: days.problems.map((p) => t("adminLogs.notADay", { field: p.key })).join("; "),
    };
  if (filters.user && !who) return { filters, status: 404, notice: t("adminLogs.noUser", { name: filters.user }) };
  const q = {
    // the days as API易's unix-second bounds (the last second of `to` counts whole)
    start_timestamp: days.from === undefined ? undefined : days.from / 1000,
    end_timestamp: days.to === undefined ? undefined : Math.floor(days.to / 1000),
    user_id: who?.id,
    type: filters.type || undefined,
    model_name: filters.model_name || undefined,
    token_name: filters.token_name || undefined,
    request_id: filters.request_id || undefined,
  };
  return { filters, q };
}

export function adminLogPages({ page }: AdminTable) {
  page(
    "/admin/logs",
    { title: ({ t }) => t("adminLogs.title"), admin: true },
    async ({ ctx, user, query, path, t }) => {
      const { filters, q, notice: refused } = await readAdminLogFilters(ctx, query, t);
      const usernames = (await listUsers(ctx, readPage({ size: "100" }))).items.map((u) => u.username);
      const names = new Map((await allChannels(ctx)).map((c) => [c.id, `${c.name} #${c.id}`]));
      const channelName = (id: number) => names.get(id) ?? t.t("adminKit.deleted", { id });

      let rows: LogView[] = [];
      let total = 0;
      let notice = refused;
      let paging = { p: 1, size: 50, offset: 0 };
      try {
        paging = readPage({ p: query.p ?? "1", size: query.size ?? "50" }, 50);
        if (q) {
          const list = await listLogs(ctx, user, q, paging, false);
          rows = list.items;
          total = list.total;
        }
      } catch (e) {
        if (!isUserError(e)) throw e;
        notice = errorText(e, t);
      }
      return LogTable({
        path,
        rows,
        total,
        page: paging.p,
        size: paging.size,
        filters,
        usernames,
        channelName,
        notice,
        t,
      }) as string;
    },
  );
}
