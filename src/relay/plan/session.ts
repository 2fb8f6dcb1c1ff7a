// The session a call belongs to, as each client names it: Codex's prompt_cache_key (and its
// session_id header), a session-id header, Claude Code's session header or the session part of its
// metadata.user_id. Null when the call names none (no affinity).
const HEADERS = ["x-claude-code-session-id", "session_id", "session-id", "x-session-id"];
const MAX_LENGTH = 200;

function fromUserId(userId: unknown): string | null {
  if (typeof userId !== "string") return null;
  if (userId.startsWith("{")) {
    try {
      const id = JSON.parse(userId)?.session_id;
      if (typeof id === "string") return id;
    } catch {}
  }
  return /session_([0-9A-Za-z-]{8,})/.exec(userId)?.[1] ?? null;
}

export function sessionOf(headers: Headers, body: Record<string, unknown>): string | null {
  const id =
    (typeof body.prompt_cache_key === "string" ? body.prompt_cache_key : null) ??
    HEADERS.map((h) => headers.get(h)).find((v) => !!v) ??
    fromUserId((body.metadata as { user_id?: unknown } | undefined)?.user_id);
  return id ? id.slice(0, MAX_LENGTH) : null;
}
