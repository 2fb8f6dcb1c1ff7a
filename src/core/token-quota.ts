// What a token's quota fields mean when a token is created or edited, the same for the API, the
// console and the CLI: a token made without a quota is unlimited (bounded by its owner's balance);
// a limited token must be able to make a call, so a quota of 0 is refused with what to do instead.
// new-api clients send both fields explicitly, and get exactly what they sent.

import { type ErrorText, keyed } from "../errors";

export type QuotaInput = { remain_quota?: number; unlimited_quota?: boolean };
export type Quota = { remain_quota: number; unlimited_quota: boolean };
/** A refusal: the field to blame and what to do. */
export type QuotaProblem = { field: "remain_quota" | "unlimited_quota"; message: ErrorText };

const ZERO_QUOTA_HINT = keyed("error.token.zeroQuota");

/** The quota of a new token: left out → unlimited; a quota alone → limited to it; both → as sent. */
export function newTokenQuota(input: QuotaInput): Quota | QuotaProblem {
  const unlimited = input.unlimited_quota ?? input.remain_quota === undefined;
  const remain = input.remain_quota ?? 0;
  if (!unlimited && remain <= 0)
    return { field: input.remain_quota === undefined ? "unlimited_quota" : "remain_quota", message: ZERO_QUOTA_HINT };
  return { remain_quota: remain, unlimited_quota: unlimited };
}

/** An edit may not turn an unlimited token into one that can never call. A limited token may be set
 * to 0 (or kept at 0 when it ran dry): that is how an owner stops its spending without disabling it. */
export function editedTokenQuota(current: Quota, patch: QuotaInput): QuotaProblem | null {
  const unlimited = patch.unlimited_quota ?? current.unlimited_quota;
  const remain = patch.remain_quota ?? current.remain_quota;
  if (current.unlimited_quota && !unlimited && remain <= 0) return { field: "remain_quota", message: ZERO_QUOTA_HINT };
  return null;
}

export const isQuotaProblem = (q: Quota | QuotaProblem): q is QuotaProblem => "message" in q;
