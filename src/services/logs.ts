// Reading log rows with API易's parameters: a user reads their own, an admin everyone's.
import { z } from "zod";
import type { LogRow } from "../db/schema";
import type { LogFilter } from "../store/logs";
import { isAdmin, type Actor } from "./actor";
import type { Ctx } from "./context";
import { PageQuery, type Page } from "./paging";
import { validate } from "./validate";

const seconds = z.coerce.number().int().min(0).describe("unix seconds");

export const LogQuery = PageQuery.extend({
  type: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .optional()
    .describe("1 top-up, 2 consume, 3 admin, 4 system, 5 error; 0 = all"),
  model_name: z.string().max(200).optional(),
  token_name: z.string().max(50).optional(),
  request_id: z.string().max(100).optional(),
  group: z.string().max(64).optional(),
  start_timestamp: seconds.optional(),
  end_timestamp: seconds.optional(),
  user_id: z.coerce.number().int().positive().optional().describe("admins only"),
});

const json = (text: string, fallback: unknown) => {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
};

export const logView = (l: LogRow) => ({
  id: l.id,
  request_id: l.requestId,
  /** unix seconds, as API易 gives it; created_at_ms keeps the milliseconds */
  created_at: Math.floor(l.createdAt / 1000),
  created_at_ms: l.createdAt,
  type: l.type,
  user_id: l.userId,
  username: l.username,
  token_id: l.tokenId,
  token_name: l.tokenName,
  model_name: l.model,
  upstream_model: l.upstreamModel,
  group: l.group,
  channel_id: l.channelId,
  endpoint: l.endpoint,
  is_stream: l.isStream,
  prompt_tokens: l.promptTokens,
  completion_tokens: l.completionTokens,
  cached_tokens: l.cachedTokens,
  quota: l.quota,
  duration_ms: l.durationMs,
  ttft_ms: l.ttftMs,
  status_code: l.statusCode,
  error_code: l.errorCode,
  ip: l.ip,
  content: l.content,
  attempts: json(l.attempts, []),
  other: json(l.other, {}),
});

const withoutCauses = (v: ReturnType<typeof logView>) => ({
  ...v,
  attempts: Array.isArray(v.attempts)
    ? v.attempts.map(({ cause: _cause, ...a }: Record<string, unknown>) => a)
    : v.attempts,
});

/** The rows a query asks for: a user's own, or (admins, `self` false) anyone's or `user_id`'s. */
export function logFilter(actor: Actor, query: unknown, self: boolean): LogFilter {
  const q = validate(LogQuery, query);
  return {
    userId: self || !isAdmin(actor) ? actor.id : q.user_id,
    type: q.type || undefined,
    model: q.model_name,
    tokenName: q.token_name,
    requestId: q.request_id,
    group: q.group,
    from: q.start_timestamp === undefined ? undefined : q.start_timestamp * 1000,
    to: q.end_timestamp === undefined ? undefined : q.end_timestamp * 1000 + 999,
  };
}

export async function listLogs(ctx: Ctx, actor: Actor, query: unknown, page: Page, self: boolean) {
  const { items, total } = await ctx.store.logs.page(logFilter(actor, query, self), page.offset, page.size);
  // an attempt's cause names the upstream's host: for admins only
  const view = isAdmin(actor) ? logView : (l: LogRow) => withoutCauses(logView(l));
  return { items: items.map(view), total, page: page.p, page_size: page.size };
}
