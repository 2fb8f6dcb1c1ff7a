/** @jsxImportSource @kitajs/html */
// The page shell every server-rendered page shares: head, styles, htmx from the binary, and (for
// signed-in pages) the navigation, the CSRF token htmx sends with every request, and the toast area.
import type { Children } from "@kitajs/html";
import { USER_ROLE } from "../src/core/status";

const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  includeIndicatorStyles: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});

export type NavUser = { username: string; role: string; csrf: string };

const LINKS: [string, string][] = [
  ["/dashboard", "Dashboard"],
  ["/token", "Tokens"],
  ["/log", "Logs"],
  ["/topup", "Top up"],
  ["/groups", "Groups"],
  ["/pricing", "Pricing"],
  ["/account", "Account"],
];
const ADMIN_LINKS: [string, string][] = [
  ["/admin/dashboard", "Dashboard"],
  ["/admin/channels", "Channels"],
  ["/admin/users", "Users"],
  ["/admin/redemptions", "Codes"],
  ["/admin/groups", "Groups"],
  ["/admin/pricing", "Prices"],
  ["/admin/logs", "All logs"],
  ["/admin/settings", "Settings"],
];

function Nav(props: { user: NavUser; path: string }) {
  return (
    <header class="topbar">
      <a class="brand" href="/token">
        apiyi
      </a>
      <nav>
        {LINKS.map(([href, label]) => (
          <a href={href} class={props.path === href ? "active" : ""} safe>
            {label}
          </a>
        ))}
        {props.user.role === USER_ROLE.admin ? (
          <details class="admin-nav">
            <summary class={props.path.startsWith("/admin") ? "active" : ""}>Admin</summary>
            <div class="menu-items">
              {ADMIN_LINKS.map(([href, label]) => (
                <a href={href} safe>
                  {label}
                </a>
              ))}
            </div>
          </details>
        ) : (
          ""
        )}
      </nav>
      <form method="post" action="/logout" class="who">
        <span safe>{props.user.username}</span>
        <input type="hidden" name="_csrf" value={props.user.csrf} />
        <button type="submit" class="link">
          Sign out
        </button>
      </form>
    </header>
  );
}

export function Layout(props: {
  title: string;
  user?: NavUser;
  path?: string;
  /** shown above the page (the low-balance banner) */
  banner?: Children;
  children?: Children;
}) {
  const headers = props.user ? JSON.stringify({ "x-csrf-token": props.user.csrf }) : undefined;
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
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
        <body hx-headers={headers} data-csrf={props.user?.csrf}>
          {props.user ? <Nav user={props.user} path={props.path ?? ""} /> : ""}
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
