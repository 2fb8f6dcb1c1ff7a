// The /v1 (and /v1beta) error reply: the surface's own shape, with the request id and the error's
// own headers (retry-after, x-should-retry) on every reply.
import { AppError } from "../errors";
import { refusals } from "../core/refusals";
import { openaiSurface, type Surface } from "./surfaces";

export function errorResponse(e: unknown, requestId: string, surface: Surface = openaiSurface): Response {
  const appError = e instanceof AppError ? e : internal(e);
  const { status, body } = surface.error(appError);
  return Response.json(body, { status, headers: { "x-request-id": requestId, ...appError.headers } });
}

function internal(e: unknown): AppError {
  console.error("relay: unexpected error:", e);
  return refusals.internal();
}
