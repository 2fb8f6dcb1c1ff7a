// Admins' CSV downloads: everyone's calls with the filters of /admin/logs (/admin/logs.csv, its days
// and times in UTC), and the daily rollups per UTC day × user × model (/admin/usage.csv?from=&to=,
// days inclusive, tokens and groups summed). Both stream in batches (console/csv.ts) and neutralise
// formula cells. The header rows stay English (column names programs read); a refusal is in the
// reader's language.
import { isDay } from "../core/local-days";
import { unitsToUsd } from "../core/money";
import { isUserError } from "../errors";
import { errorText } from "../i18n/errors";
import { logBatches } from "../services/call-stats";
import { logFilter } from "../services/logs";
import type { AdminTable } from "./admin-kit";
import { readAdminLogFilters } from "./admin-logs";
import { type Cell, callColumns, csvDownload, mapBatches, neutralise } from "./csv";

const refused = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

const USAGE_HEADER = [
  "day_utc",
  "user_id",
  "username",
  "model",
  "calls",
  "error_calls",
  "prompt_tokens",
  "cached_tokens",
  "completion_tokens",
  "quota",
  "cost_usd",
];

export function adminExportPages({ get }: AdminTable) {
  get("/admin/logs.csv", async ({ ctx, user, query, t }) => {
    const { q, notice, status } = await readAdminLogFilters(ctx, query, t);
    if (!q) return refused(status, notice);
    try {
      const filter = logFilter(user, q, false);
      const { header, row } = callColumns(true);
      return csvDownload("apiyi-all-logs", header, mapBatches(logBatches(ctx, filter), row));
    } catch (e) {
      if (isUserError(e)) return refused(e.status, errorText(e, t));
      throw e;
    }
  });

  get("/admin/usage.csv", ({ ctx, query, t }) => {
    const from = query.from?.trim() || undefined;
    const to = query.to?.trim() || undefined;
    for (const [name, day] of [
      ["from", from],
      ["to", to],
    ] as const)
      if (day !== undefined && !isDay(day)) return refused(422, t.t("adminExports.notADay", { field: name }));
    const store = ctx.store.usage;
    const users = ctx.snapshot.current.usersById;
    async function* batches(): AsyncGenerator<Cell[][]> {
      for (const day of await store.days(from, to))
        yield (await store.perUserModel(day)).map((r) => [
          day,
          r.userId,
          neutralise(users.get(r.userId)?.username ?? ""),
          neutralise(r.model),
          r.calls,
          r.errors,
          r.prompt,
          r.cached,
          r.completion,
          r.quota,
          unitsToUsd(r.quota),
        ]);
    }
    return csvDownload("apiyi-usage", USAGE_HEADER, batches());
  });
}
