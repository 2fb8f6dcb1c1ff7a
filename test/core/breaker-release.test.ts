// A probe given out by a half-open breaker and then given back (the attempt said nothing about the
// channel) lets the next call probe; without it the breaker would wait forever.
import { expect, test } from "bun:test";
import { Breakers } from "../../src/core/breaker";

const opts = { failures: 1, windowMs: 60_000, cooldownMs: 1000, maxCooldownMs: 20_000 };

test("release gives the probe back; success or failure still decide", () => {
  const b = new Breakers(() => opts);
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
