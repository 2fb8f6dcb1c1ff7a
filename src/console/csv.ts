// CSV downloads of the console (/log.csv, /admin/logs.csv, /admin/usage.csv): RFC 4180 lines, cells a
// spreadsheet would run as a formula neutralised, and a streamed response that pulls one batch of rows
// at a time (each batch one indexed query), so an export of millions of rows never sits in memory.
import { unitsToUsd } from "../core/money";
import type { LogRow } from "../db/schema";
import { TYPE_NAMES } from "../services/call-stats";

export type Cell = string | number;

/** Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) starts with a quote mark
 * instead (OWASP's advice). Numbers are written as they are. */
export const neutralise = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; lines end in CRLF. */
export function csvLine(fields: Cell[]) {
  return `${fields.map((f) => (typeof f === "string" && /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : String(f))).join(",")}\r\n`;
}

/** A download of `header` then every batch of rows `batches` yields, pulled as the client reads. */
export function csvDownload(name: string, header: string[], batches: AsyncIterator<Cell[][]>): Response {
  const encoder = new TextEncoder();
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        return controller.enqueue(encoder.encode(csvLine(header)));
      }
      const next = await batches.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map(csvLine).join("")));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
}

/** Maps each batch of an iterator. */
export async function* mapBatches<T>(batches: AsyncIterable<T[]>, row: (r: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const b of batches) yield b.map(row);
}

const CALL_COLUMNS: [string, (r: LogRow) => Cell][] = [
  ["time_utc", (r) => new Date(r.createdAt).toISOString()],
  ["request_id", (r) => r.requestId],
  ["type", (r) => TYPE_NAMES[r.type] ?? String(r.type)],
  ["token", (r) => neutralise(r.tokenName)],
  ["model", (r) => neutralise(r.model)],
  ["group", (r) => neutralise(r.group)],
  ["stream", (r) => (r.isStream ? "yes" : "no")],
  ["prompt_tokens", (r) => r.promptTokens],
  ["cached_tokens", (r) => r.cachedTokens],
  ["completion_tokens", (r) => r.completionTokens],
  ["quota", (r) => r.quota],
  ["cost_usd", (r) => unitsToUsd(r.quota)],
  ["duration_ms", (r) => r.durationMs],
  ["ttft_ms", (r) => r.ttftMs],
  ["status_code", (r) => r.statusCode || ""],
  ["error_code", (r) => neutralise(r.errorCode)],
  ["detail", (r) => neutralise(r.content)],
];
/** what an admin's export adds: whose call it was and which channel served it */
const ADMIN_COLUMNS: [string, (r: LogRow) => Cell][] = [
  ["user_id", (r) => r.userId],
  ["username", (r) => neutralise(r.username)],
  ["channel_id", (r) => r.channelId],
  ["upstream_model", (r) => neutralise(r.upstreamModel)],
];

/** The columns of a call export: the user's own, or an admin's (everyone's, with user and channel). */
export function callColumns(admin: boolean) {
  const cols = admin ? [...CALL_COLUMNS.slice(0, 3), ...ADMIN_COLUMNS, ...CALL_COLUMNS.slice(3)] : CALL_COLUMNS;
  return { header: cols.map(([h]) => h), row: (r: LogRow) => cols.map(([, cell]) => cell(r)) };
}
