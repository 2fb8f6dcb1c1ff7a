// The console's language for one request (core/language.ts decides: the user's setting, the
// language cookie, Accept-Language, the default_language setting), and POST /language, the switch
// in every page's header and on the sign-in page: a signed-in user's choice is saved on the account
// (same origin and CSRF, like every console write), a visitor's in a cookie; both go back to the page.
import { Elysia } from "elysia";
import { parseCookies } from "../api/route";
import { type AppError, asAppError, invalidField, keyed } from "../errors";
import { managementLimits } from "../http/management-limits";
import { readBodyText } from "../http/read-body";
import { isLang, LANGUAGE_CODES, type Translator } from "../i18n";
import { errorText } from "../i18n/errors";
import { readerFor } from "../services/reader";
import type { Ctx } from "../services/context";
import { setLanguage } from "../services/users";
import { consoleUser, csrfOk, sameOrigin } from "./guard";
import { cookieHeader, safeNext } from "./redirects";

export const LANG_COOKIE = "apiyi_lang";
/** the browser's time zone, set by app.js on every page (Intl's resolvedOptions().timeZone) */
export const TZ_COOKIE = "apiyi_tz";
const YEAR_SEC = 365 * 86_400;

/** The translator for this request (services/reader.ts decides); `user`: the signed-in person, if any. */
export async function requestTranslator(ctx: Ctx, request: Request, user: { id: number } | null): Promise<Translator> {
  const cookies = parseCookies(request.headers.get("cookie"));
  return readerFor(ctx, user ? await ctx.store.users.byId(user.id) : undefined, {
    langCookie: cookies[LANG_COOKIE],
    acceptLanguage: request.headers.get("accept-language"),
    tzCookie: cookies[TZ_COOKIE],
  });
}

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export const languageRoutes = (ctx: Ctx) =>
  new Elysia().post(
    "/language",
    async ({ request, server }) => {
      if (!sameOrigin(ctx, request)) return text("refused: switch the language from this site's own page", 403);
      /** a refusal in the language the page was in */
      const refuse = async (err: AppError, status = err.status) =>
        text(errorText(err, await requestTranslator(ctx, request, await consoleUser(ctx, request))), status);
      let form: URLSearchParams;
      try {
        form = new URLSearchParams(await readBodyText(request, managementLimits(ctx), server ?? undefined));
      } catch (e) {
        return refuse(asAppError(e, "console POST /language"));
      }
      const language = form.get("language");
      if (!isLang(language))
        return refuse(
          invalidField("language", keyed("error.language.oneOf", { codes: LANGUAGE_CODES.join(", ") })),
          400,
        );
      const user = await consoleUser(ctx, request);
      if (user) {
        if (!csrfOk(ctx, user, request, { _csrf: form.get("_csrf") ?? "" }))
          return text("refused: this request did not come from this console", 403);
        await setLanguage(ctx, user, language);
      }
      return new Response(null, {
        status: 303,
        headers: {
          location: safeNext(form.get("next")),
          "set-cookie": cookieHeader(request, LANG_COOKIE, language, YEAR_SEC),
        },
      });
    },
    { parse: "none" },
  );
