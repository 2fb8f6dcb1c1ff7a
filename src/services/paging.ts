// Paging for lists: `p` counts from 1; the size comes as `size` or `pageSize` (capped at 100).
import { z } from "zod";
import { validate } from "./validate";

export const PageQuery = z.object({
  p: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(100).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

export type Page = { p: number; size: number; offset: number };

export function readPage(query: unknown, defaultSize = 20): Page {
  const q = validate(PageQuery, query);
  const size = q.size ?? q.pageSize ?? defaultSize;
  return { p: q.p, size, offset: (q.p - 1) * size };
}
