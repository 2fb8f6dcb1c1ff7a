// Dates and times as the reader's locale writes them, in the reader's time zone. The formatters are
// built once per (language, zone) and kept (a console page formats hundreds of times).
export type DateFormats = {
  /** 2026-12-07 14:03:05 UTC → "12/07/2026, 22:03:05" (en, Asia/Shanghai) or "2026/12/07 22:03:05" (zh-CN) */
  dateTime(ms: number): string;
  /** the day alone: "12/07/2026", "2026/12/07" */
  date(ms: number): string;
  /** hours and minutes: "22:03" */
  time(ms: number): string;
};

const MAX_KEPT = 256;
const kept = new Map<string, DateFormats>();

export function dateFormats(lang: string, timeZone: string): DateFormats {
  const key = `${lang} ${timeZone}`;
  const hit = kept.get(key);
  if (hit) return hit;
  const make = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(lang, { timeZone, hourCycle: "h23", ...o });
  const day = { year: "numeric", month: "2-digit", day: "2-digit" } as const;
  const hm = { hour: "2-digit", minute: "2-digit" } as const;
  const full = make({ ...day, ...hm, second: "2-digit" });
  const dateOnly = make(day);
  const timeOnly = make(hm);
  const made: DateFormats = {
    dateTime: (ms) => full.format(ms),
    date: (ms) => dateOnly.format(ms),
    time: (ms) => timeOnly.format(ms),
  };
  if (kept.size >= MAX_KEPT) kept.clear();
  kept.set(key, made);
  return made;
}
