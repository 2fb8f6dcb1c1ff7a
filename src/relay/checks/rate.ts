// Check 12 of a /v1 call, the last before it goes upstream: the rate limits of its token and of its
// owner, checked and taken together (core/rate-limit.ts). A token's limit is its own, else its group's
// default unless its owner has their own of that kind; an owner's limit covers all their tokens. Tokens
// per minute are taken from the hold's bound (its counted prompt when the byte bound does not fit) and
// corrected at the end (settle/finish.ts). No limit in force: nothing is counted, nothing is sent.
import type { Usage } from "../../core/billing";
import {
  effectiveLimits,
  type Admission,
  type Headroom,
  type Limits,
  RateState,
  type Scope,
} from "../../core/rate-limit";
import { refusals } from "../../core/refusals";
import type { GroupEntry, TokenEntry, UserEntry } from "../../core/snapshot";
import type { Runtime } from "../../runtime";
import type { CallBilling } from "./hold";

type Limited = Pick<UserEntry, "rpmLimit" | "tpmLimit" | "rpdLimit" | "maxParallelRequests">;

const ownLimits = (e: Limited): Partial<Limits> => ({
  rpm: e.rpmLimit,
  tpm: e.tpmLimit,
  rpd: e.rpdLimit,
  parallel: e.maxParallelRequests,
});
const limited = (e: Limited) => e.rpmLimit > 0 || e.tpmLimit > 0 || e.rpdLimit > 0 || e.maxParallelRequests > 0;
const NONE: Scope[] = [];
const anyLimit = (l: Limits) => l.rpm !== null || l.tpm !== null || l.rpd !== null || l.parallel !== null;

/** The group's defaults, minus the kinds the owner limits themselves. */
function groupDefaults(group: GroupEntry | undefined, user: Partial<Limits>): Partial<Limits> {
  if (!group) return {};
  const g = ownLimits(group);
  for (const k of ["rpm", "tpm", "rpd", "parallel"] as const) if ((user[k] ?? 0) > 0) g[k] = null;
  return g;
}

/** The scopes limiting a call (none: an empty list). */
export function rateScopes(rt: Runtime, token: TokenEntry, user: UserEntry): Scope[] {
  const group = rt.ctx.snapshot.current.groupsByName.get(token.group);
  if (!limited(token) && !limited(user) && (!group || !limited(group))) return NONE; // the usual case, no allocation
  const own = ownLimits(user);
  const scopes: Scope[] = [];
  const tl = effectiveLimits(
    ownLimits(token),
    groupDefaults(rt.ctx.snapshot.current.groupsByName.get(token.group), own),
  );
  if (anyLimit(tl)) scopes.push(scope(rt, "token", `t${token.id}`, tl));
  const ul = effectiveLimits(own);
  if (anyLimit(ul)) scopes.push(scope(rt, "user", `u${user.id}`, ul));
  return scopes;
}

function scope(rt: Runtime, name: string, key: string, limits: Limits): Scope {
  let state = rt.rates.get(key);
  if (!state) rt.rates.set(key, (state = new RateState()));
  return { name, key, state, limits };
}

/** What a call took, and what the answer tells the client of the limits in force. */
export type CallRate = { admission: Admission | null; requests: Headroom | null; tokens: Headroom | null };

/** Check 12: admits the call or throws the refusal (429, naming the limit and when it frees up). The
 * returned report is also what a refusal's headers show. */
export async function takeRate(
  rt: Runtime,
  scopes: Scope[],
  b: CallBilling,
  onReport: (r: CallRate) => void,
): Promise<CallRate> {
  const tb = scopes.some((s) => s.limits.tpm !== null) ? b.tokenBound() : null;
  let bound = tb?.value ?? 0;
  const counter = rt.rateCounter;
  let taken = counter.take(scopes, rt.ctx.clock.nowMs(), bound);
  let t = taken instanceof Promise ? await taken : taken;
  if (tb && "limit" in t.result && t.result.limit === "tpm" && !tb.counted) {
    // the prompt's byte bound does not fit: its counted tokens may
    bound = (await b.promptTokens()) + tb.framing + tb.output;
    taken = counter.take(scopes, rt.ctx.clock.nowMs(), bound);
    t = taken instanceof Promise ? await taken : taken;
  }
  const r = t.result;
  const report: CallRate = { admission: "limit" in r ? null : r, requests: t.requests, tokens: t.tokens };
  onReport(report);
  if ("limit" in r) throw refusals.rateLimitExceeded(r, bound);
  return report;
}

/** The call ended: out of flight, its tokens corrected to what it used. */
export function releaseRate(rt: Runtime, rate: CallRate | undefined, usage: Usage | undefined) {
  if (rate?.admission)
    rt.rateCounter.release(rate.admission, rt.ctx.clock.nowMs(), usage ? usage.prompt + usage.completion : 0);
}
