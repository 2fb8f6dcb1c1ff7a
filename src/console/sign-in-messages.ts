// The sign-in and sign-up refusals in the reader's language. The services say them in English (the
// management API's words); the console knows them by code. A refusal it has no words for (a field the
// service's validation names) is shown as the service said it.
import type { AppError } from "../errors";
import { ACCOUNT_DISABLED } from "../services/auth";
import type { Translator } from "../i18n";

export function signInMessage({ t }: Translator, err: AppError): string {
  const seconds = err.headers["retry-after"] ?? "";
  switch (err.code) {
    case "unauthorized":
      return t("login.wrong");
    case "too_many_attempts":
      return err.param === "account" ? t("login.tooManyAccount", { seconds }) : t("login.tooManyAddress", { seconds });
    case "forbidden":
      return err.message === ACCOUNT_DISABLED ? t("login.disabled") : err.message;
    case "conflict":
      return t("register.taken");
    default:
      return err.message;
  }
}
