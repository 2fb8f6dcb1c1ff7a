// The admin dashboard's calendar: a period (today, 7 days, 30 days, or a custom range of days) as local
// days of the operator's time zone, each day as the whole UTC hours of the hourly rollups it holds.
// An hour belongs to the local day in which it starts. In zones whose offset is a whole number of hours
// that is exactly the local day; in zones offset by a half or three quarters of an hour (India +5:30,
// Nepal +5:45, Newfoundland −3:30) a day runs from the first whole UTC hour after local midnight, so
// the first 30 or 45 minutes after midnight count for the day before. A period is read as whole UTC
// days and the hours around them (spanRanges). Pure: the clock is passed in.
import { type ErrorText, keyed } from "../errors";
import { fromWallClock, wallClock } from "./budget";

export const HOUR = 3600;
export const DAY = 86_400;
export const PERIODS = ["today", "7d", "30d", "custom"] as const;
export type PeriodName = (typeof PERIODS)[number];
/** the longest custom period, in days */
export const MAX_DAYS = 366;

/** [start, end) in unix seconds, both whole UTC hours */
export type Slot = { key: string; label: string; start: number; end: number };
export type Period = {
  name: PeriodName;
  /** first and last local day, "YYYY-MM-DD", inclusive */
  from: string;
  to: string;
  timezone: string;
  start: number;
  end: number;
  days: Slot[];
  /** the chart's bars: the days, or the hours of a one-day period */
  slots: Slot[];
};
export type PeriodProblem = { field: "period" | "from" | "to"; message: ErrorText };

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const ceilHour = (sec: number) => Math.ceil(sec / HOUR) * HOUR;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const shift = (day: string, n: number) => isoDay(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

export const isDay = (day: string) => DAY_TEXT.test(day) && isoDay(Date.parse(`${day}T00:00:00Z`) || 0) === day;

/** The local day ("YYYY-MM-DD") in `tz` at `sec`. */
export const localDay = (sec: number, tz: string) => isoDay(wallClock(sec, tz) * 1000);

/** The first whole UTC hour at or after local midnight of `day` in `tz`. */
const firstHour = (day: string, tz: string) => ceilHour(fromWallClock(Date.parse(`${day}T00:00:00Z`) / 1000, tz));

/** The hours of local day `day` in `tz`: from the first whole hour at or after its midnight to the
 * first at or after the next midnight (24 hours; 23 or 25 on a daylight-saving change). */
export function daySlot(day: string, tz: string): Slot {
  return { key: day, label: day, start: firstHour(day, tz), end: firstHour(shift(day, 1), tz) };
}

/** The hours of a slot, labelled with the local time each starts at ("HH:MM"). */
function hoursOf(slot: Slot, tz: string): Slot[] {
  const out: Slot[] = [];
  for (let h = slot.start; h < slot.end; h += HOUR) {
    const wall = new Date(wallClock(h, tz) * 1000).toISOString();
    out.push({ key: String(h), label: wall.slice(11, 16), start: h, end: h + HOUR });
  }
  return out;
}

/** A period's days and hours at `nowSec`; `custom` needs `from` and `to` (local days, inclusive). */
export function resolvePeriod(
  name: PeriodName,
  nowSec: number,
  tz: string,
  custom: { from?: string; to?: string } = {},
): Period | PeriodProblem {
  const today = localDay(nowSec, tz);
  let from = today;
  let to = today;
  if (name === "7d") from = shift(today, -6);
  else if (name === "30d") from = shift(today, -29);
  else if (name === "custom") {
    for (const field of ["from", "to"] as const)
      if (!custom[field] || !isDay(custom[field])) return { field, message: keyed("error.period.day", { field }) };
    from = custom.from!;
    to = custom.to!;
    if (from > to) return { field: "to", message: keyed("error.period.backwards", { from, to }) };
    if (daysBetween(from, to) >= MAX_DAYS)
      return { field: "to", message: keyed("error.period.tooLong", { max: MAX_DAYS }) };
  }
  const days: Slot[] = [];
  let start = firstHour(from, tz);
  for (let d = from; d <= to; d = shift(d, 1)) {
    const end = firstHour(shift(d, 1), tz);
    days.push({ key: d, label: d, start, end });
    start = end;
  }
  const period = { name, from, to, timezone: tz, start: days[0].start, end: days.at(-1)!.end, days };
  return { ...period, slots: days.length === 1 ? hoursOf(days[0], tz) : days };
}

export const isPeriodProblem = (p: Period | PeriodProblem): p is PeriodProblem => "message" in p;

/** A range of rollup rows: those of `span` (HOUR or DAY) starting in [from, to). */
export type SpanRange = { span: number; from: number; to: number };

/** [start, end) (whole hours) as the fewest rollup rows: the whole UTC days inside it as day rows,
 * the hours before and after them as hour rows. 30 days read ~75 rows per value instead of 720. */
export function spanRanges(start: number, end: number): SpanRange[] {
  const first = Math.ceil(start / DAY) * DAY;
  const last = Math.floor(end / DAY) * DAY;
  if (last <= first) return [{ span: HOUR, from: start, to: end }];
  const ranges = [
    { span: HOUR, from: start, to: first },
    { span: DAY, from: first, to: last },
    { span: HOUR, from: last, to: end },
  ];
  return ranges.filter((r) => r.to > r.from);
}
