// Who reads a page or a notification, and so in which language, currency and time zone: the person's
// own choices first, then what their browser says (the language cookie, Accept-Language, the time
// zone cookie), then the server's settings (default_language, display_currency at usd_to_cny,
// budget_timezone). A notification has no browser: the person's choices, else the settings.
import { isTimeZone } from "../core/budget";
import { currency, isCurrency } from "../core/display-money";
import { resolveLanguage } from "../core/language";
import type { UserRow } from "../db/schema";
import { isLang, LANGUAGE_CODES, type Translator, translator } from "../i18n";
import type { Ctx } from "./context";
import { readSettings } from "./settings";

export type Browser = { langCookie?: string; acceptLanguage?: string | null; tzCookie?: string };

export function readerFor(
  ctx: Ctx,
  user: Pick<UserRow, "language" | "currency" | "timeZone"> | undefined,
  browser: Browser = {},
): Translator {
  const settings = readSettings(ctx);
  const lang = resolveLanguage(
    {
      user: user?.language,
      cookie: browser.langCookie,
      acceptLanguage: browser.acceptLanguage,
      fallback: settings.default_language,
    },
    LANGUAGE_CODES,
  );
  const code = isCurrency(user?.currency) ? user.currency : settings.display_currency;
  const browserTz = browser.tzCookie ?? "";
  const tz = user?.timeZone || (isTimeZone(browserTz) ? browserTz : settings.budget_timezone);
  return translator(isLang(lang) ? lang : "en", { currency: currency(code, settings.usd_to_cny), tz });
}
