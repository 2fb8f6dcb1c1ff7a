// What the console's views render, as plain shapes: the routes in src/console fetch from the services
// and hand these in (views import nothing from src/services, src/store or src/db). Only the fields a
// view reads are named; times are unix seconds unless a name says ms.
import type { CallSums } from "../../src/core/outcome";

/** A token as its row and an admin's list of a user's tokens show it: the key masked. */
export type TokenView = {
  id: number;
  name: string;
  key: string;
  /** 1 enabled, 2 disabled, 3 expired, 4 exhausted */
  status: number;
  group: string;
  fallback_groups: string[];
  remain_quota: number;
  unlimited_quota: boolean;
  used_quota: number;
  expired_time: number; // -1: never
  billing_mode: "usage" | "per_call" | "usage_first" | "per_call_first"; // a closed set: printed as it is
  models: string[];
  created_time: number;
  accessed_time: number; // 0: never used
} & BudgetFields;

/** A token's or a user's budget period. */
export type BudgetFields = {
  /** "" none, daily, weekly, monthly */
  budget_period: string;
  /** the allowance each budget period starts with */
  period_quota: number;
  /** seconds until the budget comes back (null without a period) */
  period_resets_in: number | null;
  /** when it comes back (unix s; null without a period) */
  period_resets_at: number | null;
};

export type UserView = {
  id: number;
  username: string;
  role: "admin" | "user";
  status: number; // 1 enabled, 2 disabled
  quota: number;
  used_quota: number;
  unlimited: boolean;
  request_count: number;
  created_at: number;
} & RateLimits &
  BudgetFields;

/** Rate limits as the services show them (0 = not set). */
export type RateLimits = { rpm_limit: number; tpm_limit: number; rpd_limit: number; max_parallel_requests: number };

export type GroupView = {
  name: string;
  description: string;
  multiplier_text: string;
  selectable: boolean;
} & RateLimits;

/** USD per 1M tokens (per call for per_call) as decimal text; null: not priced that way. */
export type PriceView = {
  model: string;
  input: string | null;
  output: string | null;
  cached_input: string | null;
  cache_write: string | null;
  per_call: string | null;
  hold_cap_tokens: number;
  /** "catalog": from the binary's price catalog; "admin": set by an admin */
  source: string;
  /** the groups whose enabled channels serve the model */
  groups: string[];
  /** a video model's price (per second, by size, or per video), decimal USD text */
  video?: { per_second: string | null; per_video: string | null; sizes: Record<string, string> } | null;
};

/** A channel: never a key, only how many and each one's state (1 usable, 2 out of credit until `until`, 3 rejected). */
export type ChannelView = {
  id: number;
  name: string;
  type: string;
  base_url: string;
  key_count: number;
  key_states: { status: number; reason: string; until?: number }[];
  models: string[];
  model_mapping: Record<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  /** 1 enabled, 2 disabled, 3 disabled automatically (`status_reason` says why) */
  status: number;
  status_reason: string;
  timeout_connect_ms: number;
  timeout_first_byte_ms: number;
  timeout_idle_ms: number;
  supports_responses: boolean;
  api_version: string;
  max_output_tokens: number;
  balance_source: string;
  /** in the upstream's currency; 0 = no rule */
  balance_threshold: number;
  unpriced_models: string[];
  /** enabled, breaker_open, balance_low, auto_disabled, admin_disabled; `state_detail` explains it */
  state: string;
  state_detail: string;
  health: {
    breaker: string;
    recent_failures: number;
    /** unix ms; 0 when closed */
    open_until: number;
    last_error: string;
    last_error_at: number;
    last_ok_at: number;
    last_probe_at: number;
    last_probe_ok: boolean | null;
    last_probe_error: string;
    latency_p50_ms: number | null;
    latency_samples: number;
  };
  /** the upstream balance: `api` null = none; amount null = never read */
  balance: {
    api: string | null;
    amount: number | null;
    currency: string;
    at: number;
    error: string;
    error_at: number;
    low: boolean;
  };
};

/** One upstream tried for a call, in order. */
export type Attempt = { channel_id: number; status: number; ms: number; error?: string; cause?: string };

/** A log row as /admin/logs shows it (the management API's names). */
export type LogView = {
  created_at_ms: number;
  type: number;
  username: string;
  token_name: string;
  model_name: string;
  upstream_model: string;
  group: string;
  is_stream: boolean;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  quota: number;
  duration_ms: number;
  ttft_ms: number;
  status_code: number;
  error_code: string;
  content: string;
  request_id: string;
  attempts: Attempt[];
};

/** A log row as the user's own /log shows it (times in ms). */
export type LogLine = {
  id: number;
  createdAt: number;
  /** 1 top-up, 2 consume, 3 admin, 4 system, 5 error */
  type: number;
  tokenName: string;
  model: string;
  group: string;
  isStream: boolean;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  quota: number;
  durationMs: number;
  ttftMs: number;
  requestId: string;
  statusCode: number;
  errorCode: string;
  content: string;
  /** JSON with the billing details (cache writes among them) */
  other: string;
  /** a video job's id while its video can still be watched (the row links to /videos) */
  watch?: string;
};

/** The /log filter as the URL carries it (invalid values already dropped). */
export type LogParams = Record<
  "from" | "to" | "start_timestamp" | "end_timestamp" | "token_name" | "model_name" | "group" | "type" | "request_id",
  string
>;

/** A filter value /log left out: the field, and why (the page says it in the reader's words). */
export type LogProblem = { key: keyof LogParams; why: "day" | "unix" | "type" };

export type LogTotals = {
  /** what the rows are: calls (consume and error rows), or one other type */
  type: "calls" | number;
  source: "daily" | "rows";
  count: number;
  prompt: number;
  cached: number;
  completion: number;
  quota: number;
};

/** The /dashboard figures: spend in quota units, days as "YYYY-MM-DD" (UTC). */
export type DashboardView = {
  balance: { unlimited: boolean; quota: number } & BudgetFields;
  spend: { today: number; week: number; month: number };
  calls: number;
  sample: {
    calls: number;
    partial: boolean;
    successRate: number | null;
    refused: number;
    medianMs: number | null;
    medianTtftMs: number | null;
  };
  perDay: { day: string; quota: number; calls: number }[];
  perModel: { model: string; calls: number; quota: number }[];
};

/** A percentile read from a histogram: the bucket's range [lo, hi) in ms and its middle `ms`. */
export type PercentileView = { lo: number; hi: number; ms: number } | null;
export type LatencyView = { p50: PercentileView; p95: PercentileView; samples: number };
export type RankingView = {
  top: (CallSums & { key: string; name: string; p50_ms?: number | null })[];
  /** the values below the top, summed */
  rest: (CallSums & { values: number }) | null;
  values: number;
};

export type AdminDashboardView = {
  period: { name: string; from: string; to: string; timezone: string; unit: "day" | "hour" };
  totals: CallSums;
  latency: LatencyView;
  ttft: LatencyView;
  series: { key: string; label: string; quota: number; calls: number }[];
  by_model: RankingView;
  by_channel: RankingView;
  by_group: RankingView;
  by_user: RankingView;
};

/** A redemption code as the admin list shows it: the key is the mask (…a1b2). */
export type RedemptionView = {
  id: number;
  name: string;
  key: string;
  /** 1 enabled, 2 disabled, 3 used */
  status: number;
  quota: number;
  created_time: number;
  redeemed_time: number;
  used_user_id: number;
  used_username: string;
  expired_time: number; // 0: never
};
