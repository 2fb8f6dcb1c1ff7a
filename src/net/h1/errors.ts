// The errors of the HTTP/1.1 client (net/h1): plain Errors with a `code`, as Bun's fetch throws them, so
// that describeFetchError (net/egress.ts) reads them the same way: "ConnectionClosed" for a connection
// that closed before the answer, "HPE_…" for a malformed answer (the names node's llhttp uses),
// connect and TLS errors keep the code Bun.connect gave (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT…).

export type H1Error = Error & { code: string };

export function h1Error(code: string, message: string): H1Error {
  const e = new Error(message) as H1Error;
  e.code = code;
  return e;
}

export const parseError = (code: string, what: string) => h1Error(code, `malformed HTTP response: ${what}`);

export const closedEarly = () => h1Error("ConnectionClosed", "the connection closed before the answer was complete");

/** An error from Bun.connect or a socket, with a code (kept as given; "ECONNRESET" when it has none). */
export function socketError(e: unknown): H1Error {
  if (e instanceof Error && typeof (e as { code?: unknown }).code === "string") return e as H1Error;
  return h1Error("ECONNRESET", e instanceof Error ? e.message : String(e));
}
