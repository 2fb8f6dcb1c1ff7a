/** @jsxImportSource @kitajs/html */
// The page shell every server-rendered page shares: head, styles, htmx from the binary, the language
// switch, and (for signed-in pages) the navigation, the CSRF token htmx sends with every request, and
// the toast area. Its words come from the reader's catalog (src/i18n); app.js reads its own toasts'
// words from the body's data-msg-* attributes.
import type { Children } from "@kitajs/html";
import { USER_ROLE } from "../src/core/status";
import { EN, LANGUAGE_CODES, LANGUAGES, type PlainKey, type Translator } from "../src/i18n";

const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  includeIndicatorStyles: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});

export type NavUser = { username: string; role: string; csrf: string };

const LINKS: [string, PlainKey][] = [
  ["/dashboard", "nav.dashboard"],
  ["/token", "nav.tokens"],
  ["/log", "nav.logs"],
  ["/videos", "nav.videos"],
  ["/topup", "nav.topup"],
  ["/groups", "nav.groups"],
  ["/pricing", "nav.pricing"],
  ["/account", "nav.account"],
];
const ADMIN_LINKS: [string, PlainKey][] = [
  ["/admin/dashboard", "nav.admin.dashboard"],
  ["/admin/channels", "nav.admin.channels"],
  ["/admin/users", "nav.admin.users"],
  ["/admin/redemptions", "nav.admin.codes"],
  ["/admin/groups", "nav.admin.groups"],
  ["/admin/pricing", "nav.admin.prices"],
  ["/admin/logs", "nav.admin.logs"],
  ["/admin/settings", "nav.admin.settings"],
];

/** One button per other language; a plain form post (CSRF field for a signed-in user), back to `here`. */
export function LanguageSwitch(props: { t: Translator; here: string; csrf?: string }) {
  const { t, lang } = props.t;
  return (
    <form method="post" action="/language" class="lang-switch" aria-label={t("lang.label")}>
      <input type="hidden" name="next" value={props.here} />
      {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : ""}
      {LANGUAGE_CODES.filter((code) => code !== lang).map((code) => (
        <button type="submit" name="language" value={code} class="link" lang={code}>
          {LANGUAGES[code].name}
        </button>
      ))}
    </form>
  );
}

function Nav(props: { user: NavUser; path: string; here: string; t: Translator }) {
  const { t } = props.t;
  return (
    <header class="topbar">
      <a class="brand" href="/token">
        apiyi
      </a>
      <nav>
        {LINKS.map(([href, label]) => (
          <a href={href} class={props.path === href ? "active" : ""} safe>
            {t(label)}
          </a>
        ))}
        {props.user.role === USER_ROLE.admin ? (
          <details class="admin-nav">
            <summary class={props.path.startsWith("/admin") ? "active" : ""} safe>
              {t("nav.admin")}
            </summary>
            <div class="menu-items">
              {ADMIN_LINKS.map(([href, label]) => (
                <a href={href} safe>
                  {t(label)}
                </a>
              ))}
            </div>
          </details>
        ) : (
          ""
        )}
      </nav>
      <LanguageSwitch t={props.t} here={props.here} csrf={props.user.csrf} />
      <form method="post" action="/logout" class="who">
        <span safe>{props.user.username}</span>
        <input type="hidden" name="_csrf" value={props.user.csrf} />
        <button type="submit" class="link" safe>
          {t("nav.signOut")}
        </button>
      </form>
    </header>
  );
}

export function Layout(props: {
  title: string;
  user?: NavUser;
  path?: string;
  /** the page's own URL (path and query), where the language switch comes back to; default `path` */
  here?: string;
  /** the reader's language (English when not given) */
  t?: Translator;
  /** shown above the page (the low-balance banner) */
  banner?: Children;
  children?: Children;
}) {
  const tr = props.t ?? EN;
  const here = props.here ?? props.path ?? "/token";
  const headers = props.user ? JSON.stringify({ "x-csrf-token": props.user.csrf }) : undefined;
  return (
    <>
      {"<!doctype html>"}
      <html lang={tr.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{props.title}</title>
          {/* htmx without eval (the CSP has no 'unsafe-eval'), without its injected <style> (nor
              'unsafe-inline': app.css carries the indicator rules) and never running swapped-in scripts */}
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/htmx.min.js" defer></script>
          <script src="/assets/app.js" defer></script>
        </head>
        <body
          hx-headers={headers}
          data-csrf={props.user?.csrf}
          data-msg-copied={tr.t("toast.copied")}
          data-msg-key-unreadable={tr.t("toast.keyUnreadable")}
        >
          {props.user ? (
            <Nav user={props.user} path={props.path ?? ""} here={here} t={tr} />
          ) : (
            <div class="lang-bar">
              <LanguageSwitch t={tr} here={here} />
            </div>
          )}
          <main class={props.user ? "page" : "page narrow"}>
            {props.banner ?? ""}
            {props.children}
          </main>
          <div id="toasts" aria-live="polite"></div>
        </body>
      </html>
    </>
  );
}
