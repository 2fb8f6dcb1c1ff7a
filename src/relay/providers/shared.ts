// Pieces every provider uses: reading an error message out of any vendor's error body, the usual
// failure classes by status, and the headers of a JSON (or multipart) POST.
import type { Failure } from "./types";

/** A 401/403 body that blames the key or the account, not the request. */
export const KEY_PROBLEM = /invalid|incorrect|deactivat|disabled|revoked|suspend|expired|api[ _-]?key|account|billing|quota|permission/i;

/** `error.message` (OpenAI, Anthropic's `error.error.message` is the same path, Google), or `message`. */
export function errorMessage(bodyText: string): string | null {
  try {
    const parsed = JSON.parse(bodyText);
    const message = parsed?.error?.message ?? parsed?.message ?? parsed?.error;
    return typeof message === "string" ? message : null;
  } catch {
    return null;
  }
}

/** Busy or failing upstreams (429, 5xx that mean "try elsewhere", Anthropic's 529) are retried elsewhere;
 * a rejected key is retired; other 4xx are the request's fault. */
export function classifyStatus(status: number, bodyText: string, keyRejected = (s: number, t: string) => s === 401 || (s === 403 && KEY_PROBLEM.test(t))): Failure {
  if (status === 429 || status === 500 || status === 502 || status === 503 || status === 529) return "retry";
  if (keyRejected(status, bodyText)) return "key_invalid";
  return status >= 500 ? "server" : "client";
}

/** A POST: JSON text gets its content type, form data lets fetch write the multipart boundary. */
export function post(body: string | FormData, headers: Record<string, string>): RequestInit {
  return { method: "POST", headers: typeof body === "string" ? { "content-type": "application/json", ...headers } : headers, body };
}
