// Sign-in throttling: who may try a password now, and how long the others wait. State in memory, the
// clock passed in (pure otherwise; services/auth.ts holds the one instance). Three limits:
//   - per (address, account): a few failures a minute, then that address waits for that account only.
//     Keyed on the client address resolved through trusted proxies, so nobody locks an account out
//     from elsewhere, and behind a proxy one attacker does not lock out everybody.
//   - per address, over all accounts: password spraying from one address (and argon2's CPU cost).
//   - per account, over all addresses: once an account has had many failures lately, each next try on
//     it waits a growing delay after the previous one, so a botnet of any size gets a few guesses a
//     minute at most. Addresses the account signed in from successfully are exempt, so its owner is
//     never held up there; from a new address the owner waits one delay at worst (≤ a minute).
// An attempt is counted as failed when it starts (so parallel guesses cannot pass a limit) and
// forgotten when it succeeds. Every refusal says how long to wait (Retry-After).

export const SIGN_IN_LIMITS = {
  /** failures one address may have on one account within `windowMs` */
  perPair: 10,
  /** failures one address may have over all accounts within `windowMs` */
  perAddress: 30,
  windowMs: 60_000,
  /** failures on one account (from anywhere) within `accountWindowMs` before the delay starts */
  accountFree: 10,
  accountWindowMs: 15 * 60_000,
  /** the delay after the account's last attempt: base, doubling with each further failure, capped */
  accountBaseDelayMs: 10_000,
  accountMaxDelayMs: 60_000,
  /** addresses remembered per account after a successful sign-in, and for how long */
  knownPerAccount: 10,
  knownForMs: 30 * 24 * 3600_000,
  /** entries per map before old ones are swept (memory stays bounded under a spray of names) */
  maxKeys: 100_000,
};

export type SignInLimits = typeof SIGN_IN_LIMITS;
export type Attempt = { ip: string; account: string; at: number };
export type Verdict = { ok: true; attempt: Attempt } | { ok: false; retryAfterSec: number; scope: "address" | "account" };

/** The timestamps of `key` after `cutoff` (the older ones are dropped from the map). */
function recent(map: Map<string, number[]>, key: string, cutoff: number): number[] {
  const list = (map.get(key) ?? []).filter((t) => t > cutoff);
  if (list.length) map.set(key, list);
  else map.delete(key);
  return list;
}

/** Milliseconds until fewer than `limit` of `list` (ascending) are within the window. */
const untilUnder = (list: number[], limit: number, windowMs: number, now: number) =>
  list.length >= limit ? list[list.length - limit] + windowMs - now : 0;

export class SignInThrottle {
  private pairs = new Map<string, number[]>();
  private addresses = new Map<string, number[]>();
  private accounts = new Map<string, number[]>();
  /** account → address → when it last signed in successfully */
  private known = new Map<string, Map<string, number>>();

  constructor(private readonly limits: SignInLimits = SIGN_IN_LIMITS) {}

  /** May `ip` try `account`'s password at `now`? If so the attempt is recorded as a failure until `succeeded`. */
  begin(ip: string, account: string, now: number): Verdict {
    const L = this.limits;
    const pair = recent(this.pairs, `${ip}\n${account}`, now - L.windowMs);
    const address = recent(this.addresses, ip, now - L.windowMs);
    const addressWait = Math.max(untilUnder(pair, L.perPair, L.windowMs, now), untilUnder(address, L.perAddress, L.windowMs, now));
    if (addressWait > 0) return { ok: false, retryAfterSec: Math.ceil(addressWait / 1000), scope: "address" };
    const failures = recent(this.accounts, account, now - L.accountWindowMs);
    if (failures.length >= L.accountFree && !this.isKnown(account, ip, now)) {
      const delay = Math.min(L.accountBaseDelayMs * 2 ** (failures.length - L.accountFree), L.accountMaxDelayMs);
      const wait = failures[failures.length - 1] + delay - now;
      if (wait > 0) return { ok: false, retryAfterSec: Math.ceil(wait / 1000), scope: "account" };
    }
    this.record(this.pairs, `${ip}\n${account}`, now, L.windowMs);
    this.record(this.addresses, ip, now, L.windowMs);
    this.record(this.accounts, account, now, L.accountWindowMs);
    return { ok: true, attempt: { ip, account, at: now } };
  }

  /** The password was right: the attempt was no failure, and its address is now known to the account. */
  succeeded({ ip, account, at }: Attempt) {
    forget(this.pairs, `${ip}\n${account}`, at);
    forget(this.addresses, ip, at);
    forget(this.accounts, account, at);
    const seen = this.known.get(account) ?? new Map<string, number>();
    seen.delete(ip); // re-inserted last: the map's order is oldest first
    seen.set(ip, at);
    if (seen.size > this.limits.knownPerAccount) seen.delete(seen.keys().next().value!);
    this.known.delete(account);
    this.known.set(account, seen);
    this.bound(this.known as unknown as Map<string, unknown>, () => {});
  }

  private isKnown(account: string, ip: string, now: number) {
    const at = this.known.get(account)?.get(ip);
    return at !== undefined && now - at < this.limits.knownForMs;
  }

  private record(map: Map<string, number[]>, key: string, now: number, windowMs: number) {
    const list = map.get(key);
    if (list) list.push(now);
    else map.set(key, [now]);
    this.bound(map, () => {
      for (const k of [...map.keys()]) recent(map, k, now - windowMs);
    });
  }

  /** Over `maxKeys`: sweep expired entries; still over 90 % of it, drop the oldest keys (so that the
   * next sweep is thousands of sign-ins away, not on every one). */
  private bound(map: Map<string, unknown>, sweep: () => void) {
    if (map.size <= this.limits.maxKeys) return;
    sweep();
    const keep = Math.floor(this.limits.maxKeys * 0.9);
    for (const k of map.keys()) {
      if (map.size <= keep) break;
      map.delete(k);
    }
  }
}

function forget(map: Map<string, number[]>, key: string, at: number) {
  const list = map.get(key);
  const i = list?.indexOf(at) ?? -1;
  if (i >= 0) list!.splice(i, 1);
  if (list && !list.length) map.delete(key);
}
