// Upstream error texts may carry the upstream key (or part of it) and its URL: scrub both before any
// of it reaches a client or a log. Error bodies and the error events inside a 200 stream alike.
const URL_LIKE = /\b(?:https?|wss?):\/\/[^\s"'<>)]+/gi;
// sk-…, key-…, AIza… (Google's keys, whole or masked as "AIzaS...xyz"), and any long run of
// key-like characters (shown partially by some upstreams)
const KEY_LIKE =
  /\b(?:sk|pk|rk|ak|key|sess|AIza)[-_][A-Za-z0-9._*-]{4,}|\bAIza[A-Za-z0-9._*-]{4,}|\b[A-Za-z0-9_*-]{24,}\b/g;
// the same shapes, tested on identifiers (type, code, status), which are left alone unless they hold one
const HOLDS_SECRET = /\b(?:sk|pk|rk|ak|key|sess|AIza)[-_][A-Za-z0-9._*-]{4,}|\bAIza[A-Za-z0-9._*-]{4,}|:\/\//;

export function redact(text: string, secrets: string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[redacted]");
  return out.replace(URL_LIKE, "[upstream]").replace(KEY_LIKE, "[redacted]").slice(0, 1000);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Identifier fields keep their value (a long code such as "unsupported_country_region_territory"
 * is not a key) unless it holds a secret. */
const IDENTIFIERS = new Set(["type", "code", "status", "param"]);

function redactDeep(v: unknown, secrets: string[], key = ""): unknown {
  if (typeof v === "string") {
    if (IDENTIFIERS.has(key) && !HOLDS_SECRET.test(v) && !secrets.some((s) => s && v.includes(s))) return v;
    return redact(v, secrets);
  }
  if (Array.isArray(v)) return v.map((item) => redactDeep(item, secrets));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, redactDeep(item, secrets, k)]));
  return v;
}

/**
 * An upstream error payload with its texts redacted, or null when the payload is no error: OpenAI's
 * and Google's `{"error":…}`, Anthropic's `{"type":"error","error":…}`, the Responses API's `error`
 * event (`{"type":"error","message":…}`) and `response.failed` (the error inside its response).
 * Everything else in the payload is kept as it is.
 */
export function redactErrorPayload(data: unknown, secrets: string[]): Obj | null {
  if (!isObj(data)) return null;
  let out: Obj | null = null;
  if (data.error !== undefined && data.error !== null) out = { ...data, error: redactDeep(data.error, secrets) };
  if (data.type === "error") {
    out ??= { ...data };
    for (const k of ["message", "code", "param"])
      if (typeof data[k] === "string") out[k] = redactDeep(data[k], secrets, k);
  }
  const response = data.response;
  if (isObj(response) && response.error !== undefined && response.error !== null) {
    out ??= { ...data };
    out.response = { ...response, error: redactDeep(response.error, secrets) };
  }
  return out;
}
