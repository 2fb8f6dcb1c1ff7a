// The one error type. Everything that refuses a request throws an AppError; each surface renders it
// in its own shape: {success:false,message} on /api (here), OpenAI JSON on /v1 (relay/entry/errors.ts).
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    /** OpenAI's error `type`; derived from the status when not given */
    readonly type: string = typeForStatus(status),
    /** extra response headers (retry-after, x-should-retry) */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

export const badRequest = (message: string, param: string | null = null) =>
  new AppError(400, "invalid_request", message, param);
export const invalidField = (param: string, message: string) =>
  new AppError(422, "invalid_field", `${param}: ${message}`, param);
export const unauthorized = (message = "sign in first: send a session cookie or an access token") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message: string) => new AppError(403, "forbidden", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const conflict = (message: string) => new AppError(409, "conflict", message);

/** The management API's reply for an error: the status tells the truth, the body says what to fix. */
export function apiErrorBody(err: AppError) {
  return { success: false, message: err.message, data: null };
}
