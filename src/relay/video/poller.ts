// The one poller of video jobs, driven from the job table (so a restart resumes it): every tick it
// takes the live jobs whose next poll is due, at most video_poll_per_channel in flight per channel and
// video_poll_overall in all (core/video/schedule.ts pickDue), asks each job's upstream with the key that
// submitted it, and moves the job: progress, a final state (settled in end.ts), or the next poll on a
// schedule that backs off (2 s growing to 30 s); an upstream that does not know the job (DashScope's
// UNKNOWN) is asked again, UNKNOWN_POLLS times in a row at most, then the job fails. A job older
// than video_timeout_hours expires (its hold goes back). A client's GET may ask for an early poll; it
// never waits for one, nor settles.
import { applyPoll, type VideoState } from "../../core/video/job-state";
import { nextPollAt, pickDue } from "../../core/video/schedule";
import type { VideoJobRow } from "../../db/schema";
import type { Runtime } from "../../runtime";
import { readSettings } from "../../services/settings";
import { providerFor } from "../wire";
import { endVideoJob } from "./end";
import { videoRequest } from "./upstream";

const TICK_MS = 1000;
/** a test clock moves by minutes at once: tick often so the moved time is seen at once */
const TEST_TICK_MS = 50;
/** an early poll on a client's GET waits at least this long after the last one */
const EARLY_POLL_GAP_MS = 1000;
/** polls in a row that find the job unknown upstream (DashScope's UNKNOWN) before it fails */
export const UNKNOWN_POLLS = 3;

export class VideoPoller {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly inFlight = new Set<string>();
  private readonly perChannel = new Map<number, number>();
  /** jobs the upstream said it does not know, and how many polls in a row (not kept over a restart) */
  private readonly unknown = new Map<string, number>();
  private ticking = false;
  /** polls sent (for tests and the bench), and the most in flight at once per channel */
  readonly stats = { polls: 0, peakPerChannel: new Map<number, number>() };

  constructor(private readonly rt: Runtime) {}

  start() {
    this.timer = setInterval(() => void this.tick(), this.rt.ctx.clock.advance ? TEST_TICK_MS : TICK_MS);
    this.timer.unref?.();
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Polls what is due now, within the limits; resolves when those polls are done. */
  async tick() {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const { ctx } = this.rt;
      const s = readSettings(ctx);
      const now = ctx.clock.nowMs();
      this.expire(now, s.video_timeout_hours * 3_600_000);
      const limits = { perChannel: s.video_poll_per_channel, overall: s.video_poll_overall };
      const due = ctx.store.videos.due(now, Math.max(limits.overall * 4, 100));
      const jobs = new Map(due.map((j) => [j.id, j]));
      const picked = pickDue(
        due.map((j) => ({
          id: j.id,
          channelId: j.channelId,
          nextPollAtMs: j.nextPollAt,
          inFlight: this.inFlight.has(j.id),
        })),
        now,
        limits,
        this.perChannel,
        this.inFlight.size,
      );
      await Promise.all(picked.map((id) => this.poll(jobs.get(id)!)));
    } catch (e) {
      console.error("video poller:", (e as Error).message);
    } finally {
      this.ticking = false;
    }
  }

  /** A client looked at a live job: poll it soon, without waiting (never more than once a second). */
  early(job: VideoJobRow) {
    const now = this.rt.ctx.clock.nowMs();
    if (this.inFlight.has(job.id) || now - job.updatedAt < EARLY_POLL_GAP_MS) return;
    this.rt.ctx.store.videos.update(job.id, { nextPollAt: now });
  }

  private expire(now: number, timeoutMs: number) {
    if (timeoutMs <= 0) return;
    for (const job of this.rt.ctx.store.videos.liveSince(now - timeoutMs))
      endVideoJob(this.rt, job, {
        state: "expired",
        code: "video_timeout",
        message: "the upstream did not finish the job in time",
      });
  }

  /** An answer that does not know the job: polled again on the schedule, failed after UNKNOWN_POLLS
   * in a row (true: handled). Any other answer resets the count. */
  private stillUnknown(job: VideoJobRow, unknown: boolean, now: number): boolean {
    const n = unknown ? (this.unknown.get(job.id) ?? 0) + 1 : 0;
    if (n === 0 || n >= UNKNOWN_POLLS) this.unknown.delete(job.id);
    if (!unknown) return false;
    if (n >= UNKNOWN_POLLS)
      endVideoJob(this.rt, job, {
        state: "failed",
        code: "video_not_found",
        message: `the upstream did not know the job in ${n} polls in a row`,
      });
    else {
      this.unknown.set(job.id, n);
      const polls = job.polls + 1;
      this.rt.ctx.store.videos.update(job.id, { polls, nextPollAt: nextPollAt(now, polls), updatedAt: now });
    }
    return true;
  }

  private async poll(job: VideoJobRow) {
    const { ctx } = this.rt;
    const channel = ctx.snapshot.current.channelsById.get(job.channelId);
    const video = channel && providerFor(channel.type)?.video;
    const key = channel?.keys[job.keyIndex];
    if (!channel || !video || !key) {
      endVideoJob(this.rt, job, {
        state: "failed",
        code: "channel_gone",
        message: "the channel that runs this job was removed",
      });
      return;
    }
    this.inFlight.add(job.id);
    const n = (this.perChannel.get(channel.id) ?? 0) + 1;
    this.perChannel.set(channel.id, n);
    this.stats.peakPerChannel.set(channel.id, Math.max(n, this.stats.peakPerChannel.get(channel.id) ?? 0));
    this.stats.polls++;
    try {
      const r = await videoRequest(channel, video.poll(channel, key, job.upstreamId));
      const now = ctx.clock.nowMs();
      if (!r.ok) {
        if (r.status === 404) endVideoJob(this.rt, job, { state: "failed", code: "video_not_found", message: r.cause });
        else
          ctx.store.videos.update(job.id, {
            polls: job.polls + 1,
            nextPollAt: nextPollAt(now, job.polls + 1),
            updatedAt: now,
          });
        return;
      }
      const up = video.polled(r.json);
      if (this.stillUnknown(job, up.unknown === true, now)) return;
      const next = applyPoll({ state: job.state as VideoState, progress: job.progress }, up);
      if (next.state === "completed")
        endVideoJob(this.rt, job, {
          state: "completed",
          seconds: up.seconds,
          resultRef: up.resultRef ?? "",
          expiresAtMs: up.expiresAtMs ?? null,
        });
      else if (next.state === "failed" || next.state === "cancelled")
        endVideoJob(this.rt, job, {
          state: next.state,
          code: up.error?.code ?? "video_failed",
          message: up.error?.message ?? "the upstream failed the job",
        });
      else
        ctx.store.videos.update(job.id, {
          state: next.state,
          progress: next.progress,
          polls: job.polls + 1,
          nextPollAt: nextPollAt(now, job.polls + 1, up.pollAfterMs),
          updatedAt: now,
        });
    } finally {
      this.inFlight.delete(job.id);
      this.perChannel.set(channel.id, (this.perChannel.get(channel.id) ?? 1) - 1);
    }
  }
}
