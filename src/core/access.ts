// The checks a /v1 call must pass before anything is forwarded, in the documented order. Pure: it
// reads snapshot entries and returns the first refusal (or null); it never touches a balance.
import { refusals } from "./refusals";
import { ipInList } from "./ip";
import type { TokenEntry, UserEntry } from "./snapshot";
import { TOKEN_STATUS, USER_STATUS } from "./status";

/** Checks 2–5: token status, expiry, owner, client IP. */
export function checkTokenAccess(token: TokenEntry, user: UserEntry | undefined, nowSec: number, ip: string) {
  if (token.status !== TOKEN_STATUS.enabled) return refusals.tokenDisabled();
  if (token.expiredTime !== -1 && token.expiredTime <= nowSec) return refusals.tokenExpired();
  if (!user || user.status !== USER_STATUS.enabled) return refusals.userDisabled();
  if (token.allowIps.length > 0 && !ipInList(ip, token.allowIps)) return refusals.ipNotAllowed(ip);
  return null;
}

/** Check 8: the whitelist (empty = every model). */
export const checkModelAllowed = (token: TokenEntry, model: string) =>
  token.models.size === 0 || token.models.has(model) ? null : refusals.modelNotAllowed(model);

/** Check 11: the token's own quota, then the owner's balance. */
export function checkQuota(token: TokenEntry, user: UserEntry) {
  if (!token.unlimitedQuota && token.remainQuota <= 0) return refusals.insufficientQuota("token");
  if (!user.unlimited && user.quota <= 0) return refusals.insufficientQuota("user");
  return null;
}

/** The groups a token routes through, in order: its default group, then its fallbacks. */
export const tokenGroups = (token: TokenEntry) => [token.group, ...token.fallbackGroups];
