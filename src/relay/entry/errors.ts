// The /v1 (and /v1beta) error reply: the surface's own shape, with the request id and the error's
// own headers (retry-after, x-should-retry) on every reply; and the one place where an unexpected
// error (anything not an AppError) becomes a 500 after being logged, once, with its request id.
import { type AppError, asAppError } from "../../errors";
import { surfaceOf } from "../wire";
import type { Surface } from "../wire/surface";

/** The AppError a /v1 call ends with: its own, or for anything unexpected a 500 internal_error, after
 * one log entry naming the request id, with the stack. Pass what it returns on: it is logged already. */
export function callError(e: unknown, requestId: string): AppError {
  return asAppError(e, "relay", requestId);
}

/** `extra`: headers the call's every answer carries (its rate limits). */
export function errorResponse(
  e: unknown,
  requestId: string,
  surface: Surface = surfaceOf("chat"),
  extra?: Record<string, string>,
): Response {
  const appError = callError(e, requestId);
  const { status, body } = surface.error(appError);
  return Response.json(body, { status, headers: { "x-request-id": requestId, ...extra, ...appError.headers } });
}
