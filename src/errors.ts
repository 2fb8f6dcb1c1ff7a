// The one error type. Everything that refuses a request throws an AppError; each surface renders it
// in its own shape: {success:false,message} on /api (here), OpenAI JSON on /v1 (relay/entry/errors.ts).
// A refusal may say its words as a catalog key and values (`keyed`): `message` is then the English
// template filled (what /v1, logs and the default API reply say), and `text` lets the console and the
// management API say it in the reader's language (i18n/errors.ts errorText).
import { fillTemplate } from "./core/message-template";
import type { MessageKey, MessageParams } from "./i18n/catalog";
import { en } from "./i18n/en";

/** Words as a catalog key and the values its template names; a value may itself be keyed words (a
 * field's problem inside "{field}: {problem}"). `en`: the English words when they are not the
 * catalog's template filled (zod's own messages, which the API keeps as zod says them). */
export type ErrorText = { key: MessageKey; params?: Record<string, TextValue>; en?: string };
export type TextValue = string | number | ErrorText;
/** What a refusal says: plain English, or keyed words. */
export type Says = string | ErrorText;

type KeyedArgs<K extends MessageKey> = [keyof MessageParams<K>] extends [never]
  ? []
  : [Record<keyof MessageParams<K>, TextValue>];

/** Keyed words, the values checked against the template's parameter names. */
export const keyed = <K extends MessageKey>(key: K, ...params: KeyedArgs<K>): ErrorText => ({ key, params: params[0] });

const english = (key: MessageKey): string => en[key];

/** The words with each key's template from `template`; without it, in English (where `en` overrides).
 * Numbers are written as they are (ids, limits), the same in every language. */
export function renderText(says: TextValue, template?: (key: MessageKey) => string): string {
  if (typeof says !== "object") return String(says);
  if (!template && says.en !== undefined) return says.en;
  const values: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(says.params ?? {}))
    values[name] = typeof v === "object" ? renderText(v, template) : v;
  return fillTemplate((template ?? english)(says.key), values);
}

export class AppError extends Error {
  /** the words as a key, when the thrower gave one */
  readonly text?: ErrorText;
  constructor(
    readonly status: number,
    readonly code: string,
    message: Says,
    readonly param: string | null = null,
    /** OpenAI's error `type`; derived from the status when not given */
    readonly type: string = typeForStatus(status),
    /** extra response headers (retry-after, x-should-retry) */
    readonly headers: Record<string, string> = {},
  ) {
    super(renderText(message));
    this.name = "AppError";
    if (typeof message !== "string") this.text = message;
  }
}

function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

export const badRequest = (message: Says, param: string | null = null) =>
  new AppError(400, "invalid_request", message, param);
/** "{field}: {problem}" (the problem plain or keyed). */
export const invalidField = (param: string, problem: Says) =>
  new AppError(422, "invalid_field", keyed("error.field", { field: param, problem }), param);
export const unauthorized = (message: Says = keyed("error.signInFirst")) => new AppError(401, "unauthorized", message);
export const forbidden = (message: Says) => new AppError(403, "forbidden", message);
/** `what`: plain "token 3" (said as "token 3 not found"), or a keyed sentence that says it whole. */
export const notFound = (what: Says) =>
  new AppError(404, "not_found", typeof what === "string" ? `${what} not found` : what);
export const conflict = (message: Says) => new AppError(409, "conflict", message);

/** The 500 every surface answers for an unexpected error (core/refusals names it `internal` for /v1). */
export const internalError = () => new AppError(500, "internal_error", keyed("error.internal"));

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

/** The management API's reply for an error: the status tells the truth, the body says what to fix
 * (`message`: in the language the request asked for, api/route.ts; English by default). */
export function apiErrorBody(err: AppError, message = err.message) {
  return { success: false, message, data: null };
}
