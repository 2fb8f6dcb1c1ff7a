// The dashboard's success rate without a database (issue 10 item 20): which logged calls count for or
// against the service, and which are the caller's own refusals, left out.
import { expect, test } from "bun:test";
import { callOutcome, successRate, type Outcome } from "../../src/core/outcome";

const row = (type: number, statusCode: number, errorCode = "") => ({ type, statusCode, errorCode });

test("each kind of call row: served, the service's failure, or the caller's refusal", () => {
  const cases: [ReturnType<typeof row>, Outcome, string][] = [
    [row(2, 200), "ok", "a billed call"],
    [row(2, 0), "ok", "a billed call from before status codes were kept"],
    [row(5, 502, "upstream_error"), "failed", "the upstream failed"],
    [row(5, 503, "no_available_channel"), "failed", "no channel"],
    [row(5, 503, "upstream_overloaded"), "failed", "upstreams busy"],
    [row(5, 503, "server_shutting_down"), "failed", "shutting down"],
    [row(5, 500, "internal_error"), "failed", "our bug"],
    [row(5, 429, "rate_limit_exceeded"), "failed", "upstream rate limiting"],
    [row(5, 0), "failed", "an error row without a status"],
    [row(5, 429, "insufficient_quota"), "refused", "the key's quota or the owner's balance"],
    [row(5, 404, "model_not_found"), "refused", "a model nobody serves"],
    [row(5, 403, "model_not_allowed"), "refused", "the whitelist"],
    [row(5, 403, "model_price_not_set"), "refused", "an unpriced model"],
    [row(5, 401, "token_disabled"), "refused", "a disabled key"],
    [row(5, 400, "invalid_request"), "refused", "a bad body"],
    [row(5, 413, "request_too_large"), "refused", "too large"],
    [row(5, 415, "unsupported_media_type"), "refused", "not JSON"],
    [row(5, 408, "request_timeout"), "refused", "the body never came"],
    [row(5, 499, "client_disconnected"), "refused", "the client left"],
  ];
  for (const [r, want, what] of cases) expect({ what, got: callOutcome(r) }).toEqual({ what, got: want });
});

test("the rate is served ÷ (served + failed); refusals change nothing; none counted → null", () => {
  expect(successRate(["ok", "ok", "ok", "failed"])).toBe(0.75);
  expect(successRate(["ok", "refused", "refused"])).toBe(1);
  expect(successRate(["refused"])).toBeNull();
  expect(successRate([])).toBeNull();
  expect(successRate(["failed", "refused"])).toBe(0);
});
