// The one way apiyi fetches a URL on someone's behalf (upstream calls, the channel test, count_tokens;
// later webhooks and files an upstream points to). The host is checked in every spelling, a name is
// resolved and its answer checked (net/resolve.ts), and the request goes to exactly that address with
// the original Host header and TLS name (SNI and certificate check), so DNS rebinding cannot slip a
// refused address in between. Redirects are never followed unless the caller asks (only GET/HEAD,
// each hop checked again, credentials dropped).
import { parseIp, refusedHost } from "../core/egress";
import { upstreamClient } from "../config";
import { h1Fetch, type H1Init } from "./h1/client";
import { signalOf } from "./light-abort";
import type { DIRECT_BODY } from "./h1/source";
import { EgressError, resolveChecked } from "./resolve";

export { EgressError };

/** What a URL's origin needs for a pinned request, computed once per origin. */
type Origin = {
  protocol: string;
  /** the hostname without brackets */
  host: string;
  port: number;
  /** "host" or "host:port" as the URL gave it: the Host header */
  hostHeader: string;
  /** "host:port" (IPv6 in brackets) for messages */
  display: string;
  literal: boolean;
  refused: string | null;
  /** length of "scheme://host[:port]" in the URL string */
  prefixLength: number;
  tls?: { serverName: string };
};

/** Where a request goes: the URL actually fetched (the address in place of the name), and for error
 * messages the host and port as the admin wrote them. */
export type Target = {
  url: string;
  address: string;
  port: number;
  display: string;
  hostHeader: string | null;
  tls?: { serverName: string };
};

const MAX_ORIGINS = 1000;
const origins = new Map<string, Origin>();

function originOf(url: string): Origin {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  const prefix = slash < 0 ? url : url.slice(0, slash);
  let o = origins.get(prefix);
  if (o) return o;
  let u: URL;
  try {
    u = new URL(prefix);
  } catch {
    throw new EgressError("refused", "refused: not a URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new EgressError("refused", `refused: ${u.protocol} URLs are not fetched`);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const literal = parseIp(host) !== null;
  o = {
    protocol: u.protocol,
    host,
    port: u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80,
    hostHeader: u.host,
    display: `${host.includes(":") ? `[${host}]` : host}:${u.port || (u.protocol === "https:" ? 443 : 80)}`,
    literal,
    refused: refusedHost(host),
    prefixLength: prefix.length,
    tls: !literal && u.protocol === "https:" ? { serverName: host } : undefined,
  };
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(prefix, o);
  return o;
}

/** Checks a URL's host as written (save time: no DNS); the reason it is refused, or null. */
export function refusedUrl(url: string): string | null {
  try {
    const o = originOf(url);
    return o.refused;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The checked address to send `url` to (throws EgressError: refused, DNS). */
export async function targetFor(url: string): Promise<Target> {
  const o = originOf(url);
  const display = o.display;
  if (o.refused) throw new EgressError("refused", `refused: ${o.host}: ${o.refused}`);
  if (o.literal) return { url, address: o.host, port: o.port, display, hostHeader: null };
  const r = await resolveChecked(o.host);
  const address = r.family === 6 ? `[${r.address}]` : r.address;
  return {
    url: `${o.protocol}//${address}:${o.port}${url.slice(o.prefixLength)}`,
    address: r.address,
    port: o.port,
    display,
    hostHeader: o.hostHeader,
    tls: o.tls,
  };
}

type Init = BunFetchRequestInit;
type HeaderBag = Record<string, string>;

function toRecord(h: Init["headers"]): HeaderBag {
  if (!h) return {};
  if (!(h instanceof Headers) && !Array.isArray(h)) return { ...(h as HeaderBag) };
  const out: HeaderBag = {};
  new Headers(h as HeadersInit).forEach((v, k) => (out[k] = v));
  return out;
}

/** The request as sent to the pinned address: its Host header and TLS name are the original host's. */
function pinned(init: Init, t: Target): Init {
  if (!t.hostHeader) return { ...init, redirect: "manual" };
  const headers = toRecord(init.headers);
  for (const k of Object.keys(headers)) if (k.toLowerCase() === "host") delete headers[k];
  headers.host = t.hostHeader;
  // the origin's own tls object when the caller gave none: one object per origin keeps requests comparable
  return {
    ...init,
    headers,
    redirect: "manual",
    tls: t.tls && init.tls ? { ...init.tls, ...t.tls } : (t.tls ?? init.tls),
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry a credential: never sent to where a redirect points. */
const CREDENTIAL = /^(authorization|proxy-authorization|cookie)$|key|token|secret|auth/i;

/** The kill switch: APIYI_UPSTREAM_CLIENT=fetch sends every request through Bun's fetch (read once). */
const H1 = upstreamClient() === "h1";

/** One request to a checked target, redirects not followed (a 3xx comes back as it is): through the
 * HTTP/1.1 client (net/h1/client.ts), or Bun's fetch for what that client leaves to it. */
export function fetchPinned(t: Target, init: H1Init & { [DIRECT_BODY]?: boolean }): Promise<Response> {
  if (H1) {
    const tls = t.tls && init.tls ? { ...init.tls, ...t.tls } : (t.tls ?? init.tls);
    const sent = h1Fetch(t, tls === init.tls ? init : { ...init, tls });
    if (sent) return sent;
  }
  return fetch(t.url, pinned({ ...init, signal: init.signal ? signalOf(init.signal) : init.signal }, t));
}

/** Where a 3xx pointed (scheme, host and port only: a path or query may carry a token), or null. */
function redirectOrigin(res: Response, from: string): string | null {
  const location = res.headers.get("location");
  if (!location) return null;
  try {
    return new URL(location, from).origin;
  } catch {
    return null;
  }
}

/** The refusal of a redirect that a call carrying a key or a prompt must not follow. */
export function redirectRefusal(res: Response, from: string): EgressError {
  const to = redirectOrigin(res, from);
  const where = to && to !== "null" ? `redirect to ${to} refused` : `redirect refused`;
  return new EgressError(
    "redirect",
    `${where}: the upstream answered ${res.status}, and calls that carry a key or a prompt never follow redirects`,
    res.status,
  );
}

export type GuardedOptions = {
  /** redirects to follow (default 0: a redirect is refused); only for GET/HEAD, each hop checked */
  maxRedirects?: number;
  /** told where each hop goes (for error messages about that hop) */
  onTarget?: (t: Target) => void;
};

/** fetch() through the guard. A redirect beyond `maxRedirects` (or of a request other than GET/HEAD)
 * throws EgressError("redirect") after discarding its body; a followed one goes through the guard
 * again, without credential headers. */
export async function guardedFetch(url: string, init: Init = {}, opts: GuardedOptions = {}): Promise<Response> {
  let current = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const t = await targetFor(current);
    opts.onTarget?.(t);
    const res = await fetchPinned(t, request);
    const location = REDIRECTS.has(res.status) ? res.headers.get("location") : null;
    if (location === null) return res;
    void res.body?.cancel().catch(() => {});
    const method = (request.method ?? "GET").toUpperCase();
    const next = redirectOrigin(res, current);
    if (hop >= (opts.maxRedirects ?? 0) || (method !== "GET" && method !== "HEAD") || !next)
      throw redirectRefusal(res, current);
    const headers = toRecord(request.headers);
    for (const k of Object.keys(headers)) if (CREDENTIAL.test(k)) delete headers[k];
    current = new URL(location, current).href;
    request = { ...request, headers };
  }
}

const TLS_CODES: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: "its certificate is not valid for this host name",
  DEPTH_ZERO_SELF_SIGNED_CERT: "it presents a self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "its certificate chain ends in an untrusted self-signed certificate",
  CERT_HAS_EXPIRED: "its certificate has expired",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate cannot be verified (missing intermediate?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its certificate's issuer is not trusted here",
  EPROTO: "the TLS handshake failed (does it speak TLS on this port?)",
};

/** A fetch failure in words an admin can act on, naming host:port (never the path or a key). */
export function describeFetchError(e: unknown, display: string): string {
  if (e instanceof EgressError) return e.message;
  const code = String((e as { code?: unknown })?.code ?? "");
  if (code === "ECONNREFUSED" || code === "ConnectionRefused") return `connection refused to ${display}`;
  if (TLS_CODES[code]) return `TLS: ${display}: ${TLS_CODES[code]}`;
  if (/CERT|TLS|SSL/i.test(code)) return `TLS: ${display}: ${code}`;
  if (code === "ECONNRESET" || code === "ConnectionClosed") return `connection to ${display} closed before an answer`;
  if (code === "ETIMEDOUT" || code === "ConnectionTimeout") return `timeout connecting to ${display}`;
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return `${display} is unreachable (${code})`;
  if (code === "ENOTFOUND") return `DNS: no such host ${display.replace(/:\d+$/, "")}`;
  return `network error talking to ${display}${code ? ` (${code})` : ""}`;
}
