// When a periodic job is due (core/schedule.ts): off at period 0, due once a whole period has passed
// since its last run, and a period changed between checks applies at the next check.
import { expect, test } from "bun:test";
import { isDue, minutesMs } from "../../src/core/schedule";

test("period 0 is off, however long it has been", () => {
  expect(isDue(0, 0, 10 ** 12)).toBe(false);
});

test("due from one whole period after the last run", () => {
  expect(isDue(1000, 600_000, 600_999)).toBe(false);
  expect(isDue(1000, 600_000, 601_000)).toBe(true);
});

test("a shorter period set later makes the same last run due sooner (no restart needed)", () => {
  const last = 0;
  expect(isDue(last, minutesMs(10), minutesMs(2))).toBe(false);
  expect(isDue(last, minutesMs(1), minutesMs(2))).toBe(true);
});

test("minutes to milliseconds; negative minutes are off", () => {
  expect(minutesMs(10)).toBe(600_000);
  expect(minutesMs(0)).toBe(0);
  expect(minutesMs(-5)).toBe(0);
});
