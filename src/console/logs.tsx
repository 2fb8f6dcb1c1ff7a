/** @jsxImportSource @kitajs/html */
// The /log page (the signed-in user's own rows; admins read everyone's at /admin/logs) and its CSV
// export at /log.csv: the same filter, every row of it, streamed in keyset batches.
import { LogPage } from "../../views/console/logs";
import type { LogRow } from "../db/schema";
import {
  hasFilter,
  logBatches,
  logChoices,
  logPage,
  logTotals,
  readLogSearch,
  searchQuery,
  TYPE_NAMES,
} from "../services/call-stats";
import { consoleUser } from "./guard";
import type { ConsoleTable } from "./route";

export function logPages({ page, routes, ctx }: ConsoleTable) {
  page("/log", { title: "Logs" }, ({ ctx, user, query }) => {
    const search = readLogSearch(user, query);
    const { rows, newerAfter, olderBefore } = logPage(ctx, search);
    const size = search.size === 50 ? undefined : search.size;
    const href = (more: Record<string, number | undefined> = {}) =>
      `/log${searchQuery(search.params, { ...more, size })}`;
    return LogPage({
      rows,
      params: search.params,
      problems: search.problems,
      totals: logTotals(ctx, search),
      filtered: hasFilter(search),
      choices: logChoices(ctx, user),
      links: {
        csv: `/log.csv${searchQuery(search.params)}`,
        newest: newerAfter === undefined ? undefined : href(),
        newer: newerAfter === undefined ? undefined : href({ after: newerAfter }),
        older: olderBefore === undefined ? undefined : href({ before: olderBefore }),
      },
    }) as string;
  });

  routes.get("/log.csv", ({ request, query }) => {
    const user = consoleUser(ctx, request);
    const url = new URL(request.url);
    if (!user) return Response.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    ctx.ledger.flushAll();
    const search = readLogSearch(user, query);
    const batches = logBatches(ctx, search);
    const encoder = new TextEncoder();
    let header = true;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (header) {
          header = false;
          return controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
        }
        const next = batches.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((r) => csvLine(csvRow(r))).join("")));
      },
    });
    const name = `apiyi-log-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      },
    });
  });
}

const CSV_HEADER = [
  "time_utc",
  "request_id",
  "type",
  "token",
  "model",
  "group",
  "stream",
  "prompt_tokens",
  "cached_tokens",
  "completion_tokens",
  "quota",
  "cost_usd",
  "duration_ms",
  "ttft_ms",
  "status_code",
  "error_code",
  "detail",
];

/** Quota units → exact dollars as a plain number: 250 → "0.0005", -500000 → "-1". */
const dollars = (units: number) => {
  const micros = Math.abs(units) * 2;
  const frac = String(micros % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${units < 0 ? "-" : ""}${Math.floor(micros / 1_000_000)}${frac ? `.${frac}` : ""}`;
};

/** Text a spreadsheet would run as a formula starts with a quote mark instead (OWASP's advice). */
const text = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function csvRow(r: LogRow): (string | number)[] {
  return [
    new Date(r.createdAt).toISOString(),
    r.requestId,
    TYPE_NAMES[r.type] ?? String(r.type),
    text(r.tokenName),
    text(r.model),
    text(r.group),
    r.isStream ? "yes" : "no",
    r.promptTokens,
    r.cachedTokens,
    r.completionTokens,
    r.quota,
    dollars(r.quota),
    r.durationMs,
    r.ttftMs,
    r.statusCode || "",
    text(r.errorCode),
    text(r.content),
  ];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; lines end in CRLF. */
function csvLine(fields: (string | number)[]) {
  return `${fields.map((f) => (typeof f === "string" && /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : String(f))).join(",")}\r\n`;
}
