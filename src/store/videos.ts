// Video jobs: the only code that reads or writes the video_jobs table. The poller finds its work here
// (live jobs whose next poll is due), clients read their own jobs (another owner's id is not found),
// and each change is one UPDATE of the fields it moves.
import { and, asc, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { videoJobs, type VideoJobRow } from "../db/schema";

export type NewVideoJob = typeof videoJobs.$inferInsert;
export type VideoJobPatch = Partial<Omit<VideoJobRow, "id" | "userId" | "tokenId" | "requestId" | "createdAt">>;

/** The states a job is still running in (its hold lives; the poller visits it). */
export const LIVE_STATES = ["submitted", "queued", "in_progress"] as const;
const LIVE_SQL = `state IN (${LIVE_STATES.map((st) => `'${st}'`).join(", ")})`;

/** A job's end: its final state, what it was charged, and its result or its error. */
export type FinalMove = Pick<
  VideoJobRow,
  | "state"
  | "progress"
  | "reportedSeconds"
  | "chargedUnits"
  | "updatedAt"
  | "completedAt"
  | "resultRef"
  | "expiresAt"
  | "errorCode"
  | "errorMessage"
>;

/** What a poll that did not end the job changes. */
export type PollMove = { state: string; progress: number; polls: number; nextPollAt: number; updatedAt: number };

export const videoStore = (db: Db) => {
  // the reads and the move of every poll (and of every client's retrieve), prepared once
  const one = db
    .select()
    .from(videoJobs)
    .where(eq(videoJobs.id, sql.placeholder("id")))
    .prepare();
  const owned = db
    .select()
    .from(videoJobs)
    .where(and(eq(videoJobs.id, sql.placeholder("id")), eq(videoJobs.userId, sql.placeholder("userId"))))
    .prepare();
  const end = db.$client.prepare(
    `UPDATE video_jobs SET state = ?, progress = ?, reported_seconds = ?, charged_units = ?, updated_at = ?,
       completed_at = ?, result_ref = ?, expires_at = ?, error_code = ?, error_message = ? WHERE id = ? AND ${LIVE_SQL}`,
  );
  const move = db.$client.prepare(
    `UPDATE video_jobs SET state = ?, progress = ?, polls = ?, next_poll_at = ?, updated_at = ? WHERE id = ? AND ${LIVE_SQL}`,
  );
  return {
    insert(row: NewVideoJob): void {
      db.insert(videoJobs).values(row).run();
    },
    byId: (id: string): VideoJobRow | undefined => one.get({ id }),
    /** the job if it is `userId`'s, else undefined (another owner's id reads as unknown) */
    ofUser: (id: string, userId: number): VideoJobRow | undefined => owned.get({ id, userId }),
    /** a page of the user's jobs, newest first (or oldest with `asc`), after the job `after` */
    list(userId: number, opts: { after?: VideoJobRow; limit: number; order: "asc" | "desc" }) {
      const cursor = opts.after
        ? opts.order === "desc"
          ? sql`(${videoJobs.createdAt}, ${videoJobs.id}) < (${opts.after.createdAt}, ${opts.after.id})`
          : sql`(${videoJobs.createdAt}, ${videoJobs.id}) > (${opts.after.createdAt}, ${opts.after.id})`
        : undefined;
      const by =
        opts.order === "desc"
          ? [desc(videoJobs.createdAt), desc(videoJobs.id)]
          : [asc(videoJobs.createdAt), asc(videoJobs.id)];
      return db
        .select()
        .from(videoJobs)
        .where(and(eq(videoJobs.userId, userId), cursor))
        .orderBy(...by)
        .limit(opts.limit)
        .all();
    },
    /** the live jobs whose next poll is due at `nowMs`, at most `perChannel` of each channel (its longest
     * due), longest due first: a channel with thousands due cannot crowd the others out of one read */
    due: (nowMs: number, perChannel: number) =>
      db.$client
        .query(
          `SELECT id, channel_id AS channelId, next_poll_at AS nextPollAtMs FROM (SELECT id, channel_id, next_poll_at,
           row_number() OVER (PARTITION BY channel_id ORDER BY next_poll_at, id) AS nth
           FROM video_jobs WHERE ${LIVE_SQL} AND next_poll_at <= ?) WHERE nth <= ? ORDER BY next_poll_at, id`,
        )
        .all(nowMs, perChannel) as { id: string; channelId: number; nextPollAtMs: number }[],
    /** live jobs created before `ms` (the timeout sweep), oldest first */
    liveSince: (ms: number) =>
      db
        .select()
        .from(videoJobs)
        .where(and(inArray(videoJobs.state, [...LIVE_STATES]), lt(videoJobs.createdAt, ms)))
        .orderBy(asc(videoJobs.createdAt), asc(videoJobs.id))
        .all(),
    countLive: () =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(videoJobs)
        .where(inArray(videoJobs.state, [...LIVE_STATES]))
        .get()!.n,
    update(id: string, patch: VideoJobPatch): void {
      db.update(videoJobs).set(patch).where(eq(videoJobs.id, id)).run();
    },
    /** a poll's answer that did not end the job, if the job is still live (one ended meanwhile stays ended) */
    moveOn(id: string, m: PollMove): void {
      move.run(m.state, m.progress, m.polls, m.nextPollAt, m.updatedAt, id);
    },
    /** changes a live job; a job that has ended stays as it ended */
    advance(id: string, patch: VideoJobPatch): void {
      db.update(videoJobs)
        .set(patch)
        .where(and(eq(videoJobs.id, id), inArray(videoJobs.state, [...LIVE_STATES])))
        .run();
    },
    /** moves a job to its final state only if it is still live (a final state is never left): true when it moved */
    finish: (id: string, f: FinalMove) =>
      end.run(
        f.state,
        f.progress,
        f.reportedSeconds,
        f.chargedUnits,
        f.updatedAt,
        f.completedAt,
        f.resultRef,
        f.expiresAt,
        f.errorCode,
        f.errorMessage,
        id,
      ).changes === 1,
    /** jobs with a result that has not expired at `nowMs`, oldest first */
    unexpired: (userId: number, nowMs: number) =>
      db
        .select()
        .from(videoJobs)
        .where(and(eq(videoJobs.userId, userId), eq(videoJobs.state, "completed"), gt(videoJobs.expiresAt, nowMs)))
        .orderBy(asc(videoJobs.createdAt), asc(videoJobs.id))
        .all(),
  };
};
