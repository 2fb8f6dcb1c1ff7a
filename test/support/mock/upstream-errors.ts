// Test support: real upstream error replies (status and body, as OpenAI, Anthropic, Gemini, Azure,
// DeepSeek and OpenRouter send them), each with the class core/upstream-errors.ts must give it. The
// table test of the classifier reads them, and the mock upstream answers with one of them in mode
// "error" (spec `error,preset=NAME`).
import type { UpstreamFailure } from "../../../src/core/upstream-errors";
import { json } from "./core";

export type UpstreamErrorCase = {
  type: string;
  status: number;
  body: unknown;
  expected: UpstreamFailure;
  headers?: Record<string, string>;
};

const openai = (message: string, type: string | null, code: string | null, param: string | null = null) => ({
  error: { message, type, param, code },
});
const anthropic = (type: string, message: string) => ({ type: "error", error: { type, message } });
const google = (code: number, status: string, message: string, reason?: string) => ({
  error: {
    code,
    message,
    status,
    ...(reason
      ? { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }] }
      : {}),
  },
});

/** Google's 429 for a quota, with its QuotaFailure detail naming the quota. */
const googleQuota = (quotaId: string) => ({
  error: {
    code: 429,
    message:
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    status: "RESOURCE_EXHAUSTED",
    details: [{ "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaId }] }],
  },
});

export const UPSTREAM_ERRORS: Record<string, UpstreamErrorCase> = {
  // OpenAI
  openai_invalid_key: {
    type: "openai",
    status: 401,
    expected: "key_dead",
    body: openai(
      "Incorrect API key provided: sk-proj-********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.",
      "invalid_request_error",
      "invalid_api_key",
    ),
  },
  openai_deactivated: {
    type: "openai",
    status: 403,
    expected: "key_dead",
    body: openai(
      "Your organization has been deactivated, please contact us through our help center at help.openai.com.",
      "invalid_request_error",
      "account_deactivated",
    ),
  },
  openai_model_403: {
    type: "openai",
    status: 403,
    expected: "client",
    body: openai(
      "Project `proj_8Xk2qZ` does not have access to model `gpt-4o`",
      "invalid_request_error",
      "model_not_found",
    ),
  },
  openai_country_403: {
    type: "openai",
    status: 403,
    expected: "client",
    body: openai(
      "Country, region, or territory not supported",
      "request_forbidden",
      "unsupported_country_region_territory",
    ),
  },
  openai_content_policy_403: {
    type: "openai",
    status: 403,
    expected: "client",
    body: openai(
      "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
      "invalid_request_error",
      "content_policy_violation",
    ),
  },
  openai_insufficient_quota: {
    type: "openai",
    status: 429,
    expected: "unfunded",
    body: openai(
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      "insufficient_quota",
      "insufficient_quota",
    ),
  },
  openai_billing_not_active: {
    type: "openai",
    status: 429,
    expected: "unfunded",
    body: openai(
      "Your account is not active, please check your billing details on our website.",
      "billing_not_active",
      "billing_not_active",
    ),
  },
  openai_rate_limit: {
    type: "openai",
    status: 429,
    expected: "retry",
    body: openai(
      "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29500, Requested 1200. Please try again in 1.4s.",
      "tokens",
      "rate_limit_exceeded",
    ),
  },
  openai_bad_request: {
    type: "openai",
    status: 400,
    expected: "client",
    body: openai(
      "Invalid value for 'temperature': expected a number between 0 and 2.",
      "invalid_request_error",
      "invalid_value",
      "temperature",
    ),
  },
  openai_server_error: {
    type: "openai",
    status: 500,
    expected: "retry",
    body: openai("The server had an error while processing your request. Sorry about that!", "server_error", null),
  },
  openai_overloaded: {
    type: "openai",
    status: 503,
    expected: "retry",
    body: openai("The engine is currently overloaded, please try again later.", "server_error", null),
  },
  // Anthropic
  anthropic_invalid_key: {
    type: "anthropic",
    status: 401,
    expected: "key_dead",
    body: anthropic("authentication_error", "invalid x-api-key"),
  },
  anthropic_org_disabled: {
    type: "anthropic",
    status: 403,
    expected: "key_dead",
    body: anthropic("permission_error", "This organization has been disabled."),
  },
  anthropic_permission_403: {
    type: "anthropic",
    status: 403,
    expected: "client",
    body: anthropic("permission_error", "Your API key does not have permission to use the specified resource."),
  },
  anthropic_credit: {
    type: "anthropic",
    status: 400,
    expected: "unfunded",
    body: anthropic(
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
    ),
  },
  anthropic_bad_request: {
    type: "anthropic",
    status: 400,
    expected: "client",
    body: anthropic(
      "invalid_request_error",
      "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5",
    ),
  },
  anthropic_rate_limit: {
    type: "anthropic",
    status: 429,
    expected: "retry",
    body: anthropic("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
  },
  anthropic_overloaded: {
    type: "anthropic",
    status: 529,
    expected: "retry",
    body: anthropic("overloaded_error", "Overloaded"),
  },
  anthropic_too_large: {
    type: "anthropic",
    status: 413,
    expected: "client",
    body: anthropic("request_too_large", "Request exceeds the maximum allowed number of bytes."),
  },
  // Gemini
  gemini_invalid_key: {
    type: "gemini",
    status: 400,
    expected: "key_dead",
    body: google(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID"),
  },
  gemini_expired_key: {
    type: "gemini",
    status: 400,
    expected: "key_dead",
    body: google(400, "INVALID_ARGUMENT", "API key expired. Please renew the API key.", "API_KEY_INVALID"),
  },
  gemini_suspended: {
    type: "gemini",
    status: 403,
    expected: "key_dead",
    body: google(
      403,
      "PERMISSION_DENIED",
      "Permission denied: Consumer 'api_key:AIzaSyXXXX' has been suspended.",
      "CONSUMER_SUSPENDED",
    ),
  },
  gemini_service_disabled: {
    type: "gemini",
    status: 403,
    expected: "key_dead",
    body: google(
      403,
      "PERMISSION_DENIED",
      "Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789 then retry.",
      "SERVICE_DISABLED",
    ),
  },
  gemini_model_403: {
    type: "gemini",
    status: 403,
    expected: "client",
    body: google(
      403,
      "PERMISSION_DENIED",
      "You do not have permission to access tuned model tunedModels/my-model-abc.",
    ),
  },
  gemini_billing: {
    type: "gemini",
    status: 400,
    expected: "unfunded",
    body: google(
      400,
      "FAILED_PRECONDITION",
      "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
    ),
  },
  gemini_bad_request: {
    type: "gemini",
    status: 400,
    expected: "client",
    body: google(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified"),
  },
  gemini_rate_limit: {
    type: "gemini",
    status: 429,
    expected: "retry",
    body: google(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
  },
  // the same 429 and words for a spent per-day quota (unfunded) and a per-minute limit (retry)
  gemini_quota_per_day: {
    type: "gemini",
    status: 429,
    expected: "unfunded",
    body: googleQuota("PredictLongRunningRequestsPerDayPerProjectPerModel"),
  },
  gemini_quota_per_minute: {
    type: "gemini",
    status: 429,
    expected: "retry",
    body: googleQuota("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
  },
  gemini_not_found: {
    type: "gemini",
    status: 404,
    expected: "client",
    body: google(
      404,
      "NOT_FOUND",
      "models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.",
    ),
  },
  // Azure OpenAI
  azure_invalid_key: {
    type: "azure",
    status: 401,
    expected: "key_dead",
    body: {
      error: {
        code: "401",
        message:
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      },
    },
  },
  azure_key_auth_disabled: {
    type: "azure",
    status: 403,
    expected: "key_dead",
    body: {
      error: { code: "AuthenticationTypeDisabled", message: "Key based authentication is disabled for this resource." },
    },
  },
  azure_firewall_403: {
    type: "azure",
    status: 403,
    expected: "client",
    body: { error: { code: "403", message: "Access denied due to Virtual Network/Firewall rules." } },
  },
  azure_out_of_quota: {
    type: "azure",
    status: 403,
    expected: "unfunded",
    body: {
      error: {
        code: "403",
        message:
          "Out of call volume quota for OpenAI S0 pricing tier. Please retry after 2 days. To increase your limits please upgrade to a higher tier.",
      },
    },
  },
  azure_content_filter: {
    type: "azure",
    status: 400,
    expected: "client",
    body: {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: "prompt",
        code: "content_filter",
        status: 400,
        innererror: { code: "ResponsibleAIPolicyViolation" },
      },
    },
  },
  azure_rate_limit: {
    type: "azure",
    status: 429,
    expected: "retry",
    body: {
      error: {
        code: "429",
        message:
          "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds.",
      },
    },
  },
  azure_deployment_404: {
    type: "azure",
    status: 404,
    expected: "client",
    body: { error: { code: "DeploymentNotFound", message: "The API deployment for this resource does not exist." } },
  },
  // DeepSeek and other OpenAI-compatible APIs
  deepseek_insufficient_balance: {
    type: "openai",
    status: 402,
    expected: "unfunded",
    body: openai("Insufficient Balance", "unknown_error", "invalid_request_error"),
  },
  deepseek_invalid_key: {
    type: "openai",
    status: 401,
    expected: "key_dead",
    body: openai(
      "Authentication Fails, Your api key: ****abcd is invalid",
      "authentication_error",
      "invalid_request_error",
    ),
  },
  deepseek_bad_params: {
    type: "openai",
    status: 422,
    expected: "client",
    body: openai("Invalid Parameters", "invalid_request_error", "invalid_request_error"),
  },
  openrouter_credits: {
    type: "openai",
    status: 402,
    expected: "unfunded",
    body: {
      error: { message: "Insufficient credits. Add more using https://openrouter.ai/settings/credits", code: 402 },
    },
  },
  moonshot_quota: {
    type: "openai",
    status: 429,
    expected: "unfunded",
    body: {
      error: {
        message:
          "Your account org-xxx is suspended due to insufficient balance, please recharge your account or check your plan and billing details",
        type: "exceeded_current_quota_error",
      },
    },
  },
  gateway_html_502: {
    type: "openai",
    status: 502,
    expected: "retry",
    body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
  },
  gateway_504: { type: "openai", status: 504, expected: "server", body: "upstream request timeout" },
  redirect_301: {
    type: "openai",
    status: 301,
    expected: "redirect",
    body: "",
    headers: { location: "http://127.0.0.1:1/elsewhere" },
  },
};

/** The mock's "error" mode: the named preset's status and body. */
export function presetError(name: string | undefined): Response {
  const c = UPSTREAM_ERRORS[name ?? ""];
  if (!c) return json({ error: { message: `mock: no preset "${name}"`, type: "mock_error" } }, 500);
  return typeof c.body === "string"
    ? new Response(c.body, { status: c.status, headers: c.headers })
    : json(c.body, c.status, c.headers);
}
