// The /v1 surface's error rendering: OpenAI's shape {"error":{message,type,param,code}}, with the
// request id and the error's own headers (retry-after, x-should-retry) on every reply.
import { AppError } from "../errors";
import { refusals } from "../core/refusals";

/** The OpenAI-shaped body of an error. */
export const openAiErrorBody = (e: AppError) => ({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });

export function errorResponse(e: unknown, requestId: string): Response {
  const appError = e instanceof AppError ? e : internal(e);
  return Response.json(openAiErrorBody(appError), {
    status: appError.status,
    headers: { "x-request-id": requestId, ...appError.headers },
  });
}

function internal(e: unknown): AppError {
  console.error("relay: unexpected error:", e);
  return refusals.internal();
}
