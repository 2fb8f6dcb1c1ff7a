// The admin dashboard's calendar: periods as local days of the operator's time zone, each day the whole
// UTC hours that start in it: exact days in whole-hour zones (daylight-saving days of 23 and 25 hours
// included), days shifted to the next whole hour in half-hour zones, and the custom period's checks.
import { expect, test } from "bun:test";
import { renderText } from "../../src/errors";
import {
  DAY,
  daySlot,
  HOUR,
  isPeriodProblem,
  localDay,
  type Period,
  resolvePeriod,
  spanRanges,
} from "../../src/core/local-days";

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (sec: number) => new Date(sec * 1000).toISOString();
const period = (p: ReturnType<typeof resolvePeriod>) => {
  if (isPeriodProblem(p)) throw new Error(renderText(p.message));
  return p as Period;
};

test("a UTC day is 24 hours from midnight; Shanghai's starts at 16:00 UTC the day before", () => {
  expect(daySlot("2026-03-10", "UTC")).toMatchObject({
    start: at("2026-03-10T00:00:00Z"),
    end: at("2026-03-11T00:00:00Z"),
  });
  const sh = daySlot("2026-03-10", "Asia/Shanghai");
  expect([iso(sh.start), iso(sh.end)]).toEqual(["2026-03-09T16:00:00.000Z", "2026-03-10T16:00:00.000Z"]);
});

test("daylight saving: New York's spring day has 23 hours, its autumn day 25", () => {
  const spring = daySlot("2026-03-08", "America/New_York");
  expect([iso(spring.start), (spring.end - spring.start) / 3600]).toEqual(["2026-03-08T05:00:00.000Z", 23]);
  const autumn = daySlot("2026-11-01", "America/New_York");
  expect([iso(autumn.start), (autumn.end - autumn.start) / 3600]).toEqual(["2026-11-01T04:00:00.000Z", 25]);
  const today = period(resolvePeriod("today", at("2026-11-01T12:00:00Z"), "America/New_York"));
  expect(today.slots.length).toBe(25);
  expect(today.slots.slice(0, 3).map((s) => s.label)).toEqual(["00:00", "01:00", "01:00"]);
});

test("half-hour zones: a day starts at the first whole UTC hour after local midnight", () => {
  // Kolkata is +5:30: midnight is 18:30 UTC, so the day's hours start at 19:00 UTC (00:30 local)
  const d = daySlot("2026-03-10", "Asia/Kolkata");
  expect([iso(d.start), iso(d.end)]).toEqual(["2026-03-09T19:00:00.000Z", "2026-03-10T19:00:00.000Z"]);
  const kathmandu = daySlot("2026-03-10", "Asia/Kathmandu"); // +5:45: midnight is 18:15 UTC
  expect(iso(kathmandu.start)).toBe("2026-03-09T19:00:00.000Z");
  const today = period(resolvePeriod("today", at("2026-03-10T12:00:00Z"), "Asia/Kolkata"));
  expect(today.slots[0].label).toBe("00:30");
});

test("today, 7 and 30 days end with the local today; their days follow each other without gaps", () => {
  const now = at("2026-03-10T20:00:00Z"); // already the 11th in Shanghai
  expect(localDay(now, "Asia/Shanghai")).toBe("2026-03-11");
  for (const [name, n] of [
    ["today", 1],
    ["7d", 7],
    ["30d", 30],
  ] as const) {
    const p = period(resolvePeriod(name, now, "Asia/Shanghai"));
    expect(p.days.length).toBe(n);
    expect(p.to).toBe("2026-03-11");
    expect(p.start).toBe(p.days[0].start);
    expect(p.end).toBe(p.days.at(-1)!.end);
    for (let i = 1; i < n; i++) expect(p.days[i].start).toBe(p.days[i - 1].end);
    expect(p.slots.length).toBe(n === 1 ? 24 : n);
  }
  expect(period(resolvePeriod("7d", now, "Asia/Shanghai")).from).toBe("2026-03-05");
});

test("custom periods: days inclusive; bad days, reversed or too long ranges are named", () => {
  const now = at("2026-03-10T12:00:00Z");
  const p = period(resolvePeriod("custom", now, "UTC", { from: "2026-02-27", to: "2026-03-02" }));
  expect(p.days.map((d) => d.key)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  expect(resolvePeriod("custom", now, "UTC", { to: "2026-03-02" })).toMatchObject({ field: "from" });
  expect(resolvePeriod("custom", now, "UTC", { from: "2026-02-30", to: "2026-03-02" })).toMatchObject({
    field: "from",
  });
  expect(resolvePeriod("custom", now, "UTC", { from: "2026-03-02", to: "2026-03-01" })).toMatchObject({ field: "to" });
  expect(resolvePeriod("custom", now, "UTC", { from: "2025-01-01", to: "2026-03-01" })).toMatchObject({ field: "to" });
  expect(isPeriodProblem(resolvePeriod("custom", now, "UTC", { from: "2025-03-02", to: "2026-03-01" }))).toBe(false);
});

test("a period is read as its whole UTC days and the hours around them, every hour exactly once", () => {
  const d = at("2026-03-10T00:00:00Z");
  expect(spanRanges(d + 5 * HOUR, d + 3 * DAY + 2 * HOUR)).toEqual([
    { span: HOUR, from: d + 5 * HOUR, to: d + DAY },
    { span: DAY, from: d + DAY, to: d + 3 * DAY },
    { span: HOUR, from: d + 3 * DAY, to: d + 3 * DAY + 2 * HOUR },
  ]);
  expect(spanRanges(d, d + 2 * DAY)).toEqual([{ span: DAY, from: d, to: d + 2 * DAY }]);
  expect(spanRanges(d + HOUR, d + 20 * HOUR)).toEqual([{ span: HOUR, from: d + HOUR, to: d + 20 * HOUR }]);
  // Shanghai's today (16:00 to 16:00 UTC) holds no whole UTC day: hours only
  expect(spanRanges(d - 8 * HOUR, d + 16 * HOUR)).toEqual([{ span: HOUR, from: d - 8 * HOUR, to: d + 16 * HOUR }]);
});
