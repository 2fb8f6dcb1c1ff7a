// Sign-in throttling: who may try a password now, and how long the others wait. State in memory, the
// clock passed in (pure otherwise; services/auth.ts holds the one instance). Three limits:
//   - per (address, account): a few failures a minute, then that address waits for that account only.
//     Keyed on the client address resolved through trusted proxies, so nobody locks an account out
//     from elsewhere, and behind a proxy one attacker does not lock out everybody.
//   - per address, over all accounts: password spraying from one address (and argon2's CPU cost).
//   - per account, over all addresses: once many different addresses have failed on an account lately,
//     each next try on it waits a growing delay after the previous one, so a botnet of any size gets
//     about one guess a minute. One address alone never starts it (its own limit stops it first).
//     Addresses the account signed in from successfully are exempt, so its owner is never held up
//     there; from a new address the owner waits a delay (≤ a minute) at worst.
// An attempt is counted as failed when it starts (so parallel guesses cannot pass a limit) and
// forgotten when it succeeds. Every refusal says how long to wait (Retry-After).

export const SIGN_IN_LIMITS = {
  /** failures one address may have on one account within `windowMs` */
  perPair: 10,
  /** failures one address may have over all accounts within `windowMs` */
  perAddress: 30,
  windowMs: 60_000,
  /** different addresses failing on one account within `accountWindowMs` before its delay starts */
  accountAddresses: 10,
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
export type Verdict =
  | { ok: true; attempt: Attempt }
  | { ok: false; retryAfterSec: number; scope: "address" | "account" };
/** One failed (or still running) attempt; lists are kept oldest first. */
type Failure = { ip: string; at: number };
type Failures = Map<string, Failure[]>;

/** The failures of `key` after `cutoff` (the older ones are dropped from the map). */
function recent(map: Failures, key: string, cutoff: number): Failure[] {
  const list = (map.get(key) ?? []).filter((f) => f.at > cutoff);
  if (list.length) map.set(key, list);
  else map.delete(key);
  return list;
}

function forget(map: Failures, key: string, { ip, at }: Failure) {
  const list = map.get(key) ?? [];
  const i = list.findIndex((f) => f.ip === ip && f.at === at);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) map.delete(key);
}

/** Milliseconds until fewer than `limit` of `list` are within the window. */
const untilUnder = (list: Failure[], limit: number, windowMs: number, now: number) =>
  list.length >= limit ? list[list.length - limit].at + windowMs - now : 0;

export class SignInThrottle {
  private pairs: Failures = new Map();
  private addresses: Failures = new Map();
  private accounts: Failures = new Map();
  /** account → address → when it last signed in successfully (oldest first) */
  private known = new Map<string, Map<string, number>>();

  constructor(private readonly limits: SignInLimits = SIGN_IN_LIMITS) {}

  /** May `ip` try `account`'s password at `now`? If so the attempt is recorded as a failure until `succeeded`. */
  begin(ip: string, account: string, now: number): Verdict {
    const L = this.limits;
    const pairKey = `${ip}\n${account}`;
    const pair = recent(this.pairs, pairKey, now - L.windowMs);
    const address = recent(this.addresses, ip, now - L.windowMs);
    const addressWait = Math.max(
      untilUnder(pair, L.perPair, L.windowMs, now),
      untilUnder(address, L.perAddress, L.windowMs, now),
    );
    if (addressWait > 0) return { ok: false, retryAfterSec: Math.ceil(addressWait / 1000), scope: "address" };
    const failures = recent(this.accounts, account, now - L.accountWindowMs);
    if (!this.isKnown(account, ip, now) && new Set(failures.map((f) => f.ip)).size >= L.accountAddresses) {
      const delay = Math.min(L.accountBaseDelayMs * 2 ** (failures.length - L.accountAddresses), L.accountMaxDelayMs);
      const wait = failures[failures.length - 1].at + delay - now;
      if (wait > 0) return { ok: false, retryAfterSec: Math.ceil(wait / 1000), scope: "account" };
    }
    this.record(this.pairs, pairKey, { ip, at: now }, L.windowMs);
    this.record(this.addresses, ip, { ip, at: now }, L.windowMs);
    this.record(this.accounts, account, { ip, at: now }, L.accountWindowMs);
    return { ok: true, attempt: { ip, account, at: now } };
  }

  /** The password was right: the attempt was no failure, and its address is now known to the account. */
  succeeded({ ip, account, at }: Attempt) {
    forget(this.pairs, `${ip}\n${account}`, { ip, at });
    forget(this.addresses, ip, { ip, at });
    forget(this.accounts, account, { ip, at });
    const seen = this.known.get(account) ?? new Map<string, number>();
    seen.delete(ip); // re-inserted last: the map's order is oldest first
    seen.set(ip, at);
    if (seen.size > this.limits.knownPerAccount) seen.delete(seen.keys().next().value!);
    this.known.delete(account);
    this.known.set(account, seen);
    this.bound(this.known, () => {});
  }

  private isKnown(account: string, ip: string, now: number) {
    const at = this.known.get(account)?.get(ip);
    return at !== undefined && now - at < this.limits.knownForMs;
  }

  private record(map: Failures, key: string, failure: Failure, windowMs: number) {
    const list = map.get(key);
    if (list) list.push(failure);
    else map.set(key, [failure]);
    this.bound(map, () => {
      for (const k of [...map.keys()]) recent(map, k, failure.at - windowMs);
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
