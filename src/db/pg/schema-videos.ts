// The video jobs' table for PostgreSQL: the mirror of src/db/schema-videos.ts (the reference; read its
// comments), re-exported by src/db/pg/schema.ts. Integers are bigint (mode "number"), as in schema.ts.
import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";

/** Asynchronous video jobs (relay/video): one row per job; see src/db/schema-videos.ts. */
export const videoJobs = pgTable(
  "video_jobs",
  {
    /** apiyi's own id: "video_" + 32 lowercase letters and digits (unguessable) */
    id: text("id").primaryKey(),
    userId: bigint("user_id", { mode: "number" }).notNull(),
    tokenId: bigint("token_id", { mode: "number" }).notNull(),
    /** the call that submitted it (its log row is written when the job ends, with this id) */
    requestId: text("request_id").notNull(),
    /** the inbound shape the client used: "openai" or "gemini" */
    inbound: text("inbound").notNull(),
    model: text("model").notNull(),
    upstreamModel: text("upstream_model").notNull(),
    /** the group that served it (its multiplier is in the price at submit) */
    group: text("group").notNull(),
    channelId: bigint("channel_id", { mode: "number" }).notNull(),
    /** which of the channel's upstream keys submitted it: polls and downloads use the same one */
    keyIndex: bigint("key_index", { mode: "number" }).notNull(),
    /** the upstream's id for the job (a task id, an operation name) */
    upstreamId: text("upstream_id").notNull().default(""),
    /** submitted, queued, in_progress, completed, failed, expired, cancelled (core/video/job-state.ts) */
    state: text("state").notNull(),
    progress: bigint("progress", { mode: "number" }).notNull().default(0),
    prompt: text("prompt").notNull().default(""),
    size: text("size").notNull().default(""),
    /** seconds asked (or the model's default): what the hold covers */
    seconds: bigint("seconds", { mode: "number" }).notNull(),
    /** the price at submit (JSON) and the serving group's multiplier, in millionths */
    price: text("price").notNull(),
    multiplierMicros: bigint("multiplier_micros", { mode: "number" }).notNull(),
    holdUnits: bigint("hold_units", { mode: "number" }).notNull(),
    /** the Hold (core/quota.ts) as taken, JSON: settled against it when the job ends */
    hold: text("hold").notNull(),
    /** seconds the upstream reported making, and what was charged at the end */
    reportedSeconds: bigint("reported_seconds", { mode: "number" }),
    chargedUnits: bigint("charged_units", { mode: "number" }),
    /** where the result is (an upstream URL without a key, or a file name), and until when */
    resultRef: text("result_ref").notNull().default(""),
    expiresAt: bigint("expires_at", { mode: "number" }),
    errorCode: text("error_code").notNull().default(""),
    errorMessage: text("error_message").notNull().default(""),
    polls: bigint("polls", { mode: "number" }).notNull().default(0),
    /** the submitting call's client address and upstream attempts, for the job's log row */
    ip: text("ip").notNull().default(""),
    attempts: text("attempts").notNull().default("[]"),
    /** ms since the epoch (the process clock) */
    nextPollAt: bigint("next_poll_at", { mode: "number" }).notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    completedAt: bigint("completed_at", { mode: "number" }),
  },
  (t) => [index("video_jobs_user").on(t.userId, t.createdAt), index("video_jobs_live").on(t.state, t.nextPollAt)],
);

export type VideoJobRow = typeof videoJobs.$inferSelect;
