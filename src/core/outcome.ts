// Whether a logged call counts for or against the service, for the dashboard's success rate. A call
// that apiyi refused because of the caller (a bad or used-up key, a model that does not exist or is
// not allowed, a bad body, a quota or balance that cannot cover it) or that the upstream refused as
// the call's own problem (a 4xx the client caused), or that the client abandoned (499), says nothing
// about the service: it is left out of the rate. What is the service's: a 5xx (no channel, upstream
// failed or overloaded, internal error, shutting down) and upstream rate limiting (429
// rate_limit_exceeded; a 429 insufficient_quota is the caller's balance).

import { LOG_TYPE } from "./status";

export type Outcome = "ok" | "failed" | "refused";

/** Calls, outcomes, tokens and spend of a period (or of one model, channel, group or user in it). */
export type CallSums = {
  calls: number;
  /** served: calls that were neither a failure of the service nor the caller's own refusal */
  ok: number;
  failed: number;
  refused: number;
  /** ok ÷ (ok + failed); null when no call counts */
  success_rate: number | null;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  quota: number;
};

/** A call's log row: its type (2 consume, 5 error), the status the client got and the error code. */
export function callOutcome(row: { type: number; statusCode: number; errorCode: string }): Outcome {
  if (row.type !== LOG_TYPE.error) return "ok";
  const s = row.statusCode;
  if (s >= 500 || s === 0) return "failed"; // 0: a row from before status codes were kept
  if (s === 429 && row.errorCode !== "insufficient_quota") return "failed";
  return "refused";
}

/** ok ÷ (ok + failed); null when no call counts. */
export function successRate(outcomes: Outcome[]): number | null {
  let ok = 0;
  let failed = 0;
  for (const o of outcomes) {
    if (o === "ok") ok++;
    else if (o === "failed") failed++;
  }
  return ok + failed ? ok / (ok + failed) : null;
}
