// The one clock of a process: budget periods, rate-limit windows, breakers, the breaker alert, token
// expiry and the alert limit read it. It is the real clock, except in a test that set
// APIYI_TEST_CLOCK_MS (config.ts honours it only when NODE_ENV=test): that clock starts at the given
// time, runs on, and can be moved forward (api/test-clock.ts, a route that exists only then).

export type Clock = {
  /** unix ms: `Date.now` itself on the real clock (nothing added on the hot path) */
  nowMs: () => number;
  /** moves a test clock forward by `ms`; null on the real clock */
  advance: ((ms: number) => void) | null;
};

export function makeClock(testClockMs: number | undefined): Clock {
  if (testClockMs === undefined) return { nowMs: Date.now, advance: null };
  let offset = testClockMs - Date.now();
  return {
    nowMs: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
