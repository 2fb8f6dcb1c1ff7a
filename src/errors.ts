// The one error type. Everything that refuses a request throws an AppError; each surface renders it
// in its own shape: {success:false,message} on /api (here), OpenAI / Anthropic JSON on /v1 (relay/).
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "AppError";
  }
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
