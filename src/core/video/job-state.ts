// The video job's state machine, pure: a job only moves forward (submitted → queued → in_progress →
// one final state), what each wire format shows for a state, and how one poll's normalized upstream
// answer moves a job (its progress never goes backwards; a final job ignores polls).

export const VIDEO_STATES = [
  "submitted",
  "queued",
  "in_progress",
  "completed",
  "failed",
  "expired",
  "cancelled",
] as const;
export type VideoState = (typeof VIDEO_STATES)[number];

/** The states a job ends in: nothing leaves them. `expired`: apiyi gave up waiting (timedOut). */
export const FINAL_STATES: readonly VideoState[] = ["completed", "failed", "expired", "cancelled"];
export const isFinal = (s: VideoState) => FINAL_STATES.includes(s);

/** The moves allowed out of each state (besides staying where it is). */
const NEXT: Record<VideoState, readonly VideoState[]> = {
  submitted: ["queued", "in_progress", "completed", "failed", "cancelled"],
  queued: ["in_progress", "completed", "failed", "cancelled", "expired"],
  in_progress: ["completed", "failed", "cancelled", "expired"],
  completed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

/** Whether `from` → `to` is allowed: a forward move, or the same state (a no-op). */
export const canAdvance = (from: VideoState, to: VideoState) => from === to || NEXT[from].includes(to);

/** The state after the move; throws (a plain Error: a bug in the caller) when it is not allowed. */
export function advance(from: VideoState, to: VideoState): VideoState {
  if (!canAdvance(from, to)) throw new Error(`a video job cannot go from ${from} to ${to}`);
  return to;
}

/** The status field of OpenAI's video object. */
export type OpenaiVideoStatus = "queued" | "in_progress" | "completed" | "failed";

/** The state as OpenAI's video object says it: submitted is still queued; expired and cancelled failed. */
export function openaiStatus(s: VideoState): OpenaiVideoStatus {
  if (s === "submitted") return "queued";
  if (s === "expired" || s === "cancelled") return "failed";
  return s;
}

/** Gemini's long-running operation `done`: true once the job is final (success or not). */
export const geminiDone = (s: VideoState) => isFinal(s);

/** One poll's upstream answer, normalized from any provider. */
export type UpstreamState = {
  state: "queued" | "in_progress" | "completed" | "failed" | "cancelled";
  /** 0–100 */
  progress?: number;
  /** seconds of video made, as the upstream reported them */
  seconds?: number;
  error?: { code: string; message: string };
  /** when the upstream asks to be polled again (poll-after / retry-after), ms */
  pollAfterMs?: number;
};

export type JobProgress = { state: VideoState; progress: number };
export type PollResult = JobProgress & { changed: boolean };

/** 0–100, whole; anything not a number is no figure (null). */
function percent(p: number | undefined): number | null {
  if (typeof p !== "number" || !Number.isFinite(p)) return null;
  return Math.floor(Math.min(100, Math.max(0, p)));
}

/**
 * The job after one poll. A final job ignores it. An upstream state behind the job's (queued after
 * in_progress: an upstream's stale replica) keeps the job's state. Progress only grows, and is 100
 * once completed.
 */
export function applyPoll(job: JobProgress, up: UpstreamState): PollResult {
  if (isFinal(job.state)) return { ...job, changed: false };
  const state = canAdvance(job.state, up.state) ? up.state : job.state;
  const reported = percent(up.progress);
  let progress = Math.max(job.progress, reported ?? 0);
  if (state === "completed") progress = 100;
  return { state, progress, changed: state !== job.state || progress !== job.progress };
}
