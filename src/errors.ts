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

/** The 500 every surface answers for an unexpected error (core/refusals names it `internal` for /v1). */
export const internalError = () => new AppError(500, "internal_error", "internal error; the server log has details");

/** Where anything thrown becomes an AppError: an AppError stays as it is; anything else (a bug, a
 * failing dependency) is logged once to stderr, naming where it happened and the request id when there
 * is one, with the stack, and becomes the internal 500. Pass on what it returns: it is logged already. */
export function asAppError(e: unknown, where: string, requestId?: string): AppError {
  if (e instanceof AppError) return e;
  console.error(
    `${where}${requestId ? ` ${requestId}` : ""}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
  return internalError();
}

/** A refusal the person can fix where they typed (a bad field, a conflict, not found): under 500. */
export const isUserError = (e: unknown): e is AppError => e instanceof AppError && e.status < 500;

/** The management API's reply for an error: the status tells the truth, the body says what to fix. */
export function apiErrorBody(err: AppError) {
  return { success: false, message: err.message, data: null };
}
