// Checks 1–5 of a /v1 call, before its body is read: the key (from Authorization: Bearer, x-api-key,
// x-goog-api-key or ?key=: the first that looks like an sk- key), then token status, expiry, owner
// and client IP, all from the in-memory snapshot. A well-formed key the snapshot does not know is
// looked up once more after checking whether another process (the CLI) changed the configuration.
import { checkTokenAccess } from "../../core/access";
import { TOKEN_KEY_PATTERN } from "../../core/keys";
import { refusals } from "../../core/refusals";
import type { TokenEntry, UserEntry } from "../../core/snapshot";
import type { Runtime } from "../../runtime";

const bearer = (auth: string | null) =>
  auth === null ? null : /^bearer /i.test(auth) ? auth.slice(7).trim() : auth.trim();

/** The sk- key of a request. Clients send it in different places, sometimes in two (Claude Code:
 * Bearer and x-api-key; Gemini CLI: x-goog-api-key and sometimes a Bearer of its own): the first
 * well-formed sk- key wins, else the first key given (which then fails as invalid). */
export function keyOf(req: Request): string | null {
  const h = req.headers;
  const first = bearer(h.get("authorization"));
  if (first && TOKEN_KEY_PATTERN.test(first)) return first; // the usual case, decided at once
  const query = req.url.includes("key=") ? new URL(req.url).searchParams.get("key") : null;
  const given = [first, h.get("x-api-key")?.trim(), h.get("x-goog-api-key")?.trim(), query?.trim()].filter(
    (k): k is string => !!k,
  );
  return given.find((k) => TOKEN_KEY_PATTERN.test(k)) ?? given[0] ?? null;
}

/** Lookup hashes of recently seen well-formed keys: an HMAC costs ~1 µs, a Map hit ~0.05 µs.
 * Bounded; cleared whole when full (keys seen again are simply hashed again). */
const hashes = new Map<string, string>();
const HASH_CACHE_MAX = 10_000;

function lookupHash(rt: Runtime, key: string): string {
  let hash = hashes.get(key);
  if (hash === undefined) {
    if (hashes.size >= HASH_CACHE_MAX) hashes.clear();
    hashes.set(key, (hash = rt.ctx.keys.hash(key)));
  }
  return hash;
}

/** Checks 1–5. `known` receives the token and its owner as soon as the key matches, so that a
 * refusal of a known token (disabled, expired…) can still be logged against it. */
export async function authenticate(
  rt: Runtime,
  req: Request,
  ip: string,
  known?: { token?: TokenEntry; user?: UserEntry },
): Promise<{ token: TokenEntry; user: UserEntry }> {
  const key = keyOf(req);
  if (!key || !TOKEN_KEY_PATTERN.test(key)) throw refusals.invalidKey();
  const hash = lookupHash(rt, key);
  let token = rt.ctx.snapshot.current.tokensByHash.get(hash);
  // made a moment ago by another process? (the check is shared and rate-bounded: see catchUp)
  if (!token && (await rt.ctx.snapshot.catchUp())) token = rt.ctx.snapshot.current.tokensByHash.get(hash);
  if (!token) throw refusals.invalidKey();
  const snap = rt.ctx.snapshot.current;
  const user = snap.usersById.get(token.userId);
  if (known) Object.assign(known, { token, user });
  const refusal = checkTokenAccess(token, user, rt.ctx.now(), ip);
  if (refusal) throw refusal;
  return { token, user: user! };
}
