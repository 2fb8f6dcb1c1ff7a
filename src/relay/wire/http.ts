// Pieces every provider uses: reading an error message out of any vendor's error body, and the
// headers of a JSON (or multipart) POST.

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

/** A POST: JSON text gets its content type, form data lets fetch write the multipart boundary. */
export function post(body: string | FormData, headers: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: typeof body === "string" ? { "content-type": "application/json", ...headers } : headers,
    body,
  };
}
