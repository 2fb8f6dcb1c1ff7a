// The circuit breaker per channel (core/breaker.ts), on an injected clock: it opens after the
// failure threshold within the window, goes half-open after the cooldown and hands out exactly one
// probe, a passing probe closes it, a failing one re-opens it with the cooldown doubled up to its cap,
// and reset or a new health epoch forgets it. (Giving a probe back is in breaker-release.test.ts.)
import { describe, expect, test } from "bun:test";
import { BREAKER_DEFAULTS, Breakers, type BreakerOptions } from "../../src/core/breaker";

const opts: BreakerOptions = { failures: 3, windowMs: 10_000, cooldownMs: 1000, maxCooldownMs: 5000 };
const make = (o: BreakerOptions = opts) => new Breakers(() => o);
/** `n` failures at `at` (ms) */
const fail = (b: Breakers, id: number, at: number, n = 1) => {
  for (let i = 0; i < n; i++) b.failure(id, at);
};

describe("closed → open", () => {
  test("an unknown channel is closed and allowed", () => {
    const b = make();
    expect(b.state(1, 0)).toBe("closed");
    expect(b.allow(1, 0)).toBe(true);
    expect(b.has(1)).toBe(false);
    expect(b.openUntil(1)).toBe(0);
    expect(b.recentFailures(1, 0)).toBe(0);
  });

  test("below the threshold it stays closed and counts; at the threshold it opens for the cooldown", () => {
    const b = make();
    fail(b, 1, 100, 2);
    expect(b.state(1, 100)).toBe("closed");
    expect(b.allow(1, 100)).toBe(true);
    expect(b.has(1)).toBe(true);
    expect(b.recentFailures(1, 100)).toBe(2);
    b.failure(1, 200);
    expect(b.state(1, 200)).toBe("open");
    expect(b.openUntil(1)).toBe(1200);
    expect(b.recentFailures(1, 200)).toBe(0); // used up to open it
    expect(b.allow(1, 200)).toBe(false);
    expect(b.allow(1, 1199)).toBe(false);
  });

  test("only failures within the window count", () => {
    const b = make();
    b.failure(1, 0);
    b.failure(1, 5000);
    expect(b.recentFailures(1, 9999)).toBe(2);
    expect(b.recentFailures(1, 10_000)).toBe(1); // the first is out of the window
    b.failure(1, 10_000);
    expect(b.state(1, 10_000)).toBe("closed");
    b.failure(1, 12_000);
    expect(b.state(1, 12_000)).toBe("open");
  });

  test("a success while closed clears the count", () => {
    const b = make();
    fail(b, 1, 0, 2);
    b.success(1);
    expect(b.recentFailures(1, 0)).toBe(0);
    fail(b, 1, 1, 2);
    expect(b.state(1, 1)).toBe("closed");
  });

  test("channels are independent", () => {
    const b = make();
    fail(b, 1, 0, 3);
    expect(b.state(1, 0)).toBe("open");
    expect(b.state(2, 0)).toBe("closed");
    expect(b.allow(2, 0)).toBe(true);
    b.success(2); // unknown: nothing happens
    expect(b.has(2)).toBe(false);
  });
});

describe("half-open: one probe", () => {
  test("after the cooldown it is half-open and exactly one call gets the probe", () => {
    const b = make();
    fail(b, 1, 0, 3); // open until 1000
    expect(b.state(1, 999)).toBe("open");
    expect(b.state(1, 1000)).toBe("half_open");
    expect(b.allow(1, 1000)).toBe(true); // the probe
    for (const t of [1000, 1001, 5000, 60_000]) expect(b.allow(1, t)).toBe(false);
    expect(b.state(1, 1001)).toBe("half_open");
  });

  test("a passing probe closes it: calls flow, and it takes the full threshold to open again", () => {
    const b = make();
    fail(b, 1, 0, 3);
    expect(b.allow(1, 1000)).toBe(true);
    b.success(1);
    expect(b.state(1, 1001)).toBe("closed");
    expect(b.openUntil(1)).toBe(0);
    expect(b.allow(1, 1001)).toBe(true);
    expect(b.allow(1, 1001)).toBe(true);
    fail(b, 1, 2000, 2);
    expect(b.state(1, 2000)).toBe("closed");
    b.failure(1, 2000);
    expect(b.openUntil(1)).toBe(3000); // the base cooldown again
  });

  test("a failing probe re-opens it with the cooldown doubled, up to the cap", () => {
    const b = make();
    fail(b, 1, 0, 3);
    let now = 1000; // open until now
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(b.allow(1, now)).toBe(true);
      b.failure(1, now);
      expect(b.state(1, now)).toBe("open");
      expect(b.allow(1, now)).toBe(false);
      seen.push(b.openUntil(1) - now);
      now = b.openUntil(1);
    }
    expect(seen).toEqual([2000, 4000, 5000, 5000, 5000]);
    expect(b.state(1, now)).toBe("half_open");
  });

  test("a failing probe opens at once, whatever the threshold", () => {
    const b = make({ ...opts, failures: 100 });
    fail(b, 1, 0, 100);
    expect(b.allow(1, 1000)).toBe(true);
    b.failure(1, 1000);
    expect(b.state(1, 1000)).toBe("open");
    expect(b.openUntil(1)).toBe(3000);
  });

  test("after a doubled cooldown, a passing probe brings the cooldown back to its base", () => {
    const b = make();
    fail(b, 1, 0, 3);
    b.allow(1, 1000);
    b.failure(1, 1000); // open until 3000 (2000)
    b.allow(1, 3000);
    b.failure(1, 3000); // open until 7000 (4000)
    expect(b.allow(1, 7000)).toBe(true);
    b.success(1);
    fail(b, 1, 8000, 3);
    expect(b.openUntil(1)).toBe(9000);
  });
});

describe("forgetting", () => {
  test("reset closes an open breaker and forgets its doubled cooldown", () => {
    const b = make();
    fail(b, 1, 0, 3);
    b.allow(1, 1000);
    b.failure(1, 1000); // cooldown 2000 now
    b.reset(1);
    expect(b.has(1)).toBe(false);
    expect(b.state(1, 1001)).toBe("closed");
    expect(b.allow(1, 1001)).toBe(true);
    fail(b, 1, 2000, 3);
    expect(b.openUntil(1)).toBe(3000);
  });

  test("reset gives back a probe in flight: the next call is let through at once", () => {
    const b = make();
    fail(b, 1, 0, 3);
    expect(b.allow(1, 1000)).toBe(true);
    b.reset(1);
    expect(b.allow(1, 1000)).toBe(true);
    expect(b.allow(1, 1000)).toBe(true);
  });

  test("sync: the same epoch keeps the state, a new epoch starts over", () => {
    const b = make();
    b.sync(1, 7);
    fail(b, 1, 0, 3);
    b.sync(1, 7);
    expect(b.state(1, 0)).toBe("open");
    b.sync(1, 8);
    expect(b.state(1, 0)).toBe("closed");
    expect(b.has(1)).toBe(false);
    fail(b, 1, 0, 2);
    b.sync(1, 8);
    expect(b.recentFailures(1, 0)).toBe(2);
  });
});

describe("options", () => {
  test("defaults: 5 failures in a minute open for 30 s, doubling up to 10 min", () => {
    expect(BREAKER_DEFAULTS).toEqual({ failures: 5, windowMs: 60_000, cooldownMs: 30_000, maxCooldownMs: 600_000 });
    const b = new Breakers();
    fail(b, 1, 0, 4);
    expect(b.state(1, 0)).toBe("closed");
    b.failure(1, 0);
    expect(b.openUntil(1)).toBe(30_000);
  });

  test("options are read at each event: a changed threshold or window applies at once", () => {
    let o = opts;
    const b = new Breakers(() => o);
    fail(b, 1, 0, 2);
    o = { ...opts, failures: 2 };
    b.failure(1, 0); // 3 ≥ 2
    expect(b.state(1, 0)).toBe("open");
    fail(b, 2, 0, 2);
    o = { ...opts, windowMs: 100 };
    expect(b.recentFailures(2, 100)).toBe(0);
  });

  test("a lowered cap applies to the next doubling", () => {
    let o = opts;
    const b = new Breakers(() => o);
    fail(b, 1, 0, 3);
    b.allow(1, 1000);
    o = { ...opts, maxCooldownMs: 1500 };
    b.failure(1, 1000);
    expect(b.openUntil(1)).toBe(2500);
  });
});

// A probe given out by a half-open breaker and then given back (the attempt said nothing about the
// channel) lets the next call probe; without it the breaker would wait forever.
test("release gives the probe back; success or failure still decide", () => {
  const b = make({ failures: 1, windowMs: 60_000, cooldownMs: 1000, maxCooldownMs: 20_000 });
  b.failure(1, 0); // opens until 1000
  expect(b.allow(1, 500)).toBe(false);
  expect(b.allow(1, 1000)).toBe(true); // the probe
  expect(b.allow(1, 1001)).toBe(false); // only one at a time
  b.release(1);
  expect(b.state(1, 1002)).toBe("half_open");
  expect(b.allow(1, 1002)).toBe(true); // probed again
  b.success(1);
  expect(b.state(1, 1003)).toBe("closed");
  b.release(2); // unknown channel: nothing to give back
  expect(b.state(2, 0)).toBe("closed");
});

describe("how long it has been open (for the breaker alert)", () => {
  test("openedAt is when it opened from closed, kept through failed probes, 0 once closed", () => {
    const b = make();
    expect(b.openedAt(1)).toBe(0);
    fail(b, 1, 100, 3);
    expect(b.openedAt(1)).toBe(100);
    expect(b.allow(1, 1100)).toBe(true); // the probe
    b.failure(1, 1100); // fails: open again, since 100 still
    expect(b.openedAt(1)).toBe(100);
    expect(b.allow(1, 3100)).toBe(true);
    b.success(1);
    expect(b.openedAt(1)).toBe(0);
  });
});
