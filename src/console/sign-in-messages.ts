// The sign-in and sign-up refusals in the reader's language: as the service keyed them
// (i18n/errors.ts errorText), except a taken username, which the sign-up page says without naming it.
import type { AppError } from "../errors";
import type { Translator } from "../i18n";
import { errorText } from "../i18n/errors";

export const signInMessage = (tr: Translator, err: AppError): string =>
  err.code === "conflict" ? tr.t("register.taken") : errorText(err, tr);
