// The process clock (src/services/clock.ts): the real clock is Date.now itself and cannot be moved; a
// test clock starts at the given reading, runs on with real time, and moves forward when told.
import { expect, test } from "bun:test";
import { makeClock } from "../../src/services/clock";

test("the real clock is Date.now itself, with no way to move it", () => {
  const c = makeClock(undefined);
  expect(c.nowMs).toBe(Date.now);
  expect(c.advance).toBeNull();
});

test("a test clock starts at its reading, runs on, and moves forward by what it is told", () => {
  const start = Date.UTC(2001, 0, 1); // years before the real clock
  const c = makeClock(start);
  const first = c.nowMs();
  expect(first).toBeGreaterThanOrEqual(start);
  expect(first - start).toBeLessThan(3_600_000); // it started at `start`, not at the real time
  c.advance!(90_000);
  const later = c.nowMs();
  expect(later - first).toBeGreaterThanOrEqual(90_000);
  expect(later - first).toBeLessThan(3_600_000);
});
