// The sign-in throttle alone, with the clock passed in: the per (address, account) and per-address
// limits with their Retry-After, the per-account delay that only many addresses start (growing,
// capped, skipped by addresses the account signed in from), success forgetting its attempt, and
// memory bounded under a spray of names.
import { describe, expect, test } from "bun:test";
import { SIGN_IN_LIMITS, SignInThrottle, type Verdict } from "../../src/core/sign-in-throttle";

const L = SIGN_IN_LIMITS;
const T0 = 1_700_000_000_000;

/** `n` failed attempts of `ip` on `account` at `at`; returns the verdicts. */
function fail(t: SignInThrottle, ip: string, account: string, n: number, at = T0): Verdict[] {
  return Array.from({ length: n }, () => t.begin(ip, account, at));
}
const refused = (v: Verdict) => (v.ok ? null : { wait: v.retryAfterSec, scope: v.scope });

describe("per (address, account) and per address", () => {
  test("the 11th try of one address on one account within a minute waits until the first is a minute old", () => {
    const t = new SignInThrottle();
    expect(fail(t, "a", "alice", L.perPair).every((v) => v.ok)).toBe(true);
    expect(refused(t.begin("a", "alice", T0 + 1000))).toEqual({ wait: 59, scope: "address" });
    expect(refused(t.begin("a", "alice", T0 + 59_500))).toEqual({ wait: 1, scope: "address" });
    expect(t.begin("a", "alice", T0 + 60_001).ok).toBe(true);
  });

  test("the lock is that pair's only: the same address on another account, another address on the same account", () => {
    const t = new SignInThrottle();
    fail(t, "a", "alice", L.perPair);
    expect(t.begin("a", "bob", T0).ok).toBe(true);
    expect(t.begin("b", "alice", T0).ok).toBe(true);
  });

  test(`one address over all accounts: ${L.perAddress} failures a minute`, () => {
    const t = new SignInThrottle();
    for (let i = 0; i < L.perAddress / L.perPair; i++) fail(t, "a", `user${i}`, L.perPair);
    expect(refused(t.begin("a", "someone-else", T0 + 30_000))).toEqual({ wait: 30, scope: "address" });
    expect(t.begin("b", "someone-else", T0 + 30_000).ok).toBe(true);
  });

  test("a success is no failure: thirty right passwords in a row never lock", () => {
    const t = new SignInThrottle();
    for (let i = 0; i < 3 * L.perPair; i++) {
      const v = t.begin("a", "alice", T0 + i);
      if (!v.ok) throw new Error(`refused at ${i}`);
      t.succeeded(v.attempt);
    }
  });
});

describe("per account, from many addresses", () => {
  /** One failure on `account` from each of `n` addresses `prefix0…`, all at `at`. */
  const botnet = (t: SignInThrottle, account: string, n: number, prefix = "bot", at = T0) =>
    Array.from({ length: n }, (_, i) => t.begin(`${prefix}${i}`, account, at));

  test("fewer addresses than the threshold: no delay, however many failures (each address has its own limit)", () => {
    const t = new SignInThrottle();
    for (let i = 0; i < L.accountAddresses - 1; i++) fail(t, `ip${i}`, "alice", L.perPair);
    expect(t.begin("newcomer", "alice", T0).ok).toBe(true);
  });

  test("from the threshold on, a new address waits the delay after the account's last try; it grows and is capped", () => {
    const t = new SignInThrottle();
    expect(botnet(t, "alice", L.accountAddresses).every((v) => v.ok)).toBe(true);
    expect(refused(t.begin("x", "alice", T0 + 1000))).toEqual({
      wait: (L.accountBaseDelayMs - 1000) / 1000,
      scope: "account",
    });
    // once the delay has passed one try goes through; the next delay is twice as long
    let at = T0 + L.accountBaseDelayMs;
    expect(t.begin("y", "alice", at).ok).toBe(true);
    expect(refused(t.begin("z", "alice", at))).toEqual({ wait: (2 * L.accountBaseDelayMs) / 1000, scope: "account" });
    for (let i = 0; i < 10; i++) {
      const allowed = t.begin(`late${i}`, "alice", (at += L.accountMaxDelayMs));
      expect(allowed.ok).toBe(true);
    }
    expect(refused(t.begin("z", "alice", at))).toEqual({ wait: L.accountMaxDelayMs / 1000, scope: "account" });
  });

  test("an address the account signed in from is not delayed; other accounts are not either", () => {
    const t = new SignInThrottle();
    const v = t.begin("home", "alice", T0 - 1000);
    if (!v.ok) throw new Error("refused");
    t.succeeded(v.attempt);
    botnet(t, "alice", 3 * L.accountAddresses);
    expect(t.begin("home", "alice", T0 + 1).ok).toBe(true);
    expect(t.begin("x", "bob", T0 + 1).ok).toBe(true);
    expect(refused(t.begin("x", "alice", T0 + 1))?.scope).toBe("account");
  });

  test("the account's window passes: no more delay", () => {
    const t = new SignInThrottle();
    botnet(t, "alice", L.accountAddresses);
    expect(t.begin("x", "alice", T0 + L.accountWindowMs + 1).ok).toBe(true);
  });
});

test("memory stays bounded under a spray of names and addresses", () => {
  const t = new SignInThrottle({ ...L, maxKeys: 1000 });
  for (let i = 0; i < 5000; i++) t.begin(`ip${i}`, `name${i}`, T0 + i);
  const sizes = t as unknown as {
    pairs: Map<string, unknown>;
    addresses: Map<string, unknown>;
    accounts: Map<string, unknown>;
  };
  for (const m of [sizes.pairs, sizes.addresses, sizes.accounts]) expect(m.size).toBeLessThanOrEqual(1000);
});
