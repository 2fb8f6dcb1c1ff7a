// Video jobs: the only code that reads or writes the video_jobs table. The poller finds its work here
// (live jobs whose next poll is due), clients read their own jobs (another owner's id is not found),
// and each change is one UPDATE of the fields it moves.
import { and, asc, desc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../db/open";
import { videoJobs, type VideoJobRow } from "../db/schema";

export type NewVideoJob = typeof videoJobs.$inferInsert;
export type VideoJobPatch = Partial<Omit<VideoJobRow, "id" | "userId" | "tokenId" | "requestId" | "createdAt">>;

/** The states a job is still running in (its hold lives; the poller visits it). */
export const LIVE_STATES = ["submitted", "queued", "in_progress"] as const;

export const videoStore = (db: Db) => ({
  insert: (row: NewVideoJob) => db.insert(videoJobs).values(row).run(),
  byId: (id: string) => db.select().from(videoJobs).where(eq(videoJobs.id, id)).get(),
  /** the job if it is `userId`'s, else undefined (another owner's id reads as unknown) */
  ofUser: (id: string, userId: number) =>
    db
      .select()
      .from(videoJobs)
      .where(and(eq(videoJobs.id, id), eq(videoJobs.userId, userId)))
      .get(),
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
  /** live jobs whose next poll is due at `nowMs`, oldest due first */
  due: (nowMs: number, limit: number) =>
    db
      .select()
      .from(videoJobs)
      .where(and(inArray(videoJobs.state, [...LIVE_STATES]), lte(videoJobs.nextPollAt, nowMs)))
      .orderBy(asc(videoJobs.nextPollAt))
      .limit(limit)
      .all(),
  /** live jobs created before `ms` (the timeout sweep) */
  liveSince: (ms: number) =>
    db
      .select()
      .from(videoJobs)
      .where(and(inArray(videoJobs.state, [...LIVE_STATES]), lt(videoJobs.createdAt, ms)))
      .all(),
  countLive: () =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(videoJobs)
      .where(inArray(videoJobs.state, [...LIVE_STATES]))
      .get()!.n,
  update: (id: string, patch: VideoJobPatch) => db.update(videoJobs).set(patch).where(eq(videoJobs.id, id)).run(),
  /** moves a job only if it is still live (a final state is never left): true when it moved */
  finish: (id: string, patch: VideoJobPatch) =>
    db
      .update(videoJobs)
      .set(patch)
      .where(and(eq(videoJobs.id, id), inArray(videoJobs.state, [...LIVE_STATES])))
      .returning({ id: videoJobs.id })
      .all().length === 1,
  /** jobs with a result that has not expired at `nowMs` */
  unexpired: (userId: number, nowMs: number) =>
    db
      .select()
      .from(videoJobs)
      .where(and(eq(videoJobs.userId, userId), eq(videoJobs.state, "completed"), gt(videoJobs.expiresAt, nowMs)))
      .all(),
});
