// Writing a request for the HTTP/1.1 client: the request line, the headers, and a body held in memory,
// as one buffer (or head and body apart when the body is large). Returns null for what this client
// leaves to Bun's fetch: bodies that are not a string or bytes (FormData, Blob, ReadableStream,
// URLSearchParams: fetch writes their multipart boundary or streams them), Bun-only fetch options
// (timeout, proxy, unix, decompress, verbose…), TLS options other than serverName, ca,
// rejectUnauthorized, cert and key, the CONNECT method or an Upgrade header, and header names or
// values fetch would refuse (fetch then throws its own TypeError).
// Host is the target's original host; Content-Length, Transfer-Encoding, Connection and
// Accept-Encoding from the caller are dropped (no compressed answers: nothing here decompresses).
import { DIRECT_BODY } from "./source";
import type { Target } from "../egress";
import { TOKEN } from "./head";

export type Prepared = {
  method: string;
  /** head and body in one buffer, or the head alone when the body is written apart */
  head: Uint8Array;
  body: Uint8Array | null;
  idempotent: boolean;
  /** a 2xx body is wanted as a ChunkSource (net/h1/source.ts), not a stream */
  direct: boolean;
  /** the pool's key: address, port and TLS settings */
  key: string;
  tls: TlsSettings | null;
};

export type TlsSettings = {
  serverName?: string;
  ca?: string | string[];
  rejectUnauthorized?: boolean;
  cert?: string;
  key?: string;
};

/** init options this client understands; any other one (Bun's own) goes to fetch */
const KNOWN = new Set(["method", "headers", "body", "signal", "redirect", "tls", "keepalive", "credentials", "mode"]);
const TLS_KNOWN = new Set(["serverName", "ca", "rejectUnauthorized", "cert", "key"]);
const DROPPED = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "accept-encoding"]);
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
// biome-ignore lint/suspicious/noControlCharactersInRegex: what a header value must not hold (as fetch)
const BAD_VALUE = /[\x00\r\n]|[^\x00-\xff]/;
/** a path fetch would re-encode (spaces, non-ASCII): left to fetch */
const UNUSUAL_PATH = /[^\x21-\x7e]/;
/** bodies up to this size are written with the head in one buffer */
const JOIN_BELOW = 64 * 1024;
const USER_AGENT = `Bun/${Bun.version}`;

/** A body other than text as bytes: null for none, undefined for what fetch must send. */
function bodyBytes(body: unknown): Uint8Array | null | undefined {
  if (body === undefined || body === null) return null;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

function tlsSettings(t: Target, tls: unknown): TlsSettings | null | undefined {
  if (!t.url.startsWith("https:")) return null;
  const given = (tls ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(given)) if (given[k] !== undefined && !TLS_KNOWN.has(k)) return undefined;
  const ca = given.ca;
  if (ca !== undefined && typeof ca !== "string" && !(Array.isArray(ca) && ca.every((c) => typeof c === "string")))
    return undefined;
  if (
    (given.cert !== undefined && typeof given.cert !== "string") ||
    (given.key !== undefined && typeof given.key !== "string")
  )
    return undefined;
  return given as TlsSettings;
}

/** "host[:port]" of the URL as written (the Host header of a request to an address literal). */
function authority(url: string): string | null {
  const start = url.indexOf("//") + 2;
  let end = url.indexOf("/", start);
  if (end < 0) end = url.length;
  const q = url.indexOf("?", start);
  if (q >= 0 && q < end) end = q;
  const a = url.slice(start, end).toLowerCase();
  if (a.includes("@")) return null;
  const https = url.startsWith("https:");
  return a.endsWith(https ? ":443" : ":80") ? a.slice(0, a.lastIndexOf(":")) : a;
}

function pathOf(url: string): string {
  const start = url.indexOf("//") + 2;
  let path = url.slice(url.slice(start).search(/[/?#]|$/) + start);
  const hash = path.indexOf("#");
  if (hash >= 0) path = path.slice(0, hash);
  return path === "" ? "/" : path.startsWith("?") ? `/${path}` : path;
}

/** A URL's host (as written) and path, worked out once per URL string (a relay sends to few). */
type UrlParts = { authority: string | null; path: string; unusual: boolean };
const urlParts = new Map<string, UrlParts>();
function partsOf(url: string): UrlParts {
  let p = urlParts.get(url);
  if (!p) {
    const path = pathOf(url);
    p = { authority: authority(url), path, unusual: UNUSUAL_PATH.test(path) };
    if (urlParts.size >= 1000) urlParts.clear();
    urlParts.set(url, p);
  }
  return p;
}

/** A header name in lower case, or null when it is not a token (checked once per name). */
const names = new Map<string, string | null>();
function lowerName(name: string): string | null {
  let lower = names.get(name);
  if (lower === undefined) {
    lower = TOKEN.test(name) ? name.toLowerCase() : null;
    if (names.size >= 1000) names.clear();
    names.set(name, lower);
  }
  return lower;
}

/** The request as bytes, or null when Bun's fetch must send it. `init` is after egress's pinning. */
export function prepare(t: Target, init: Omit<BunFetchRequestInit, "signal">): Prepared | null {
  for (const k in init) if (!KNOWN.has(k) && (init as Record<string, unknown>)[k] !== undefined) return null;
  const method = (init.method ?? "GET").toUpperCase();
  if (method === "CONNECT" || !TOKEN.test(method)) return null;
  // a text body is encoded straight into the request's buffer (below), not on its own first
  const text = typeof init.body === "string" ? init.body : null;
  const body = text === null ? bodyBytes(init.body) : null;
  const length = text === null ? (body?.length ?? 0) : Buffer.byteLength(text, "utf8");
  if (body === undefined || ((text !== null || body !== null) && (method === "GET" || method === "HEAD"))) return null;
  const tls = tlsSettings(t, init.tls);
  if (tls === undefined) return null;
  const url = partsOf(t.url);
  const host = t.hostHeader ?? url.authority;
  if (!host || url.unusual) return null;
  let head = `${method} ${url.path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
  let hasAccept = false;
  let hasAgent = false;
  let hasType = false;
  const add = (name: string, value: string): boolean => {
    const lower = lowerName(name);
    if (lower === null || BAD_VALUE.test(value)) return false;
    if (lower === "upgrade") return false;
    if (DROPPED.has(lower)) return true;
    if (lower === "accept") hasAccept = true;
    else if (lower === "user-agent") hasAgent = true;
    else if (lower === "content-type") hasType = true;
    head += `${name}: ${value.trim()}\r\n`;
    return true;
  };
  const h = init.headers;
  if (h instanceof Headers) {
    let ok = true;
    h.forEach((v, k) => {
      ok &&= add(k, v);
    });
    if (!ok) return null;
  } else if (Array.isArray(h)) {
    for (const pair of h) if (pair.length !== 2 || !add(String(pair[0]), String(pair[1]))) return null;
  } else if (h) {
    for (const k in h) if (!add(k, String((h as Record<string, string>)[k]))) return null;
  }
  // what fetch adds when the caller did not say
  if (!hasAccept) head += "accept: */*\r\n";
  if (!hasAgent) head += `user-agent: ${USER_AGENT}\r\n`;
  if (!hasType && text !== null) head += "content-type: text/plain;charset=UTF-8\r\n";
  if (text !== null || body) head += `content-length: ${length}\r\n`;
  else if (method === "POST" || method === "PUT" || method === "PATCH") head += "content-length: 0\r\n";
  head += "\r\n";
  const tlsKey = tls
    ? `|${tls.serverName ?? ""}|${tls.rejectUnauthorized === false ? 0 : 1}|${tls.ca ?? ""}|${tls.cert ?? ""}`
    : "";
  const joined = length > 0 && length < JOIN_BELOW;
  return {
    method,
    head: joined ? headWithBody(head, text ?? (body as Uint8Array), length) : Buffer.from(head, "latin1"),
    body: joined || length === 0 ? null : text !== null ? Buffer.from(text, "utf8") : body,
    idempotent: IDEMPOTENT.has(method),
    direct: (init as { [DIRECT_BODY]?: boolean })[DIRECT_BODY] === true,
    key: `${t.address}|${t.port}${tlsKey}`,
    tls,
  };
}

/** Head (latin1: every character is one byte) and body of `length` bytes in one buffer, one copy each. */
function headWithBody(head: string, body: string | Uint8Array, length: number): Uint8Array {
  const joined = Buffer.allocUnsafe(head.length + length);
  joined.write(head, 0, "latin1");
  if (typeof body === "string") joined.write(body, head.length, "utf8");
  else joined.set(body, head.length);
  return joined;
}
