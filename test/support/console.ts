// Test support: the console over plain HTTP, as a browser and htmx drive it. Pages are read with a
// session cookie (redirects not followed), fragments as htmx asks for them, actions are sent
// form-encoded (or a JSON array) with the CSRF header and our own origin. Every reply keeps its
// status, text, headers, redirect location and HX-Trigger events ({} when there are none).
import { login } from "./server";

/** A signed-in browser: its session cookie and CSRF token (login()'s and makeUser().auth's shape).
 * `{}` or `{ cookie: "" }` is an anonymous visitor. */
export type Who = { cookie?: string; csrf?: string };

export type ConsoleReply = {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
  /** the HX-Trigger events, whatever the action triggered */
  trigger: Record<string, any>;
};

/** What an action may change besides who sends it: the Origin header (default: the server's own). */
export type ActOptions = { origin?: string };

/** The console of one server (`app.url` read at each call, so a useServer() result works at the top
 * level). `as`: who calls when a call names nobody; `seen`: sees every reply's text. */
export function consoleHttp(
  app: { readonly url: string },
  opts: { as?: () => Who; seen?: (text: string) => void } = {},
) {
  const who = (w: Who | undefined) => w ?? opts.as?.() ?? {};

  async function reply(res: Response): Promise<ConsoleReply> {
    const text = await res.text();
    opts.seen?.(text);
    const trigger = res.headers.get("hx-trigger");
    const location = res.headers.get("location");
    return { status: res.status, text, headers: res.headers, location, trigger: trigger ? JSON.parse(trigger) : {} };
  }

  /** A page as the browser navigates to it. */
  async function page(path: string, w?: Who, headers: Record<string, string> = {}) {
    const cookie = who(w).cookie ?? "";
    return reply(await fetch(app.url + path, { headers: { cookie, ...headers }, redirect: "manual" }));
  }

  /** A fragment (a dialog, a row) as htmx asks for it. */
  const fragment = (path: string, w?: Who, headers: Record<string, string> = {}) =>
    page(path, w, { "hx-request": "true", ...headers });

  /** An htmx action: a form-encoded body (repeated fields from arrays), or JSON for an array. */
  async function act(
    method: string,
    path: string,
    form: Record<string, string | string[]> | unknown[] = {},
    w?: Who,
    o: ActOptions = {},
  ) {
    const { cookie = "", csrf = "" } = who(w);
    const json = Array.isArray(form);
    const body = new URLSearchParams();
    if (!json) for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(app.url + path, {
      method,
      headers: {
        cookie,
        "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
        "hx-request": "true",
        "x-csrf-token": csrf,
        origin: o.origin ?? app.url,
      },
      body: json ? JSON.stringify(form) : body,
    });
    return reply(res);
  }

  return { page, fragment, act };
}

/** Signs in and returns that person's console: their cookie and CSRF token, and page/fragment/act as them. */
export async function consoleSession(base: string, username: string, password: string) {
  const auth = await login(base, username, password);
  const http = consoleHttp({ url: base }, { as: () => auth });
  /** The toast an action's HX-Trigger header carries, if any. */
  const toast = (r: ConsoleReply): string | undefined => r.trigger.toast?.message;
  return { ...auth, ...http, toast };
}
