// The video jobs' table (relay/video), apart from src/db/schema.ts to keep that file to its size;
// schema.ts re-exports it, so drizzle-kit and every import see one schema.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Asynchronous video jobs (relay/video): one row per job, the poller's queue and the record of who
 * asked, where it runs, what it holds and what it cost. Never an upstream key: the channel and the key's
 * index are looked up again at each poll. Its hold is the holds row whose request_id is the job's id. */
export const videoJobs = sqliteTable(
  "video_jobs",
  {
    /** apiyi's own id: "video_" + 32 lowercase letters and digits (unguessable) */
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull(),
    tokenId: integer("token_id").notNull(),
    /** the call that submitted it (its log row is written when the job ends, with this id) */
    requestId: text("request_id").notNull(),
    /** the inbound shape the client used: "openai" or "gemini" */
    inbound: text("inbound").notNull(),
    model: text("model").notNull(),
    upstreamModel: text("upstream_model").notNull(),
    /** the group that served it (its multiplier is in the price at submit) */
    group: text("group").notNull(),
    channelId: integer("channel_id").notNull(),
    /** which of the channel's upstream keys submitted it: polls and downloads use the same one */
    keyIndex: integer("key_index").notNull(),
    /** the upstream's id for the job (a task id, an operation name) */
    upstreamId: text("upstream_id").notNull().default(""),
    /** submitted, queued, in_progress, completed, failed, expired, cancelled (core/video/job-state.ts) */
    state: text("state").notNull(),
    progress: integer("progress").notNull().default(0),
    prompt: text("prompt").notNull().default(""),
    size: text("size").notNull().default(""),
    /** seconds asked (or the model's default): what the hold covers */
    seconds: integer("seconds").notNull(),
    /** the price at submit (JSON) and the serving group's multiplier, in millionths */
    price: text("price").notNull(),
    multiplierMicros: integer("multiplier_micros").notNull(),
    holdUnits: integer("hold_units").notNull(),
    /** the Hold (core/quota.ts) as taken, JSON: settled against it when the job ends */
    hold: text("hold").notNull(),
    /** seconds the upstream reported making, and what was charged at the end */
    reportedSeconds: integer("reported_seconds"),
    chargedUnits: integer("charged_units"),
    /** where the result is (an upstream URL without a key, or a file name), and until when */
    resultRef: text("result_ref").notNull().default(""),
    expiresAt: integer("expires_at"),
    errorCode: text("error_code").notNull().default(""),
    errorMessage: text("error_message").notNull().default(""),
    polls: integer("polls").notNull().default(0),
    /** the submitting call's client address and upstream attempts, for the job's log row */
    ip: text("ip").notNull().default(""),
    attempts: text("attempts").notNull().default("[]"),
    /** ms since the epoch (the process clock) */
    nextPollAt: integer("next_poll_at").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("video_jobs_user").on(t.userId, t.createdAt), index("video_jobs_live").on(t.state, t.nextPollAt)],
);

export type VideoJobRow = typeof videoJobs.$inferSelect;
