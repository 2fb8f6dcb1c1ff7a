// asAppError, the one place where anything thrown becomes an AppError: refusals pass through untouched
// and unlogged; anything else is logged once (where, request id, stack) and becomes the internal 500.
import { afterEach, beforeEach, expect, spyOn, test } from "bun:test";
import { refusals } from "../src/core/refusals";
import { AppError, asAppError, conflict, internalError, isUserError, notFound } from "../src/errors";
import { callError } from "../src/relay/entry/errors";

let logged: unknown[][] = [];
let spy: ReturnType<typeof spyOn>;
beforeEach(() => {
  logged = [];
  spy = spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
});
afterEach(() => spy.mockRestore());

const fields = (e: AppError) => ({
  status: e.status,
  code: e.code,
  type: e.type,
  message: e.message,
  param: e.param,
  headers: e.headers,
});

test("an AppError comes back as the same object, and nothing is logged", () => {
  const refusal = new AppError(429, "too_many_attempts", "slow down", null, undefined, { "retry-after": "3" });
  expect(asAppError(refusal, "api")).toBe(refusal);
  const bug = new AppError(503, "no_channel", "no channel");
  expect(asAppError(bug, "relay", "req-1")).toBe(bug);
  expect(logged).toEqual([]);
});

test("anything else becomes the internal 500 of core/refusals, logged once with where, the request id and the stack", () => {
  const err = asAppError(new TypeError("boom"), "relay", "req-42");
  expect(fields(err)).toEqual(fields(refusals.internal()));
  expect(fields(err)).toEqual({
    status: 500,
    code: "internal_error",
    type: "server_error",
    message: "internal error; the server log has details",
    param: null,
    headers: {},
  });
  expect(logged).toHaveLength(1);
  const line = String(logged[0][0]);
  expect(line).toStartWith("relay req-42: unexpected error: TypeError: boom\n");
  expect(line).toMatch(/\n\s+at /); // the stack follows
});

test("without a request id the line names only where; a thrown non-Error is logged as text", () => {
  expect(fields(asAppError("just a string", "console POST /token"))).toEqual(fields(internalError()));
  expect(asAppError(undefined, "api GET /api/x").status).toBe(500);
  expect(logged.map((args) => String(args[0]))).toEqual([
    "console POST /token: unexpected error: just a string",
    "api GET /api/x: unexpected error: undefined",
  ]);
});

test("each call answers a fresh 500 (a caller may not mutate a shared one)", () => {
  expect(asAppError(new Error("a"), "x")).not.toBe(asAppError(new Error("b"), "x"));
});

test("the relay's callError is asAppError under the name relay", () => {
  const refusal = notFound("model x");
  expect(callError(refusal, "r1")).toBe(refusal);
  expect(callError(new Error("broken"), "r2").code).toBe("internal_error");
  expect(String(logged[0][0])).toStartWith("relay r2: unexpected error: Error: broken");
});

test("isUserError: a refusal under 500 the person can fix; not a 5xx AppError, not anything else", () => {
  expect(isUserError(conflict("taken"))).toBe(true);
  expect(isUserError(notFound("user 3"))).toBe(true);
  expect(isUserError(internalError())).toBe(false);
  expect(isUserError(new AppError(502, "upstream_error", "bad gateway"))).toBe(false);
  expect(isUserError(new Error("x"))).toBe(false);
  expect(isUserError({ status: 400, message: "looks like one" })).toBe(false);
});
