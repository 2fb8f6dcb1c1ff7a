// Who is looking at a console page, and whether a state-changing request is really from our page:
// the session cookie (never an access token: browsers send cookies on their own), a CSRF token
// derived from the session (htmx sends it as a header, forms as a field), and a same-origin check
// (http/origin.ts; the management API's cookie writes use the same two checks).
import { parseCookies } from "../api/route";
import { sameOrigin as sameOriginOf } from "../http/origin";
import type { Actor } from "../services/actor";
import { authenticate, csrfFor, csrfMatches, SESSION_COOKIE } from "../services/auth";
import type { Ctx } from "../services/context";
import { readSettings } from "../services/settings";

export type ConsoleUser = Actor & { sessionId: string; csrf: string };

export { csrfFor };

export async function consoleUser(ctx: Ctx, request: Request): Promise<ConsoleUser | null> {
  const sessionId = parseCookies(request.headers.get("cookie"))[SESSION_COOKIE];
  if (!sessionId) return null;
  try {
    const actor = await authenticate(ctx, { sessionId });
    return actor ? { ...actor, sessionId, csrf: csrfFor(ctx, sessionId) } : null;
  } catch {
    return null; // a disabled account: back to the sign-in page
  }
}

/** Another site (another port or subdomain included) may not make a browser change anything here. */
export const sameOrigin = (ctx: Ctx, request: Request) => sameOriginOf(request, () => readSettings(ctx).public_url);

/** The CSRF token, from the header (htmx) or the form's `_csrf` field. */
export function csrfOk(ctx: Ctx, user: ConsoleUser, request: Request, form: Record<string, unknown>): boolean {
  const sent = request.headers.get("x-csrf-token") ?? (typeof form._csrf === "string" ? form._csrf : "");
  return csrfMatches(ctx, user.sessionId, sent);
}
