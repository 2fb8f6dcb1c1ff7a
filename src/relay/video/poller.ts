// The one poller of video jobs, driven from the job table (so a restart resumes it). Every tick it reads
// the live jobs whose next poll is due (a few per channel, so one channel's backlog never hides the
// others') and starts polls within video_poll_per_channel per channel and video_poll_overall in all
// (core/video/schedule.ts pickDue). A slot is refilled as soon as its poll ends, not at the next tick,
// so one slow upstream holds up its own slots only (new-api polls each channel serially, #5717). Each
// poll asks the job's upstream with the key that submitted it and moves the job: progress, a final state
// (settled in end.ts), or the next poll on a schedule that backs off (2 s growing to 30 s). A job older
// than video_timeout_hours expires (its hold goes back). A client's GET may ask for an early poll; it
// never waits for one, nor settles. Stopping abandons the polls in flight: their jobs stay as they were.
// An upstream that does not know a job (DashScope's UNKNOWN) is asked again, UNKNOWN_POLLS times in a
// row at most, then the job fails (its hold goes back).
import { applyPoll, type VideoState } from "../../core/video/job-state";
import { nextPollAt, type PollLimits, pickDue } from "../../core/video/schedule";
import type { VideoJobRow } from "../../db/schema";
import type { Runtime } from "../../runtime";
import { leads } from "../../services/context";
import { readSettings } from "../../services/settings";
import { LIVE_STATES, type PollMove } from "../../store/videos";
import { providerFor } from "../wire";
import { endVideoJob } from "./end";
import { videoRequest } from "./upstream";

const TICK_MS = 1000;
/** a test clock moves by minutes at once: tick often so the moved time is seen at once */
const TEST_TICK_MS = 50;
/** an early poll on a client's GET waits at least this long after the last one */
const EARLY_POLL_GAP_MS = 1000;
/** answers in a row that do not know a job before it fails */
export const UNKNOWN_POLLS = 3;

type Due = { id: string; channelId: number; nextPollAtMs: number };
const isLive = (state: string) => (LIVE_STATES as readonly string[]).includes(state);

export class VideoPoller {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** job id → its channel, for every poll in flight */
  private readonly inFlight = new Map<string, number>();
  private readonly perChannel = new Map<number, number>();
  private readonly running = new Set<Promise<void>>();
  /** jobs the upstream said it does not know, and how many polls in a row (not kept over a restart) */
  private readonly unknown = new Map<string, number>();
  /** due jobs read and not started yet, longest due first */
  private queue: Due[] = [];
  private limits: PollLimits = { perChannel: 1, overall: 1 };
  private rereading = false;
  private stopped = false;
  private readonly abort = new AbortController();
  /** polls sent (for tests and the bench), and the most in flight at once per channel */
  readonly stats = { polls: 0, peakPerChannel: new Map<number, number>() };

  constructor(private readonly rt: Runtime) {}

  start() {
    this.timer = setInterval(() => this.tick(), this.rt.ctx.clock.advance ? TEST_TICK_MS : TICK_MS);
    this.timer.unref?.();
  }

  /** Stops polling; resolves once the polls in flight have given up (their jobs stay live, for the next start). */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }

  /** Expires the jobs past their time, reads what is due and starts it, within the limits. */
  async tick() {
    if (this.stopped || !leads(this.rt.ctx)) return; // once per cluster on PostgreSQL: the leader's
    try {
      const { ctx } = this.rt;
      const s = readSettings(ctx);
      this.limits = { perChannel: s.video_poll_per_channel, overall: s.video_poll_overall };
      await this.expire(ctx.clock.nowMs(), s.video_timeout_hours * 3_600_000);
      await this.read();
    } catch (e) {
      console.error("video poller:", (e as Error).message);
    }
  }

  /** A client looked at a live job: poll it soon, without waiting (never more than once a second). */
  async early(job: VideoJobRow) {
    const now = this.rt.ctx.clock.nowMs();
    if (this.inFlight.has(job.id) || now - job.updatedAt < EARLY_POLL_GAP_MS) return;
    await this.rt.ctx.store.videos.advance(job.id, { nextPollAt: now });
    this.reread();
  }

  /** The due jobs now (twice a channel's share: its polls in flight still read as due), then fill. */
  private async read() {
    const now = this.rt.ctx.clock.nowMs();
    const due = await this.rt.ctx.store.videos.due(now, this.limits.perChannel * 2);
    this.queue = due.filter((j) => !this.inFlight.has(j.id));
    this.fill();
  }

  /** A read soon (one at a time), when a slot is free and nothing read can take it. */
  private reread() {
    if (this.rereading || this.stopped) return;
    this.rereading = true;
    setTimeout(async () => {
      this.rereading = false;
      if (this.stopped) return;
      try {
        await this.read();
      } catch (e) {
        console.error("video poller:", (e as Error).message);
      }
    }, 0);
  }

  /** Starts what the limits allow from the queue; returns how many. */
  private fill(): number {
    if (this.stopped) return 0;
    const now = this.rt.ctx.clock.nowMs();
    const candidates = this.queue.map((j) => ({ ...j, inFlight: false }));
    const picked = new Set(pickDue(candidates, now, this.limits, this.perChannel, this.inFlight.size));
    if (picked.size === 0) return 0;
    const start = this.queue.filter((j) => picked.has(j.id));
    this.queue = this.queue.filter((j) => !picked.has(j.id));
    for (const j of start) this.launch(j);
    return picked.size;
  }

  private launch(due: Due) {
    this.inFlight.set(due.id, due.channelId);
    const n = (this.perChannel.get(due.channelId) ?? 0) + 1;
    this.perChannel.set(due.channelId, n);
    const peak = this.stats.peakPerChannel;
    peak.set(due.channelId, Math.max(n, peak.get(due.channelId) ?? 0));
    const run = this.poll(due.id)
      .catch((e) => console.error("video poller:", (e as Error).message))
      .finally(() => {
        this.running.delete(run);
        this.inFlight.delete(due.id);
        this.perChannel.set(due.channelId, (this.perChannel.get(due.channelId) ?? 1) - 1);
        if (this.fill() === 0) this.reread(); // the freed slot found nothing read: read again
      });
    this.running.add(run);
  }

  private async expire(now: number, timeoutMs: number) {
    if (timeoutMs <= 0) return;
    for (const job of await this.rt.ctx.store.videos.liveSince(now - timeoutMs))
      await endVideoJob(this.rt, job, {
        state: "expired",
        code: "video_timeout",
        message: "the upstream did not finish the job in time",
      });
  }

  /** An answer that does not know the job: polled again on the schedule (`later`), failed after
   * UNKNOWN_POLLS in a row (true: handled). Any other answer resets the count. */
  private async stillUnknown(job: VideoJobRow, unknown: boolean, later: PollMove): Promise<boolean> {
    const n = unknown ? (this.unknown.get(job.id) ?? 0) + 1 : 0;
    if (n === 0 || n >= UNKNOWN_POLLS) this.unknown.delete(job.id);
    if (!unknown) return false;
    if (n < UNKNOWN_POLLS) {
      this.unknown.set(job.id, n);
      await this.rt.ctx.store.videos.moveOn(job.id, later);
    } else
      await endVideoJob(this.rt, job, {
        state: "failed",
        code: "video_not_found",
        message: `the upstream did not know the job in ${n} polls in a row`,
      });
    return true;
  }

  /** One poll of one job (read afresh: it may have ended since it was found due). */
  private async poll(id: string) {
    const { ctx } = this.rt;
    const job = await ctx.store.videos.byId(id);
    if (!job || !isLive(job.state)) return;
    const channel = ctx.snapshot.current.channelsById.get(job.channelId);
    const video = channel && providerFor(channel.type)?.video;
    const key = channel?.keys[job.keyIndex];
    if (!channel || !video || !key) {
      await endVideoJob(this.rt, job, {
        state: "failed",
        code: "channel_gone",
        message: "the channel that runs this job was removed",
      });
      return;
    }
    this.stats.polls++;
    const r = await videoRequest(channel, video.poll(channel, key, job.upstreamId), undefined, this.abort.signal);
    if (this.stopped) return; // abandoned: the job is polled again after the next start
    const now = ctx.clock.nowMs();
    const later = (state: string, progress: number, hintMs?: number) => ({
      state,
      progress,
      polls: job.polls + 1,
      nextPollAt: nextPollAt(now, job.polls + 1, hintMs),
      updatedAt: now,
    });
    if (!r.ok) {
      if (r.status === 404)
        await endVideoJob(this.rt, job, { state: "failed", code: "video_not_found", message: r.cause });
      else await ctx.store.videos.moveOn(job.id, later(job.state, job.progress));
      return;
    }
    const up = video.polled(r.json);
    if (await this.stillUnknown(job, up.unknown === true, later(job.state, job.progress))) return;
    const next = applyPoll({ state: job.state as VideoState, progress: job.progress }, up);
    if (next.state === "completed")
      await endVideoJob(this.rt, job, {
        state: "completed",
        seconds: up.seconds,
        resultRef: up.resultRef ?? "",
        expiresAtMs: up.expiresAtMs ?? null,
      });
    else if (next.state === "failed" || next.state === "cancelled")
      await endVideoJob(this.rt, job, {
        state: next.state,
        code: up.error?.code ?? "video_failed",
        message: up.error?.message ?? "the upstream failed the job",
      });
    // a job ended meanwhile (a client's DELETE, the timeout) stays ended: moveOn moves live jobs only
    else await ctx.store.videos.moveOn(job.id, later(next.state, next.progress, up.pollAfterMs));
  }
}
