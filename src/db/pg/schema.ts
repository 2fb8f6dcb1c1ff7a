// The database schema for PostgreSQL: the mirror of src/db/schema.ts (the reference; same tables, names,
// keys, indexes, defaults and row types, checked by same-rows.ts). Integers are bigint (mode "number").
// `bun run db:generate:pg` turns changes here into a new migration in migrations/pg/.
import { sql } from "drizzle-orm";
import { bigint, boolean, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { CHANNEL_STATUS, LOG_TYPE, REDEMPTION_STATUS, TOKEN_STATUS, USER_ROLE, USER_STATUS } from "../../core/status";
import { RARE_LOG_TYPES } from "../rare-log-types";

const now = sql`(extract(epoch from now())::bigint)`;
const emptyList = sql`'[]'`;

/** Rate limits (LiteLLM's names), on tokens, users and as a group's default; 0 = none. */
const rateLimitColumns = () => ({
  /** requests per minute */
  rpmLimit: bigint("rpm_limit", { mode: "number" }).notNull().default(0),
  /** tokens (prompt + completion) per minute */
  tpmLimit: bigint("tpm_limit", { mode: "number" }).notNull().default(0),
  /** requests per day (a sliding 24 h) */
  rpdLimit: bigint("rpd_limit", { mode: "number" }).notNull().default(0),
  /** calls in flight at once */
  maxParallelRequests: bigint("max_parallel_requests", { mode: "number" }).notNull().default(0),
});

/** Budget periods, on tokens (remain_quota) and users (quota): the balance returns to period_quota at
 * each boundary (core/budget.ts). */
const budgetColumns = () => ({
  /** "" none, daily, weekly, monthly */
  budgetPeriod: text("budget_period").notNull().default(""),
  /** the allowance each budget period starts with, in quota units */
  periodQuota: bigint("period_quota", { mode: "number" }).notNull().default(0),
  /** unix seconds: when the current budget period began (0 without a period) */
  periodStart: bigint("period_start", { mode: "number" }).notNull().default(0),
});

export { isRareLogType, RARE_LOG_TYPES } from "../rare-log-types";

export const users = pgTable("users", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "user"] })
    .notNull()
    .default(USER_ROLE.user),
  /** 1 enabled, 2 disabled */
  status: bigint("status", { mode: "number" }).notNull().default(USER_STATUS.enabled),
  /** balance, in quota units (500,000 = $1) */
  quota: bigint("quota", { mode: "number" }).notNull().default(0),
  usedQuota: bigint("used_quota", { mode: "number" }).notNull().default(0),
  unlimited: boolean("unlimited").notNull().default(false),
  requestCount: bigint("request_count", { mode: "number" }).notNull().default(0),
  /** HMAC of the management-API access token; the token itself is shown once */
  accessTokenHash: text("access_token_hash").unique(),
  ...rateLimitColumns(),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  /** low-balance alert: below this balance (quota units) one alert is sent; 0 = no alert, no banner */
  alertThreshold: bigint("alert_threshold", { mode: "number" }).notNull().default(0),
  /** where the alert goes: "webhook", or "none" (the console banner only) */
  notifyType: text("notify_type").notNull().default("none"),
  /** the user's webhook (public addresses only); "" = none */
  webhookUrl: text("webhook_url").notNull().default(""),
  /** AES-256-GCM sealed secret the webhook's body is signed with; "" = none */
  webhookSecretSealed: text("webhook_secret_sealed").notNull().default(""),
  ...budgetColumns(),
  /** the console language the person chose (en, zh-CN…); "" = not chosen (cookie, browser, default) */
  language: text("language").notNull().default(""),
  /** the currency the person reads and types amounts in (USD, CNY); "" = the display_currency setting */
  currency: text("currency").notNull().default(""),
  /** the person's IANA time zone for dates in the console; "" = their browser's */
  timeZone: text("time_zone").notNull().default(""),
});

export const groups = pgTable("groups", {
  name: text("name").primaryKey(),
  description: text("description").notNull().default(""),
  /** multiplier in millionths: 1,000,000 = 1×, 950,000 = 0.95× (exact, no floats) */
  multiplierMicros: bigint("multiplier_micros", { mode: "number" }).notNull().default(1_000_000),
  selectable: boolean("selectable").notNull().default(true),
  ...rateLimitColumns(),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
});

export const tokens = pgTable(
  "tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** HMAC-SHA256 of the key, for lookup */
    keyHash: text("key_hash").notNull().unique(),
    /** AES-256-GCM sealed key, so that its owner can copy it again */
    keySealed: text("key_sealed").notNull(),
    /** masked form for display, e.g. sk-AbCd…WxYz */
    keyMask: text("key_mask").notNull(),
    /** 1 enabled, 2 disabled; expired (3) and exhausted (4) are derived */
    status: bigint("status", { mode: "number" }).notNull().default(TOKEN_STATUS.enabled),
    remainQuota: bigint("remain_quota", { mode: "number" }).notNull().default(0),
    unlimitedQuota: boolean("unlimited_quota").notNull().default(false),
    usedQuota: bigint("used_quota", { mode: "number" }).notNull().default(0),
    /** unix seconds, -1 = never */
    expiredTime: bigint("expired_time", { mode: "number" }).notNull().default(-1),
    billingMode: text("billing_mode", { enum: ["usage", "per_call", "usage_first", "per_call_first"] })
      .notNull()
      .default("usage_first"),
    group: text("group")
      .notNull()
      .default("default")
      .references(() => groups.name),
    /** JSON arrays */
    fallbackGroups: text("fallback_groups").notNull().default(emptyList),
    models: text("models").notNull().default(emptyList),
    allowIps: text("allow_ips").notNull().default(emptyList),
    requestCount: bigint("request_count", { mode: "number" }).notNull().default(0),
    ...rateLimitColumns(),
    createdTime: bigint("created_time", { mode: "number" }).notNull().default(now),
    accessedTime: bigint("accessed_time", { mode: "number" }).notNull().default(0),
    ...budgetColumns(),
  },
  (t) => [uniqueIndex("tokens_user_name").on(t.userId, t.name)],
);

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  /** JSON value */
  value: text("value").notNull(),
});

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie value */
    idHash: text("id_hash").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const channels = pgTable("channels", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  type: text("type").notNull().default("openai"),
  baseUrl: text("base_url").notNull(),
  /** AES-256-GCM sealed JSON array of upstream keys; never shown again after entry */
  keysSealed: text("keys_sealed").notNull(),
  /** JSON array aligned with the keys: {status: 1 usable | 3 disabled automatically, reason, at} */
  keyStates: text("key_states").notNull().default(emptyList),
  /** JSON: models served, client→upstream model mapping, groups */
  models: text("models").notNull().default(emptyList),
  modelMapping: text("model_mapping").notNull().default(sql`'{}'`),
  groups: text("groups").notNull().default(sql`'["default"]'`),
  priority: bigint("priority", { mode: "number" }).notNull().default(0),
  weight: bigint("weight", { mode: "number" }).notNull().default(1),
  /** 1 enabled, 2 disabled by an admin, 3 disabled automatically */
  status: bigint("status", { mode: "number" }).notNull().default(CHANNEL_STATUS.enabled),
  statusReason: text("status_reason").notNull().default(""),
  timeoutConnectMs: bigint("timeout_connect_ms", { mode: "number" }).notNull().default(10_000),
  timeoutFirstByteMs: bigint("timeout_first_byte_ms", { mode: "number" }).notNull().default(120_000),
  timeoutIdleMs: bigint("timeout_idle_ms", { mode: "number" }).notNull().default(300_000),
  /** openai type: the upstream also speaks /v1/responses natively */
  supportsResponses: boolean("supports_responses").notNull().default(false),
  /** azure type: the api-version query parameter sent with every call */
  apiVersion: text("api_version").notNull().default(""),
  /** most output tokens a call may ask this upstream for (0: no cap); larger asks are lowered */
  maxOutputTokens: bigint("max_output_tokens", { mode: "number" }).notNull().default(0),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  /** JSON: what the server last saw of the channel's health (breaker, last failure's cause), written
   * off the request path so that other processes (the CLI) can show it */
  health: text("health").notNull().default(sql`'{}'`),
  /** bumped by every recovery (new keys, enable, a passing Test): the server resets the breaker on change */
  healthEpoch: bigint("health_epoch", { mode: "number" }).notNull().default(0),
  /** how the upstream's balance is read (core/upstream-balance.ts): auto (by host), none, oneapi, openrouter… */
  balanceSource: text("balance_source").notNull().default("auto"),
  /** below this balance (millionths of the upstream's currency) the channel leaves rotation; 0 = no rule */
  balanceThresholdMicros: bigint("balance_threshold_micros", { mode: "number" }).notNull().default(0),
  /** JSON: the last balance read {micros, currency, at, error, error_at, low} (services/upstream-balance.ts) */
  balance: text("balance").notNull().default(sql`'{}'`),
});

export const logs = pgTable(
  "logs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    /** unix milliseconds */
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    /** 1 top-up, 2 consume, 3 admin, 4 system, 5 error */
    type: bigint("type", { mode: "number" }).notNull(),
    /** no foreign keys: log rows outlive the users and tokens they mention */
    userId: bigint("user_id", { mode: "number" }).notNull(),
    username: text("username").notNull().default(""),
    tokenId: bigint("token_id", { mode: "number" }).notNull().default(0),
    tokenName: text("token_name").notNull().default(""),
    /** the model the client asked for, and the one sent upstream after mapping */
    model: text("model").notNull().default(""),
    upstreamModel: text("upstream_model").notNull().default(""),
    group: text("group").notNull().default(""),
    channelId: bigint("channel_id", { mode: "number" }).notNull().default(0),
    endpoint: text("endpoint").notNull().default(""),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    /** cost (or top-up amount) in quota units */
    quota: bigint("quota", { mode: "number" }).notNull().default(0),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull().default(0),
    ttftMs: bigint("ttft_ms", { mode: "number" }).notNull().default(0),
    isStream: boolean("is_stream").notNull().default(false),
    requestId: text("request_id").notNull().default(""),
    statusCode: bigint("status_code", { mode: "number" }).notNull().default(0),
    errorCode: text("error_code").notNull().default(""),
    ip: text("ip").notNull().default(""),
    content: text("content").notNull().default(""),
    /** JSON array: one {channel_id, status, ms, error?} per upstream attempt */
    attempts: text("attempts").notNull().default(emptyList),
    /** JSON with multipliers, billing type, error details */
    other: text("other").notNull().default(sql`'{}'`),
  },
  // Every index costs every call's INSERT (issue 16: bench/log-indexes.ts). A user's rows newest first
  // (pages, dashboard; a filter no index serves walks it, bounded: store/log-browse.ts), by token name
  // and by model (the API's offset pages count them), everyone's by model, a user's and everyone's by
  // time (time ranges, retention), a request id, and the few rows of the rare types (top-ups,
  // adjustments, system): a partial index, which calls skip.
  (t) => [
    index("logs_user_id").on(t.userId, t.id),
    index("logs_created_at").on(t.createdAt),
    index("logs_request_id").on(t.requestId),
    index("logs_user_token").on(t.userId, t.tokenName, t.id),
    index("logs_user_model").on(t.userId, t.model, t.id),
    index("logs_model").on(t.model, t.id),
    index("logs_user_created").on(t.userId, t.createdAt),
    index("logs_user_rare").on(t.userId, t.type, t.id).where(RARE_LOG_TYPES),
  ],
);

/** Prices per model, exact: USD amounts in micro-USD (per 1M tokens, or per call). Null = not priced. */
export const prices = pgTable("prices", {
  model: text("model").primaryKey(),
  inputMicros: bigint("input_micros", { mode: "number" }),
  outputMicros: bigint("output_micros", { mode: "number" }),
  /** defaults to the input price when null */
  cachedInputMicros: bigint("cached_input_micros", { mode: "number" }),
  perCallMicros: bigint("per_call_micros", { mode: "number" }),
  /** Anthropic-style prompt cache writes; defaults to the input price when null */
  cacheWriteMicros: bigint("cache_write_micros", { mode: "number" }),
  /** most output tokens a hold reserves for (Claude Code asks for 64,000 on every call) */
  holdCapTokens: bigint("hold_cap_tokens", { mode: "number" }).notNull().default(8192),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  /** where the price came from: "catalog" (the binary's price catalog, updated only when an admin
   * applies a catalog diff) or "admin" (set by an admin: never replaced by the catalog) */
  source: text("source").notNull().default("admin"),
  /** a video model's price (JSON, core/video/price.ts): per second (optionally by size) or per video,
   * with the seconds a job that names none is held and billed for; null = not a video model */
  video: text("video"),
});

/** Quota reserved by calls in flight: written with the deduction, released at settle or at the
 * next start after a crash. Amounts in quota units, per account (0 where unlimited). */
export const holds = pgTable("holds", {
  requestId: text("request_id").primaryKey(),
  tokenId: bigint("token_id", { mode: "number" }).notNull(),
  userId: bigint("user_id", { mode: "number" }).notNull(),
  tokenAmount: bigint("token_amount", { mode: "number" }).notNull(),
  userAmount: bigint("user_amount", { mode: "number" }).notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  /** the token's budget period when the hold was taken: released at start only into that same period */
  periodStart: bigint("period_start", { mode: "number" }).notNull().default(0),
  /** the same for the user's budget period */
  userPeriodStart: bigint("user_period_start", { mode: "number" }).notNull().default(0),
});

/** Per-day cost rollups (UTC days), kept when detail log rows are deleted by retention. */
export const usageDaily = pgTable(
  "usage_daily",
  {
    day: text("day").notNull(),
    userId: bigint("user_id", { mode: "number" }).notNull(),
    tokenId: bigint("token_id", { mode: "number" }).notNull(),
    model: text("model").notNull(),
    group: text("group").notNull(),
    /** 2 consume or 5 error, so totals of one type come from the rollups too */
    type: bigint("type", { mode: "number" }).notNull().default(LOG_TYPE.consume),
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    quota: bigint("quota", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.userId, t.tokenId, t.model, t.group, t.type] }),
    index("usage_daily_user_day").on(t.userId, t.day),
  ],
);

/** Rollups for the admin dashboard, one row per hour (span 3600) and per UTC day (span 86400) and
 * dimension value: `dim` "all" (the whole site, key ""), "model", "channel" (key: the channel id),
 * "group" or "user" (key: the user id). A period reads the whole UTC days inside it as day rows and
 * the hours around them as hour rows. Calls (log types 2 and 5) only; written by the ledger with the
 * log rows (store/hourly.ts). */
export const usageHourly = pgTable(
  "usage_hourly",
  {
    dim: text("dim").notNull(),
    /** 3600 (an hour) or 86400 (a UTC day) */
    span: bigint("span", { mode: "number" }).notNull(),
    /** unix seconds of the hour's (or UTC day's) start */
    hour: bigint("hour", { mode: "number" }).notNull(),
    key: text("key").notNull(),
    calls: bigint("calls", { mode: "number" }).notNull().default(0),
    /** the service's failures and the callers' own refusals (core/outcome.ts); the rest were served */
    failed: bigint("failed", { mode: "number" }).notNull().default(0),
    refused: bigint("refused", { mode: "number" }).notNull().default(0),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    quota: bigint("quota", { mode: "number" }).notNull().default(0),
    /** JSON {bucket: count} (core/histogram.ts) of the served calls' duration and time to first token;
     * kept for dims all, model and channel ("{}" for the others) */
    latency: text("latency").notNull().default(sql`'{}'`),
    ttft: text("ttft").notNull().default(sql`'{}'`),
  },
  (t) => [primaryKey({ columns: [t.dim, t.span, t.hour, t.key] })],
);

/** Every alert sent (or being sent): to a user's webhook (user_id) or the admin one (user_id null).
 * Only the destination's host is kept: a URL's path or query may carry a token. */
export const alertSends = pgTable(
  "alert_sends",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text("kind").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id, { onDelete: "cascade" }),
    /** what the alert is about, for the limit (e.g. "channel:3"); "" for a user's own balance */
    subject: text("subject").notNull().default(""),
    /** webhook | bark | gotify */
    destination: text("destination").notNull(),
    host: text("host").notNull(),
    /** sending | delivered | failed | suppressed (the limit held it back: nothing sent) */
    status: text("status").notNull().default("sending"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    lastError: text("last_error").notNull().default(""),
    title: text("title").notNull().default(""),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [
    index("alert_sends_kind_user").on(t.kind, t.userId, t.createdAt),
    index("alert_sends_user").on(t.userId, t.id),
  ],
);

/** Redemption codes (new-api's fields). The code itself is never stored: only its HMAC (to find it when
 * redeemed) and its last 4 characters; the full codes are shown once, when the batch is made. */
export const redemptions = pgTable(
  "redemptions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    /** who made the batch (0: the CLI); no foreign keys, like log rows */
    userId: bigint("user_id", { mode: "number" }).notNull().default(0),
    name: text("name").notNull(),
    /** HMAC-SHA256 of the code, for lookup */
    keyHash: text("key_hash").notNull().unique(),
    /** e.g. …a1b2 */
    keyMask: text("key_mask").notNull(),
    /** 1 enabled, 2 disabled, 3 used */
    status: bigint("status", { mode: "number" }).notNull().default(REDEMPTION_STATUS.enabled),
    /** quota units credited */
    quota: bigint("quota", { mode: "number" }).notNull(),
    createdTime: bigint("created_time", { mode: "number" }).notNull().default(now),
    /** unix seconds, 0 until redeemed */
    redeemedTime: bigint("redeemed_time", { mode: "number" }).notNull().default(0),
    usedUserId: bigint("used_user_id", { mode: "number" }).notNull().default(0),
    /** unix seconds, 0 = never */
    expiredTime: bigint("expired_time", { mode: "number" }).notNull().default(0),
  },
  (t) => [index("redemptions_name").on(t.name), index("redemptions_used_user").on(t.usedUserId)],
);

export type UserRow = typeof users.$inferSelect;
export type AlertSendRow = typeof alertSends.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;
export type GroupRow = typeof groups.$inferSelect;
export type LogRow = typeof logs.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type PriceRow = typeof prices.$inferSelect;
export type RedemptionRow = typeof redemptions.$inferSelect;

// the video jobs' table lives in its own file (src/db/pg/schema-videos.ts); exported from here with the rest
export * from "./schema-videos";
