/** @jsxImportSource @kitajs/html */
// The /log page (the signed-in user's own rows; admins read everyone's at /admin/logs) and its CSV
// export at /log.csv: the same filter, every row of it, streamed in keyset batches (its header row
// stays English: a file for scripts and spreadsheets). The page is in the reader's language. A video
// job's row links to its video on /videos while the upstream keeps it (console/videos.tsx).
import { LogPage } from "../../views/console/logs";
import {
  hasFilter,
  logBatches,
  logChoices,
  logPage,
  logTotals,
  readLogSearch,
  searchQuery,
} from "../services/call-stats";
import { callColumns, csvDownload, mapBatches } from "./csv";
import { consoleUser } from "./guard";
import type { ConsoleTable } from "./route";
import { withWatchLinks } from "./videos";

export function logPages({ page, routes, ctx }: ConsoleTable) {
  page("/log", { title: ({ t }) => t("logs.title") }, async ({ ctx, user, query, t }) => {
    const search = readLogSearch(user, query);
    const { rows, newerAfter, olderBefore } = await logPage(ctx, search);
    const size = search.size === 50 ? undefined : search.size;
    const href = (more: Record<string, number | undefined> = {}) =>
      `/log${searchQuery(search.params, { ...more, size })}`;
    return LogPage({
      rows: await withWatchLinks(ctx, user.id, rows),
      params: search.params,
      problems: search.problems,
      totals: await logTotals(ctx, search),
      filtered: hasFilter(search),
      choices: await logChoices(ctx, user),
      links: {
        csv: `/log.csv${searchQuery(search.params)}`,
        newest: newerAfter === undefined ? undefined : href(),
        newer: newerAfter === undefined ? undefined : href({ after: newerAfter }),
        older: olderBefore === undefined ? undefined : href({ before: olderBefore }),
      },
      t,
    }) as string;
  });

  routes.get("/log.csv", async ({ request, query }) => {
    const user = await consoleUser(ctx, request);
    const url = new URL(request.url);
    if (!user) return Response.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    await ctx.ledger.flushed();
    const { header, row } = callColumns(false);
    return csvDownload("apiyi-log", header, mapBatches(logBatches(ctx, readLogSearch(user, query).filter), row));
  });
}
