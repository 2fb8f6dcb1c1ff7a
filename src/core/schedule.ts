// When a periodic background job is due. Its period is read at every check (a runtime setting), so a
// change applies at the next check without a restart; a period of 0 means the job is off. Times are
// milliseconds of whatever clock the caller runs on (services/scheduler.ts injects it).

/** Due when on, and at least one period has passed since the last run (or since the start). */
export const isDue = (lastMs: number, periodMs: number, nowMs: number) => periodMs > 0 && nowMs - lastMs >= periodMs;

/** Minutes (a setting) → milliseconds; 0 stays 0 (off). */
export const minutesMs = (minutes: number) => Math.max(0, minutes) * 60_000;
