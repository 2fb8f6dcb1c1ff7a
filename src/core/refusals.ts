// Every refusal a /v1 call can meet, as AppErrors with OpenAI's type and code, in the order the
// checks run. Pure constructors: the relay renders them (relay/entry/errors.ts).
import { AppError, internalError, keyed, type Says } from "../errors";
import { unitsToUsd } from "./money";
import type { Exceeded, LimitName } from "./rate-limit";

const LIMIT_WORDS: Record<LimitName, string> = {
  rpm: "requests per minute",
  tpm: "tokens per minute",
  rpd: "requests per day",
  parallel: "calls at once",
};

/** The truth about a balance that cannot cover a call: what is left, and what the call needs. */
function quotaMessage(what: "token" | "user", short?: { left: number; needs: number; covers: string }) {
  if (!short)
    return what === "token"
      ? "this API key's quota is used up; raise it in the console"
      : "your balance is used up; top up to continue";
  const usd = (units: number) => `$${unitsToUsd(units)}`;
  const left =
    what === "token"
      ? short.left > 0
        ? `this API key has ${usd(short.left)} of quota left`
        : "this API key's quota is used up ($0 left)"
      : short.left > 0
        ? `your balance is ${usd(short.left)}`
        : "your balance is used up ($0 left)";
  const fix = what === "token" ? "raise the key's quota in the console" : "top up to continue";
  return `${left}, and this call needs at least ${usd(short.needs)} (${short.covers}); ${fix}`;
}

const err = (status: number, type: string, code: string, message: Says, param: string | null = null, headers = {}) =>
  new AppError(status, code, message, param, type, headers);

export const refusals = {
  invalidKey: () =>
    err(
      401,
      "authentication_error",
      "invalid_api_key",
      "invalid API key: send a key from the console as Authorization: Bearer sk-… (or in x-api-key / x-goog-api-key)",
    ),
  tokenDisabled: () =>
    err(401, "authentication_error", "token_disabled", "this API key is disabled; enable it in the console"),
  tokenExpired: () =>
    err(401, "authentication_error", "token_expired", "this API key has expired; extend it in the console"),
  userDisabled: () => err(403, "permission_error", "user_disabled", "the account that owns this API key is disabled"),
  ipNotAllowed: (ip: string) =>
    err(403, "permission_error", "ip_not_allowed", `requests from ${ip} are not allowed for this API key`),
  tooLarge: (limit: number) =>
    err(413, "invalid_request_error", "request_too_large", keyed("error.body.tooLarge", { limit })),
  /** the body did not arrive in time (slowloris, or a Content-Length larger than what was sent) */
  bodyTimeout: (ms: number) =>
    err(408, "invalid_request_error", "request_timeout", keyed("error.body.timeout", { seconds: ms / 1000 }), null, {
      connection: "close", // the rest of the body may never come: do not keep the connection for it
    }),
  /** the client closed its side before the body it announced was complete */
  bodyIncomplete: () => err(400, "invalid_request_error", "invalid_request", keyed("error.body.incomplete")),
  unsupportedMediaType: (got: string | null, expected: string) =>
    err(
      415,
      "invalid_request_error",
      "unsupported_media_type",
      got
        ? keyed("error.body.mediaType", { expected, got: got.slice(0, 100) })
        : keyed("error.body.noMediaType", { expected }),
    ),
  badBody: (message: string, param: string | null = null) =>
    err(400, "invalid_request_error", "invalid_request", message, param),
  modelNotAllowed: (model: string) =>
    err(403, "permission_error", "model_not_allowed", `this API key may not use the model "${model}"`, "model"),
  modelNotFound: (model: string) =>
    err(
      404,
      "invalid_request_error",
      "model_not_found",
      `the model "${model}" does not exist or no group of this API key serves it`,
      "model",
    ),
  endpointNotServed: (model: string, what: string) =>
    err(
      400,
      "invalid_request_error",
      "endpoint_not_supported",
      `no channel that serves the model "${model}" can answer ${what} requests`,
      "model",
    ),
  perCallPriceNotSet: (model: string, what: string) =>
    err(
      403,
      "permission_error",
      "model_price_not_set",
      `${what} calls are billed per call, and the model "${model}" has no per-call price; ask an admin to set one`,
      "model",
    ),
  priceNotSet: (model: string) =>
    err(
      403,
      "permission_error",
      "model_price_not_set",
      `the model "${model}" has no price on this server, so it cannot be billed; ask an admin to set one`,
      "model",
    ),
  billingModeUnsupported: (model: string, mode: string) =>
    err(
      403,
      "permission_error",
      "billing_mode_unsupported",
      `this API key's billing mode "${mode}" cannot bill the model "${model}": ${mode === "usage" ? "it has no token prices" : "it has no per-call price"}; change the key's billing mode`,
      "model",
    ),
  /** `short`: what is left and what the call needs at least (quota units), and what those cover */
  insufficientQuota: (what: "token" | "user", short?: { left: number; needs: number; covers: string }) =>
    err(429, "insufficient_quota", "insufficient_quota", quotaMessage(what, short), null, {
      "x-should-retry": "false",
    }),
  /** Over one of apiyi's own rate limits (core/rate-limit.ts): which, whose, and when it frees up. */
  rateLimitExceeded: (e: Exceeded, tokens: number) => {
    const whose = e.scope === "token" ? "this API key's" : "your account's";
    const limit = `${whose} limit of ${e.value} ${LIMIT_WORDS[e.limit]}`;
    if (e.retryAfterMs === Infinity)
      return err(
        429,
        "rate_limit_error",
        "rate_limit_exceeded",
        `this call may use up to ${tokens} tokens (its prompt and its output limit), more than ${limit}: lower max_tokens or shorten the prompt`,
        null,
        { "x-should-retry": "false" },
      );
    const secs = Math.max(1, Math.ceil(e.retryAfterMs / 1000));
    const when = e.limit === "parallel" ? "retry when one of them ends" : `the next call fits in ${secs} s`;
    return err(429, "rate_limit_error", "rate_limit_exceeded", `${limit} is reached; ${when}`, null, {
      "retry-after": String(secs),
    });
  },
  rateLimited: (retryAfter: string | null) =>
    err(
      429,
      "rate_limit_error",
      "rate_limit_exceeded",
      "the upstream is rate limiting; retry shortly",
      null,
      retryAfter ? { "retry-after": retryAfter } : {},
    ),
  noChannel: () =>
    err(
      503,
      "server_error",
      "no_available_channel",
      "no upstream channel is available for this model right now; retry shortly",
    ),
  /** every channel for the model has only keys the upstream rejected: retrying will not help (502, not
   * 503, which Anthropic clients read as 529 "overloaded" and retry) */
  upstreamKeyRejected: () =>
    err(
      502,
      "server_error",
      "upstream_key_invalid",
      "the upstream rejected this server's credentials for this model; an administrator must renew them, so retrying will not help",
      null,
      { "x-should-retry": "false" },
    ),
  /** every channel for the model is out of credit upstream (not the caller's own quota) */
  upstreamUnfunded: () =>
    err(
      502,
      "server_error",
      "upstream_unfunded",
      "the upstream account that serves this model is out of credit; an administrator must top it up (your own balance is not affected)",
      null,
      { "x-should-retry": "false" },
    ),
  upstream: () => err(502, "server_error", "upstream_error", "the upstream failed to answer; retry shortly"),
  /** every upstream tried was busy (503, Anthropic's 529): Anthropic clients see 529 overloaded_error */
  overloaded: () => err(503, "server_error", "upstream_overloaded", "the upstream is overloaded; retry shortly"),
  shuttingDown: () =>
    err(503, "server_error", "server_shutting_down", "the server is shutting down; retry shortly", null, {
      "retry-after": "1",
    }),
  /** PostgreSQL cannot be reached (several instances): a call that needs it waits for nothing */
  databaseUnavailable: () =>
    err(503, "server_error", "database_unavailable", "the database cannot be reached; retry shortly", null, {
      "retry-after": "2",
    }),
  /** nginx's 499: the client closed the connection before an answer; nobody reads this body */
  clientGone: () => err(499, "invalid_request_error", "client_disconnected", "the client closed the connection"),
  internal: internalError,
  notFound: (path: string) => err(404, "invalid_request_error", "not_found", `no endpoint ${path}`),
  methodNotAllowed: (method: string, path: string) =>
    err(405, "invalid_request_error", "method_not_allowed", `${method} is not supported on ${path}`),
};
