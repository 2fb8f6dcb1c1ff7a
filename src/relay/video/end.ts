// The end of a video job, once: completed jobs are charged the seconds the upstream reports (within
// the hold; core/video/billing.ts), failed, cancelled and expired ones cost nothing (the hold goes
// back whole and used_quota never counts it). The job row moves to its final state only if it is
// still live, so two ends (a poll and a cancel) never settle twice; the one log row of the job
// (type 2 consume, or 5 error; endpoint "videos") goes with the settlement in one ledger step.
import type { Hold } from "../../core/quota";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import { LOG_TYPE, VIDEO_LOGS } from "../../core/status";
import { releaseAll, type VideoCharge, type VideoHold, videoCharge } from "../../core/video/billing";
import type { VideoPrice } from "../../core/video/price";
import type { VideoJobRow } from "../../db/schema";
import type { Runtime } from "../../runtime";
import type { NewLog } from "../../store/logs";

type Who = { token: TokenEntry; user: UserEntry };

/** A hold given back whole before any job existed (a refused submit): its row is the call's own. */
export function releaseVideoHold(rt: Runtime, who: Who, jobId: string, hold: Hold) {
  const s = rt.ctx.accounts.settle(rt.ctx.accounts.view(who.token, who.user), hold, null);
  rt.ctx.ledger.settle({ requestId: jobId, tokenId: who.token.id, userId: who.user.id }, s, hold, null);
}

/** The job's token and user as the serving process holds them (null when either was deleted): the
 * token found by its key's hash, read by id (one row, not a walk over every token in the snapshot). */
async function entriesOf(rt: Runtime, job: VideoJobRow): Promise<Who | null> {
  const snap = rt.ctx.snapshot.current;
  const user = snap.usersById.get(job.userId);
  const hash = user && (await rt.ctx.store.tokens.byId(job.tokenId))?.keyHash;
  const token = hash ? snap.tokensByHash.get(hash) : undefined;
  return user && token ? { token, user } : null;
}

export type JobEnd =
  | { state: "completed"; seconds?: number; resultRef: string; expiresAtMs: number | null }
  | { state: "failed" | "cancelled" | "expired"; code: string; message: string };

/** Ends the job (false: it had ended already). The job's final state, its settlement and its log row
 * are written in one transaction, so a crash never leaves an ended job whose money did not move (its
 * hold would be released at the next start as a stale one, and the job never charged). */
export function endVideoJob(rt: Runtime, job: VideoJobRow, end: JobEnd): Promise<boolean> {
  const now = rt.ctx.clock.nowMs();
  const stored = JSON.parse(job.price) as VideoPrice & { held: VideoHold };
  const charge =
    end.state === "completed"
      ? videoCharge(stored, stored.held, { seconds: end.seconds }, job.multiplierMicros)
      : releaseAll(stored.held);
  return rt.ctx.ledger.atomically(async () => {
    const done = end.state === "completed";
    const moved = await rt.ctx.store.videos.finish(job.id, {
      state: end.state,
      progress: done ? 100 : job.progress,
      reportedSeconds: done ? (end.seconds ?? null) : null,
      chargedUnits: charge.units,
      updatedAt: now,
      completedAt: now,
      resultRef: done ? end.resultRef : "",
      expiresAt: done ? end.expiresAtMs : null,
      errorCode: done ? "" : end.code,
      errorMessage: done ? "" : end.message.slice(0, 500),
    });
    if (moved) await settleJob(rt, job, end, charge, now);
    return moved;
  });
}

/** The job's money: the hold settled at the charge (or released whole), with its one log row. */
async function settleJob(rt: Runtime, job: VideoJobRow, end: JobEnd, charge: VideoCharge, now: number) {
  const who = await entriesOf(rt, job);
  const hold = JSON.parse(job.hold) as Hold;
  if (!who) return; // the account is gone: nothing to give back to
  const seen = rt.ctx.accounts.view(who.token, who.user);
  const s = rt.ctx.accounts.settle(seen, hold, end.state === "completed" ? charge.units : null);
  const row: NewLog = {
    createdAt: job.createdAt,
    type: end.state === "completed" ? LOG_TYPE.consume : LOG_TYPE.error,
    userId: job.userId,
    username: who.user.username,
    tokenId: job.tokenId,
    tokenName: who.token.name,
    model: job.model,
    upstreamModel: job.upstreamModel,
    group: job.group,
    channelId: job.channelId,
    endpoint: VIDEO_LOGS.endpoint,
    isStream: false,
    quota: s.charged,
    durationMs: now - job.createdAt,
    requestId: job.requestId,
    statusCode: end.state === "completed" ? 200 : end.state === "cancelled" ? 499 : 502,
    errorCode: end.state === "completed" ? "" : end.code,
    content: end.state === "completed" ? "" : end.message.slice(0, 500),
    ip: job.ip,
    attempts: job.attempts,
    other: JSON.stringify({
      video: job.id,
      size: job.size,
      seconds_held: job.seconds,
      seconds_reported: end.state === "completed" ? (end.seconds ?? null) : null,
      seconds_billed: charge.seconds,
      capped: charge.capped,
      hold: job.holdUnits,
      refund: job.holdUnits - s.charged,
      cost: s.charged,
    }),
  };
  rt.ctx.ledger.settle({ requestId: job.id, tokenId: job.tokenId, userId: job.userId }, s, hold, row);
}
