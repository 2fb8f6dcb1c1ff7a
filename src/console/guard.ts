// Who is looking at a console page, and whether a state-changing request is really from our page:
// the session cookie (never an access token: browsers send cookies on their own), a CSRF token
// derived from the session (htmx sends it as a header, forms as a field), and a same-origin check.
import { parseCookies } from "../api/route";
import type { Actor } from "../services/actor";
import { authenticate, SESSION_COOKIE } from "../services/auth";
import type { Ctx } from "../services/context";

export type ConsoleUser = Actor & { sessionId: string; csrf: string };

export const csrfFor = (ctx: Ctx, sessionId: string) => ctx.keys.hash(`csrf:${sessionId}`);

export function consoleUser(ctx: Ctx, request: Request): ConsoleUser | null {
  const sessionId = parseCookies(request.headers.get("cookie"))[SESSION_COOKIE];
  if (!sessionId) return null;
  try {
    const actor = authenticate(ctx, { sessionId });
    return actor ? { ...actor, sessionId, csrf: csrfFor(ctx, sessionId) } : null;
  } catch {
    return null; // a disabled account: back to the sign-in page
  }
}

/** Another site may not make a signed-in browser change anything here. */
export function sameOrigin(request: Request): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = request.headers.get("origin");
  if (!origin) return true; // same-origin navigations and older browsers: the CSRF token decides
  return origin === new URL(request.url).origin || origin === `${new URL(request.url).protocol}//${request.headers.get("host")}`;
}

export function csrfOk(user: ConsoleUser, request: Request, form: Record<string, unknown>): boolean {
  const sent = request.headers.get("x-csrf-token") ?? (typeof form._csrf === "string" ? form._csrf : "");
  return sent === user.csrf && sameOrigin(request);
}
