// Per-address limits on what anyone may call without a session: sign-up, and the key-only balance
// endpoints (a key can be guessed at through them). Sign-in and redemption have their own throttles.
// Every request counts, in a sliding window (core/failure-limit.ts); over the limit the answer is 429
// with retry-after. Kept in memory per process: a restart forgets.
import { FailureLimiter } from "../core/failure-limit";
import { AppError, keyed } from "../errors";

const LIMITS = {
  /** new accounts (and failed tries) per address per hour */
  signup: { max: 10, windowMs: 3_600_000, maxKeys: 100_000, refusal: "error.anonymous.signup" },
  /** balance reads per address per minute (NextChat asks two when it opens) */
  balance: { max: 120, windowMs: 60_000, maxKeys: 100_000, refusal: "error.anonymous.balance" },
} as const;

const limiters = {
  signup: new FailureLimiter(LIMITS.signup),
  balance: new FailureLimiter(LIMITS.balance),
};

export const ANONYMOUS_LIMITS = LIMITS;

/** Counts one request of `kind` from `ip`; over the limit, throws the 429 saying when to come back. */
export function countAnonymous(kind: keyof typeof LIMITS, ip: string, now = Date.now()) {
  const v = limiters[kind].begin([ip], now);
  if (v.ok) return;
  const { max, refusal } = LIMITS[kind];
  throw new AppError(
    429,
    "rate_limit_exceeded",
    keyed(refusal, { max, seconds: v.retryAfterSec }),
    null,
    "rate_limit_error",
    { "retry-after": String(v.retryAfterSec) },
  );
}
