// The one decision about a failed upstream reply (core/upstream-errors.ts), table-driven over real
// error bodies of OpenAI, Anthropic, Gemini, Azure, DeepSeek and other OpenAI-compatible APIs: a key
// that is dead, an account out of credit, or the call's own problem (a per-model or content-policy
// 403 included, which once disabled whole channels), plus the busy classes and redirects.
import { describe, expect, test } from "bun:test";
import { classifyUpstreamError } from "../../src/core/upstream-errors";
import { UPSTREAM_ERRORS } from "../support/mock/upstream-errors";

describe("real upstream error replies", () => {
  for (const [name, c] of Object.entries(UPSTREAM_ERRORS)) {
    test(`${name}: ${c.status} → ${c.expected}`, () => {
      const text = typeof c.body === "string" ? c.body : JSON.stringify(c.body);
      expect(classifyUpstreamError(c.status, text, c.type)).toBe(c.expected);
    });
  }
});

test("every class of the three is covered for every provider family", () => {
  const seen = new Set(Object.values(UPSTREAM_ERRORS).map((c) => `${c.type}:${c.expected}`));
  for (const type of ["openai", "anthropic", "gemini", "azure"])
    for (const cls of ["key_dead", "unfunded", "client"]) expect(seen).toContain(`${type}:${cls}`);
});

test("a per-model or content-policy 403 never blames the key, whatever words the body holds", () => {
  const bodies = [
    {
      error: {
        message: "Project `proj_x` does not have access to model `o3`. Check your API key's permissions.",
        type: "invalid_request_error",
        code: "model_not_found",
      },
    },
    {
      error: {
        message: "This request was blocked by the content policy of your account's moderation settings.",
        type: "invalid_request_error",
        code: "content_policy_violation",
      },
    },
    {
      error: {
        message: "The model `gpt-4o` does not exist or you do not have access to it.",
        type: "invalid_request_error",
        code: "model_not_found",
      },
    },
  ];
  for (const body of bodies) expect(classifyUpstreamError(403, JSON.stringify(body), "openai")).toBe("client");
});

test("statuses without a body: 401 is a dead key, 402 unfunded, 429 and 5xx busy, other 4xx the call's", () => {
  const cases: [number, string][] = [
    [401, "key_dead"],
    [402, "unfunded"],
    [403, "client"],
    [404, "client"],
    [429, "retry"],
    [500, "retry"],
    [502, "retry"],
    [503, "retry"],
    [529, "retry"],
    [501, "server"],
    [504, "server"],
    [302, "redirect"],
    [307, "redirect"],
    [308, "redirect"],
  ];
  for (const [status, expected] of cases)
    expect({ status, got: classifyUpstreamError(status, "", "openai") }).toEqual({ status, got: expected as never });
});

test("a Google-style 400 bad key counts only for gemini channels; elsewhere a 400 is the call's", () => {
  const body = JSON.stringify(UPSTREAM_ERRORS.gemini_invalid_key.body);
  expect(classifyUpstreamError(400, body, "gemini")).toBe("key_dead");
  expect(classifyUpstreamError(400, body, "openai")).toBe("client");
});

test("DashScope's billing codes are unfunded (never a dead key), natively and in its OpenAI-compatible mode", () => {
  const native = (code: string, message: string) => JSON.stringify({ request_id: "r-1", code, message });
  const compatible = (code: string, message: string) =>
    JSON.stringify({ error: { code, message, param: null, type: code }, request_id: "r-2" });
  const cases: [number, string, string][] = [
    [400, "Arrearage", "Access denied, please make sure your account is in good standing."],
    [
      403,
      "AllocationQuota.FreeTierOnly",
      'The free tier of the model has been exhausted. If you wish to continue access the model on a paid basis, please disable the "use free tier only" mode in the management console.',
    ],
    [429, "CommodityNotPurchased", "Commodity has not purchased yet."],
    [429, "PrepaidBillOverdue", "The prepaid bill is overdue."],
    [429, "PostpaidBillOverdue", "The postpaid bill is overdue."],
  ];
  for (const [status, code, message] of cases)
    for (const [body, type] of [
      [native(code, message), "dashscope"],
      [compatible(code, message), "openai"],
    ])
      expect({ code, type, got: classifyUpstreamError(status, body, type) }).toEqual({ code, type, got: "unfunded" });
  // its rate limits stay busy, its bad key dead, its refused parameters the call's
  expect(classifyUpstreamError(429, native("Throttling.RateQuota", "Requests rate limit exceeded"), "dashscope")).toBe(
    "retry",
  );
  expect(classifyUpstreamError(401, native("InvalidApiKey", "Invalid API-key provided."), "dashscope")).toBe(
    "key_dead",
  );
  expect(classifyUpstreamError(400, native("InvalidParameter", "The size is not match"), "dashscope")).toBe("client");
});
