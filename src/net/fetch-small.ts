// A short request through the egress guard, for the short answers of upstream APIs (account balances,
// video jobs' submits, polls and cancels):
// the host checked as written and once resolved, the request sent to exactly that address, redirects
// refused (the request carries a key), one deadline over connecting, the headers and the whole body,
// and a body size limit. Errors name host:port and what went wrong, never the path, the query or a key.
import { describeFetchError, fetchPinned, redirectRefusal, targetFor } from "./egress";

export type SmallReply = { status: number; text: string };
export type SmallLimits = { deadlineMs: number; maxBytes: number };

/** The body as text, refused past `maxBytes` (the rest is not read). */
export async function readCapped(res: Response, maxBytes: number, display: string): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw new Error(`${display} answered more than ${Math.round(maxBytes / 1024)} KiB`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
}

/** Any short request through the guard (one deadline over connecting, the headers and the body; a
 * redirect refused; the body capped): the status, the text, and the host:port it went to, for messages.
 * `signal` gives up early as well. Failures throw an Error whose message names the host, never the
 * path, the query or a key. */
export async function requestSmall(
  url: string,
  init: RequestInit,
  limits: SmallLimits & { signal?: AbortSignal },
): Promise<SmallReply & { display: string }> {
  const target = await targetFor(url);
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  try {
    const signal = limits.signal ? AbortSignal.any([deadline, limits.signal]) : deadline;
    const res = await fetchPinned(target, { ...init, signal });
    if (res.status >= 300 && res.status < 400) {
      void res.body?.cancel().catch(() => {});
      throw redirectRefusal(res, url);
    }
    return {
      status: res.status,
      text: await readCapped(res, limits.maxBytes, target.display),
      display: target.display,
    };
  } catch (e) {
    if (deadline.aborted) throw new Error(`no answer from ${target.display} within ${limits.deadlineMs} ms`);
    if (e instanceof Error && e.message.startsWith(target.display)) throw e;
    throw new Error(describeFetchError(e, target.display));
  }
}

/** A GET for a short JSON answer (an upstream account API's balance). */
export async function getSmall(url: string, headers: Record<string, string>, limits: SmallLimits): Promise<SmallReply> {
  const init = { method: "GET", headers: { accept: "application/json", "user-agent": "apiyi", ...headers } };
  const { status, text } = await requestSmall(url, init, limits);
  return { status, text };
}
