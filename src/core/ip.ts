// IP allowlists: parse IPv4/IPv6 addresses and CIDRs, and test an address against a list. Pure.
import { isIP } from "node:net";

export type Cidr = { v: 4 | 6; bits: bigint; prefix: number };

function toBigInt(ip: string): { v: 4 | 6; bits: bigint } | null {
  const kind = isIP(ip);
  if (kind === 4) {
    return { v: 4, bits: ip.split(".").reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (kind !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return toBigInt(mapped[1]); // an IPv4 client seen through a dual-stack socket
  const [head, tail = ""] = ip.includes("::") ? ip.split("::") : [ip, ""];
  const expand = (s: string) => (s ? s.split(":") : []);
  const h = expand(head);
  const t = expand(tail);
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return { v: 6, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** "10.0.0.0/8", "::1", "192.168.1.7" → Cidr; null when it is neither an IP nor a CIDR. */
export function parseCidr(entry: string): Cidr | null {
  const [addr, len, extra] = entry.trim().split("/");
  if (extra !== undefined || addr.includes("%")) return null;
  const ip = toBigInt(addr);
  if (!ip) return null;
  const max = ip.v === 4 ? 32 : 128;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return null;
  const prefix = len === undefined ? max : Number(len);
  if (prefix > max) return null;
  const shift = BigInt(max - prefix);
  return { v: ip.v, bits: (ip.bits >> shift) << shift, prefix };
}

export function ipInList(ip: string, list: Cidr[]): boolean {
  const addr = toBigInt(ip);
  if (!addr) return false;
  const max = addr.v === 4 ? 32 : 128;
  return list.some((c) => {
    if (c.v !== addr.v) return false;
    const shift = BigInt(max - c.prefix);
    return (addr.bits >> shift) << shift === c.bits;
  });
}

/** "::ffff:10.1.2.3" → "10.1.2.3": how people write the address of an IPv4 client. */
export const plainIp = (ip: string) => (ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip);

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy. Untrusted peers cannot spoof it.
 */
export function clientIp(peer: string, forwardedFor: string | null, trusted: Cidr[]): string {
  const direct = plainIp(peer);
  if (!forwardedFor || trusted.length === 0 || !ipInList(direct, trusted)) return direct;
  const hops = forwardedFor
    .split(",")
    .map((h) => plainIp(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (parseCidr(hops[i]) === null) return direct; // garbage in the header: trust only the socket
    if (!ipInList(hops[i], trusted)) return hops[i];
  }
  return hops[0] ?? direct;
}
