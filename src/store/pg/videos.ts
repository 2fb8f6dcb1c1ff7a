// Video jobs on PostgreSQL: the twin of store/videos.ts (the poller's due reads, a client's own jobs,
// each change one UPDATE). A move or an end writes only while the job is live, so an ended job stays
// ended. Ids are ordered by byte (COLLATE "C"), as SQLite orders text, whatever the database's collation.
import { and, asc, count, desc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import { type VideoJobRow, videoJobs } from "../../db/pg/schema";
import type { Stores } from "../stores";
import { type FinalMove, LIVE_STATES, type NewVideoJob, type PollMove, type VideoJobPatch } from "../videos";
import type { PgTx } from "./pg-tx";

const live = () => inArray(videoJobs.state, [...LIVE_STATES]);
const byteId = sql`${videoJobs.id} COLLATE "C"`;
const oldestFirst = [asc(videoJobs.createdAt), sql`${byteId} ASC`];

export const pgVideoStore = (tx: PgTx) => {
  const one = async (where: ReturnType<typeof and>) => (await tx.db().select().from(videoJobs).where(where))[0];
  return {
    async insert(row: NewVideoJob) {
      await tx.db().insert(videoJobs).values(row);
    },
    byId: (id: string) => one(eq(videoJobs.id, id)),
    /** the job if it is `userId`'s, else undefined (another owner's id reads as unknown) */
    ofUser: (id: string, userId: number) => one(and(eq(videoJobs.id, id), eq(videoJobs.userId, userId))),
    /** a page of the user's jobs, newest first (or oldest with `asc`), after the job `after` */
    async list(userId: number, opts: { after?: VideoJobRow; limit: number; order: "asc" | "desc" }) {
      const key = sql`(${videoJobs.createdAt}, ${byteId})`;
      const at = opts.after && sql`(${opts.after.createdAt}::bigint, ${opts.after.id})`;
      const cursor = at && (opts.order === "desc" ? sql`${key} < ${at}` : sql`${key} > ${at}`);
      const by = opts.order === "desc" ? [desc(videoJobs.createdAt), sql`${byteId} DESC`] : oldestFirst;
      return await tx
        .db()
        .select()
        .from(videoJobs)
        .where(and(eq(videoJobs.userId, userId), cursor))
        .orderBy(...by)
        .limit(opts.limit);
    },
    /** the live jobs due at `nowMs`, at most `perChannel` of each channel (its longest due), longest due first */
    async due(nowMs: number, perChannel: number) {
      const nth = sql<number>`row_number() OVER (PARTITION BY ${videoJobs.channelId}
        ORDER BY ${videoJobs.nextPollAt}, ${byteId})`.as("nth");
      const d = tx
        .db()
        .select({ id: videoJobs.id, channelId: videoJobs.channelId, nextPollAtMs: videoJobs.nextPollAt, nth })
        .from(videoJobs)
        .where(and(live(), lte(videoJobs.nextPollAt, nowMs)))
        .as("d");
      return await tx
        .db()
        .select({ id: d.id, channelId: d.channelId, nextPollAtMs: d.nextPollAtMs })
        .from(d)
        .where(lte(d.nth, perChannel))
        .orderBy(asc(d.nextPollAtMs), sql`${d.id} COLLATE "C"`);
    },
    /** live jobs created before `ms` (the timeout sweep), oldest first */
    liveSince: async (ms: number) =>
      await tx
        .db()
        .select()
        .from(videoJobs)
        .where(and(live(), lt(videoJobs.createdAt, ms)))
        .orderBy(...oldestFirst),
    countLive: async () => (await tx.db().select({ n: count() }).from(videoJobs).where(live()))[0]!.n,
    async update(id: string, patch: VideoJobPatch) {
      await tx.db().update(videoJobs).set(patch).where(eq(videoJobs.id, id));
    },
    /** a poll's answer that did not end the job, if the job is still live (one ended meanwhile stays ended) */
    async moveOn(id: string, m: PollMove) {
      await tx
        .db()
        .update(videoJobs)
        .set({ state: m.state, progress: m.progress, polls: m.polls, nextPollAt: m.nextPollAt, updatedAt: m.updatedAt })
        .where(and(eq(videoJobs.id, id), live()));
    },
    /** changes a live job; a job that has ended stays as it ended */
    async advance(id: string, patch: VideoJobPatch) {
      await tx
        .db()
        .update(videoJobs)
        .set(patch)
        .where(and(eq(videoJobs.id, id), live()));
    },
    /** moves a job to its final state only if it is still live (a final state is never left): true when it moved */
    async finish(id: string, f: FinalMove) {
      const moved = await tx
        .db()
        .update(videoJobs)
        .set({
          state: f.state,
          progress: f.progress,
          reportedSeconds: f.reportedSeconds,
          chargedUnits: f.chargedUnits,
          updatedAt: f.updatedAt,
          completedAt: f.completedAt,
          resultRef: f.resultRef,
          expiresAt: f.expiresAt,
          errorCode: f.errorCode,
          errorMessage: f.errorMessage,
        })
        .where(and(eq(videoJobs.id, id), live()))
        .returning({ id: videoJobs.id });
      return moved.length === 1;
    },
    /** jobs with a result that has not expired at `nowMs`, oldest first */
    unexpired: async (userId: number, nowMs: number) =>
      await tx
        .db()
        .select()
        .from(videoJobs)
        .where(and(eq(videoJobs.userId, userId), eq(videoJobs.state, "completed"), gt(videoJobs.expiresAt, nowMs)))
        .orderBy(...oldestFirst),
  } satisfies Stores["videos"];
};
