// Rate-limit fields as people send them (API bodies, CLI flags) and as replies show them, the same on
// tokens, users and groups: LiteLLM's names, whole numbers, 0 = not set: no limit, or for a token
// the default of its group unless its owner has their own (core/rate-limit.ts, relay/checks/rate.ts).
import { z } from "zod";

const limit = (what: string) =>
  z.number().int().min(0, "0 (not set) or more").max(1_000_000_000).describe(`${what}; 0 = not set`);

export const RateLimitFields = z.object({
  rpm_limit: limit("requests per minute"),
  tpm_limit: limit("tokens (prompt + completion) per minute"),
  rpd_limit: limit("requests per day (a sliding 24 h)"),
  max_parallel_requests: limit("calls in flight at once; one more is refused with 429, never queued"),
});

/** The same fields, each optional (a field left out keeps its value, or the column's 0). */
export const RateLimitPatch = RateLimitFields.partial();
export type RateLimitInput = z.output<typeof RateLimitPatch>;

type RateLimitRow = { rpmLimit: number; tpmLimit: number; rpdLimit: number; maxParallelRequests: number };

export const rateLimitColumns = (r: RateLimitInput): Partial<RateLimitRow> => ({
  rpmLimit: r.rpm_limit,
  tpmLimit: r.tpm_limit,
  rpdLimit: r.rpd_limit,
  maxParallelRequests: r.max_parallel_requests,
});

export const rateLimitView = (r: RateLimitRow) => ({
  rpm_limit: r.rpmLimit,
  tpm_limit: r.tpmLimit,
  rpd_limit: r.rpdLimit,
  max_parallel_requests: r.maxParallelRequests,
});
