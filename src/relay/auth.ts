// Checks 1–5 of a /v1 call, before its body is read: the key (Authorization wins over x-api-key),
// then token status, expiry, owner and client IP, all from the in-memory snapshot.
import { checkTokenAccess } from "../core/access";
import { TOKEN_KEY_PATTERN } from "../core/keys";
import { refusals } from "../core/refusals";
import type { TokenEntry, UserEntry } from "../core/snapshot";
import type { Runtime } from "./runtime";

/** The sk- key of a request: `Authorization: Bearer sk-…` first, else `x-api-key`. */
export function keyOf(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth) return auth.startsWith("Bearer ") || auth.startsWith("bearer ") ? auth.slice(7).trim() : auth.trim();
  return req.headers.get("x-api-key")?.trim() ?? null;
}

export function authenticate(rt: Runtime, req: Request, ip: string): { token: TokenEntry; user: UserEntry } {
  const key = keyOf(req);
  if (!key || !TOKEN_KEY_PATTERN.test(key)) throw refusals.invalidKey();
  const snap = rt.ctx.snapshot.current;
  const token = snap.tokensByHash.get(rt.ctx.keys.hash(key));
  if (!token) throw refusals.invalidKey();
  const user = snap.usersById.get(token.userId);
  const refusal = checkTokenAccess(token, user, Math.floor(Date.now() / 1000), ip);
  if (refusal) throw refusal;
  return { token, user: user! };
}
