// What an upstream's error reply means for the channel, decided in one place from (status, body,
// upstream type). Three classes matter to the channel:
// - key_dead: the key is invalid or its account deactivated (a 401, or a 403 / Gemini 400 whose code,
//   type or reason says so): the key leaves rotation; no key left → the channel is disabled (3);
// - unfunded: the account is out of credit (OpenAI 429 insufficient_quota, DeepSeek/OpenRouter 402,
//   Anthropic 400 "credit balance is too low", Gemini/Azure billing errors, Gemini's 429 for a spent
//   per-day or plan quota — not its per-minute rate limit —, DashScope 400 Arrearage and its other
//   billing codes, natively or through its OpenAI-compatible mode): the call fails over,
//   the key cools down and is tried again later; never status 3, never the client's own quota error;
// - client: the call's own problem (any other 4xx, a per-model or content-policy 403 included):
//   passed to the client, never held against the channel.
// And the busy/broken classes: retry (429 rate limit, 500/502/503, 529: next candidate), server
// (another 5xx), redirect (a 3xx: never followed, a failed attempt). Pure.

export type UpstreamFailure = "key_dead" | "unfunded" | "retry" | "server" | "client" | "redirect";

/** `quotas`: the quota ids of Google's QuotaFailure details */
type Signals = { codes: string[]; message: string; quotas: string[] };

/** The machine-readable words of an error body (OpenAI/DeepSeek/Azure error.code and error.type,
 * Anthropic error.type, Google error.status and details[].reason, Azure innererror.code) and its message. */
function signals(bodyText: string): Signals {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return { codes: [], message: bodyText.slice(0, 2000), quotas: [] };
  }
  const root = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, any> | null;
  const err = root && typeof root.error === "object" && root.error !== null ? root.error : root;
  const codes: unknown[] = [err?.code, err?.type, err?.status, err?.innererror?.code, root?.code, root?.type];
  const quotas: unknown[] = [];
  if (Array.isArray(err?.details))
    for (const d of err.details) {
      codes.push(d?.reason);
      if (Array.isArray(d?.violations)) for (const v of d.violations) quotas.push(v?.quotaId);
    }
  const message =
    [err?.message, typeof root?.error === "string" ? root.error : undefined, root?.message].find(
      (m) => typeof m === "string",
    ) ?? "";
  const strings = (xs: unknown[]) => xs.filter((c): c is string => typeof c === "string");
  return { codes: strings(codes).map((c) => c.toLowerCase()), message, quotas: strings(quotas) };
}

/** Google's 429 RESOURCE_EXHAUSTED for a spent quota of the plan (a per-day quota, or "check your plan
 * and billing details" without a per-minute one), as against its per-minute rate limit (the same
 * status, a retry): the account needs funds or a higher tier before that key serves again. */
function geminiQuotaSpent(status: number, s: Signals): boolean {
  if (status !== 429 || s.quotas.some((q) => /PerMinute/i.test(q))) return false;
  return s.quotas.some((q) => /PerDay/i.test(q)) || /check your plan and billing/i.test(s.message);
}

const DEAD_CODES = new Set([
  "invalid_api_key",
  "invalid_x_api_key",
  "authentication_error",
  "account_deactivated",
  "account_disabled",
  "account_suspended",
  "organization_deactivated",
  "api_key_invalid",
  "api_key_expired",
  "consumer_suspended",
  "service_disabled",
  "authenticationtypedisabled",
  "invalidsubscriptionkey",
  "unauthenticated",
]);
/** Said of the key or the whole account, not of a model or a request. */
const DEAD_MESSAGE =
  /\b(invalid|incorrect|expired|revoked)\b.{0,20}\b(api[ _-]?key|x-api-key|subscription key|credentials?)\b|\bapi[ _-]?key\b.{0,30}\b(not valid|invalid|expired|revoked|disabled|suspended)\b|\b(account|organi[sz]ation)\b.{0,40}\b(deactivated|disabled|suspended|banned)\b/i;

const UNFUNDED_CODES = new Set([
  "insufficient_quota",
  "billing_not_active",
  "exceeded_current_quota_error",
  "insufficient_balance",
  "billing_disabled",
  "insufficientquota",
  "outofcredits",
  // DashScope (Alibaba Model Studio): 400 an overdue account, 403 the free quota used up with "free
  // tier only" on, 429 the workspace's plan not bought or its prepaid/postpaid bill overdue
  "arrearage",
  "allocationquota.freetieronly",
  "commoditynotpurchased",
  "prepaidbilloverdue",
  "postpaidbilloverdue",
]);
const UNFUNDED_MESSAGE =
  /credit balance is too low|insufficient (account )?(balance|credits?|funds)|out of (credits?|call volume quota)|billing (is )?(not active|disabled|hard limit)|enable billing|(payment|billing) (is )?required|make sure your account is in good standing|free tier of the model has been exhausted/i;

const RETRY = new Set([429, 500, 502, 503, 529]);

/** The class of one failed upstream reply (status ≥ 300). `type` is the channel's upstream type. */
export function classifyUpstreamError(status: number, bodyText: string, type: string): UpstreamFailure {
  if (status >= 300 && status < 400) return "redirect";
  const s = signals(bodyText);
  const hasCode = (set: Set<string>) => s.codes.some((c) => set.has(c));
  if (status === 401) return "key_dead";
  if (
    status === 402 ||
    ((status === 400 || status === 403 || status === 429) &&
      (hasCode(UNFUNDED_CODES) || UNFUNDED_MESSAGE.test(s.message))) ||
    (type === "gemini" && geminiQuotaSpent(status, s))
  )
    return "unfunded";
  if (status === 403 && (hasCode(DEAD_CODES) || DEAD_MESSAGE.test(s.message))) return "key_dead";
  // Google answers a bad or expired key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
  if (
    status === 400 &&
    type === "gemini" &&
    (s.codes.includes("api_key_invalid") || /API key (not valid|expired)/i.test(s.message))
  )
    return "key_dead";
  if (RETRY.has(status)) return "retry";
  return status >= 500 ? "server" : "client";
}
