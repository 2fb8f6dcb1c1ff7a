// Reading log rows: a user reads their own, an admin reads everyone's (or one user's).
import { z } from "zod";
import type { LogRow } from "../db/schema";
import { isAdmin, type Actor } from "./actor";
import type { Ctx } from "./context";
import { PageQuery, type Page } from "./paging";
import { validate } from "./validate";

export const LogQuery = PageQuery.extend({
  type: z.coerce.number().int().min(1).max(5).optional().describe("1 top-up, 2 consume, 3 admin, 4 system, 5 error"),
  user_id: z.coerce.number().int().positive().optional().describe("admins only"),
});

export const logView = (l: LogRow) => ({
  id: l.id,
  created_at: l.createdAt,
  type: l.type,
  user_id: l.userId,
  username: l.username,
  token_id: l.tokenId,
  token_name: l.tokenName,
  model_name: l.model,
  group: l.group,
  prompt_tokens: l.promptTokens,
  cached_tokens: l.cachedTokens,
  completion_tokens: l.completionTokens,
  quota: l.quota,
  duration_ms: l.durationMs,
  ttft_ms: l.ttftMs,
  is_stream: l.isStream,
  request_id: l.requestId,
  content: l.content,
});

export function listLogs(ctx: Ctx, actor: Actor, query: unknown, page: Page, self: boolean) {
  const q = validate(LogQuery, query);
  const userId = self || !isAdmin(actor) ? actor.id : q.user_id;
  const { items, total } = ctx.store.logs.page({ userId, type: q.type }, page.offset, page.size);
  return { items: items.map(logView), total, page: page.p, page_size: page.size };
}
