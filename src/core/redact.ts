// Upstream error texts may carry the upstream key (or part of it) and its URL: scrub both before any
// of it reaches a client or a log.
const URL_LIKE = /\b(?:https?|wss?):\/\/[^\s"'<>)]+/gi;
// sk-…, key-…, AIza…, and any long run of key-like characters (shown partially by some upstreams)
const KEY_LIKE = /\b(?:sk|pk|rk|ak|key|sess|AIza)[-_][A-Za-z0-9._*-]{4,}|\b[A-Za-z0-9_*-]{24,}\b/g;

export function redact(text: string, secrets: string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[redacted]");
  return out.replace(URL_LIKE, "[upstream]").replace(KEY_LIKE, "[redacted]").slice(0, 1000);
}
