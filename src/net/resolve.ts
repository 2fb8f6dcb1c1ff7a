// Name → checked address, for every connection apiyi makes on someone's behalf. Answers are cached
// (fresh 30 s, then served while a lookup refreshes them in the background, up to 10 min), so a call
// waits on DNS only for a name it has not seen lately; failures are remembered for 5 s. Every answer
// is checked (core/egress.ts) before use, and the caller connects to exactly the address checked,
// so a name that changes its answer between check and connect (DNS rebinding) gains nothing.
import { parseIp, refusedAddress } from "../core/egress";

export type Resolver = (host: string) => Promise<string[]>;
export type Resolved = { address: string; family: 4 | 6 };

/** Why a name cannot be used: DNS failed, or it points at a refused address. Messages name the host
 * (for the admin's eyes: attempts log, channel status, Test result), never a key. */
export class EgressError extends Error {
  constructor(
    readonly kind: "dns" | "refused" | "redirect",
    message: string,
    /** the HTTP status that caused it (a redirect's 3xx), else 0 */
    readonly status = 0,
  ) {
    super(message);
  }
}

const FRESH_MS = 30_000;
const STALE_MS = 600_000;
const FAILED_MS = 5_000;

type Entry = { at: number; answer?: Resolved; error?: EgressError; refreshing?: boolean };
const cache = new Map<string, Entry>();
const inflight = new Map<string, Promise<Entry>>();
/** host → address pins (APIYI_RESOLVE / --resolve, like curl's --resolve); checked like DNS answers */
let pins = new Map<string, string>();

async function systemLookup(host: string): Promise<string[]> {
  const found = await Bun.dns.lookup(host, {});
  // IPv4 first: many hosts publish AAAA records a server without an IPv6 route cannot reach
  return found.sort((a, b) => a.family - b.family).map((r) => r.address);
}
let lookup: Resolver = systemLookup;

/** Pins given at start (`name=address` pairs) and, for tests, another resolver. Clears the cache. */
export function configureResolver(opts: { pins?: Record<string, string>; resolver?: Resolver }) {
  pins = new Map(Object.entries(opts.pins ?? {}).map(([h, a]) => [h.toLowerCase(), a]));
  lookup = opts.resolver ?? systemLookup;
  cache.clear();
}

function describeDnsError(host: string, e: unknown): EgressError {
  const code = (e as { code?: string })?.code ?? "";
  if (/ENOTFOUND|NXDOMAIN|NODATA|ENODATA/i.test(code)) return new EgressError("dns", `DNS: no such host ${host}`);
  if (/TIMEOUT/i.test(code)) return new EgressError("dns", `DNS: lookup of ${host} timed out`);
  return new EgressError("dns", `DNS: lookup of ${host} failed${code ? ` (${code})` : ""}`);
}

/** The checked answer for one lookup: every address must pass (a name that lists a metadata
 * address among others is not trusted with the rest). */
function checkAnswer(host: string, addresses: string[]): Entry {
  const at = Date.now();
  if (!addresses.length) return { at, error: new EgressError("dns", `DNS: no address for ${host}`) };
  for (const a of addresses) {
    const ip = parseIp(a);
    const why = ip ? refusedAddress(ip) : `"${a}" is not an address`;
    if (why) return { at, error: new EgressError("refused", `refused: ${host} resolves to ${a}; ${why}`) };
  }
  const address = addresses[0];
  return { at, answer: { address, family: address.includes(":") ? 6 : 4 } };
}

function refresh(host: string): Promise<Entry> {
  let p = inflight.get(host);
  if (!p) {
    const pinned = pins.get(host);
    p = (pinned ? Promise.resolve([pinned]) : lookup(host))
      .then(
        (addresses) => checkAnswer(host, addresses),
        (e) => ({ at: Date.now(), error: describeDnsError(host, e) }),
      )
      .then((entry) => {
        const known = cache.get(host);
        // a failed refresh keeps a good answer that is not too old yet; a refusal always wins
        const keep = entry.error?.kind === "dns" && known?.answer && Date.now() - known.at < STALE_MS;
        if (!keep) cache.set(host, entry);
        inflight.delete(host);
        return keep ? known! : entry;
      });
    inflight.set(host, p);
  }
  return p;
}

/** A name → the checked address to connect to (throws EgressError). `host` is a name, not an IP. */
export async function resolveChecked(host: string, now = Date.now()): Promise<Resolved> {
  const key = host.toLowerCase();
  let entry = cache.get(key);
  const age = entry ? now - entry.at : Infinity;
  if (!entry || (entry.error && age >= FAILED_MS) || age >= STALE_MS) entry = await refresh(key);
  else if (entry.answer && age >= FRESH_MS) void refresh(key); // serve the known answer meanwhile
  if (entry.error) throw entry.error;
  return entry.answer!;
}
