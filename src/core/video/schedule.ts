// When to poll a video job's upstream, pure: 2 s after submission, then each wait 1.5× the last up to
// 30 s, unless the upstream said when (honoured within 1 s – 5 min); when a job has waited too long;
// and which due jobs to poll now without more than a channel's (or the whole poller's) share in flight,
// so one slow channel cannot hold the others back (new-api polls each channel serially, #5717).
// Times are milliseconds of whatever clock the caller runs on.

export const FIRST_POLL_MS = 2000;
export const POLL_GROWTH = 1.5;
export const MAX_POLL_MS = 30_000;
export const HINT_MIN_MS = 1000;
export const HINT_MAX_MS = 5 * 60_000;

/** The wait before the poll after `pollsSoFar` polls (0: the first, after submission). */
export function pollDelayMs(pollsSoFar: number): number {
  const n = Math.max(0, Math.floor(pollsSoFar));
  return Math.min(MAX_POLL_MS, Math.round(FIRST_POLL_MS * POLL_GROWTH ** n));
}

/** When to poll next: the upstream's hint (poll-after / retry-after, ms) clamped to [1 s, 5 min] when
 * it gave one, else the growing schedule. */
export function nextPollAt(nowMs: number, pollsSoFar: number, hintMs?: number): number {
  if (typeof hintMs === "number" && Number.isFinite(hintMs) && hintMs >= 0)
    return nowMs + Math.min(HINT_MAX_MS, Math.max(HINT_MIN_MS, Math.round(hintMs)));
  return nowMs + pollDelayMs(pollsSoFar);
}

/** The job has waited `timeoutMs` or more since it was created (a timeout of 0 or less: never). */
export const timedOut = (job: { createdAtMs: number }, nowMs: number, timeoutMs: number) =>
  timeoutMs > 0 && nowMs - job.createdAtMs >= timeoutMs;

export type DueJob = { id: string; channelId: number; nextPollAtMs: number; inFlight: boolean };
export type PollLimits = { perChannel: number; overall: number };

/**
 * The ids to poll now: jobs due (next poll at or before now) and not in flight, the longest due
 * first, as long as no channel gets more than `perChannel` polls in flight nor the poller more than
 * `overall`, counting the polls already in flight (`inFlightByChannel`, `inFlightOverall`; those
 * jobs are skipped, not counted twice). The map is not changed.
 */
export function pickDue(
  jobs: readonly DueJob[],
  nowMs: number,
  limits: PollLimits,
  inFlightByChannel: ReadonlyMap<number, number>,
  inFlightOverall: number,
): string[] {
  let room = limits.overall - inFlightOverall;
  if (room <= 0) return [];
  const busy = new Map(inFlightByChannel);
  const due = jobs
    .filter((j) => !j.inFlight && j.nextPollAtMs <= nowMs)
    .sort((a, b) => a.nextPollAtMs - b.nextPollAtMs);
  const picked: string[] = [];
  for (const j of due) {
    const n = busy.get(j.channelId) ?? 0;
    if (n >= limits.perChannel) continue;
    busy.set(j.channelId, n + 1);
    picked.push(j.id);
    if (--room === 0) break;
  }
  return picked;
}
