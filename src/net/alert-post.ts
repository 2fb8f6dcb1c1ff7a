// One alert POST through the egress guard: the host is checked as written and once resolved, the
// request goes to exactly the address checked, redirects are never followed (a 3xx is a failure),
// and each attempt has a deadline. A user's webhook must be public (no loopback, private, link-local
// or metadata address); the admin's destinations follow the channels' rule (their own Gotify on the
// LAN is fine, metadata is not). `allowLoopback` is the test-only exception.
import { isLoopback, nonPublicAddress, nonPublicHost, parseIp } from "../core/egress";
import { describeFetchError, EgressError, fetchPinned, refusedUrl, targetFor } from "./egress";

export type AlertPolicy = { publicOnly: boolean; allowLoopback: boolean };

const hostnameOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Why `url` may not receive alerts under `policy` (save time: the host as written), or null. */
export function refusedAlertUrl(text: string, policy: AlertPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL; give a full http(s):// address";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be http:// or https://, not ${url.protocol}`;
  if (url.username || url.password) return "must not carry a user name or password; put a token in the path instead";
  const host = hostnameOf(url);
  const ip = parseIp(host);
  if (policy.allowLoopback && ((ip && isLoopback(ip)) || host === "localhost")) return null;
  const why = policy.publicOnly ? nonPublicHost(host) : refusedUrl(text);
  return why ? `is refused: ${why}` : null;
}

/** Posts `body` once; resolves with nothing on a 2xx, else throws an Error whose message names the
 * host and what went wrong (never the path, the query or a secret). */
export async function postAlert(
  text: string,
  body: string,
  headers: Record<string, string>,
  policy: AlertPolicy,
  deadlineMs: number,
): Promise<void> {
  const refused = refusedAlertUrl(text, policy);
  if (refused) throw new EgressError("refused", `the URL ${refused}`);
  const target = await targetFor(text);
  const ip = parseIp(target.address);
  const loopbackOk = policy.allowLoopback && ip && isLoopback(ip);
  const why = policy.publicOnly && !loopbackOk && ip ? nonPublicAddress(ip) : null;
  if (why) throw new EgressError("refused", `refused: ${target.display} resolves to ${target.address}; ${why}`);
  let res: Response;
  try {
    res = await fetchPinned(target, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "apiyi-alerts", ...headers },
      body,
      signal: AbortSignal.timeout(deadlineMs),
    });
  } catch (e) {
    if ((e as Error).name === "TimeoutError")
      throw new Error(`no answer from ${target.display} within ${deadlineMs} ms`);
    throw new Error(describeFetchError(e, target.display));
  }
  void res.body?.cancel().catch(() => {});
  if (res.status >= 300 && res.status < 400)
    throw new EgressError(
      "redirect",
      `${target.display} answered ${res.status} (a redirect): alerts never follow redirects`,
    );
  if (res.status < 200 || res.status >= 300) throw new Error(`${target.display} answered HTTP ${res.status}`);
}
