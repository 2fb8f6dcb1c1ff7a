// Which addresses apiyi may call on someone's behalf (upstream channels today; webhooks and files an
// upstream points to later). Link-local and cloud-metadata addresses are refused in every spelling;
// loopback and private ranges stay allowed (an admin's own vLLM or Ollama). Pure: net/egress.ts does
// the resolving and connecting.

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), and whether it was written as IPv4. */
export type ParsedIp = { bytes: Uint8Array; v4: boolean };

/** One IPv4 part as inet_aton reads it: 0x… hex, 0… octal, else decimal. */
function v4Part(text: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(text)) return text.length === 2 ? 0 : parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return null;
}

/** IPv4 in every form inet_aton and the URL standard accept: a.b.c.d, a.b.c (c = 16 bits), a.b
 * (b = 24 bits), a (32 bits), each part decimal, octal or hex; one trailing dot allowed. */
export function parseIpv4(text: string): number | null {
  const parts = text.replace(/\.$/, "").split(".");
  if (parts.length > 4 || parts.some((p) => p === "")) return null;
  const nums = parts.map(v4Part);
  if (nums.some((n) => n === null || !Number.isFinite(n))) return null;
  const values = nums as number[];
  const last = values.pop()!;
  if (values.some((n) => n > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((acc, n, i) => acc + n * 2 ** (8 * (3 - i)), 0) + last;
}

/** IPv6 (with an embedded dotted IPv4 at the end, and a %zone) → 16 bytes. */
function parseIpv6(text: string): Uint8Array | null {
  let s = text.replace(/%.*$/, "");
  const bytes = new Uint8Array(16);
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tailV4: number | null = null;
  if (dotted) {
    tailV4 = parseIpv4(dotted[2]);
    if (tailV4 === null || !/^\d+\.\d+\.\d+\.\d+$/.test(dotted[2])) return null;
    s = `${dotted[1]}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return null;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill("0"), ...tail];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/i.test(all[i])) return null;
    const g = parseInt(all[i], 16);
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  }
  if (tailV4 !== null) for (let i = 0; i < 4; i++) bytes[12 + i] = (tailV4 >>> (8 * (3 - i))) & 0xff;
  return bytes;
}

const v4Bytes = (n: number) => {
  const b = new Uint8Array(16);
  b[10] = b[11] = 0xff;
  for (let i = 0; i < 4; i++) b[12 + i] = (n >>> (8 * (3 - i))) & 0xff;
  return b;
};

/** A host as written in a URL or returned by DNS ("[::1]", "0x7f000001", "fe80::1%eth0") → the
 * address; null when it is a name. */
export function parseIp(host: string): ParsedIp | null {
  const h = host.trim().replace(/^\[(.*)\]$/, "$1");
  if (h.includes(":")) {
    const bytes = parseIpv6(h);
    return bytes && { bytes, v4: false };
  }
  const n = parseIpv4(h);
  return n === null ? null : { bytes: v4Bytes(n), v4: true };
}

const startsWith = (b: Uint8Array, prefix: number[], bits: number) => {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((b[byte] & mask) !== (prefix[byte] & mask)) return false;
  }
  return true;
};

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64
 * 64:ff9b::a.b.c.d, SIIT ::ffff:0:a.b.c.d, 6to4 2002:AABB:CCDD::), or null. */
function embeddedV4(b: Uint8Array): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const at = (i: number) => [b[i], b[i + 1], b[i + 2], b[i + 3]];
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return at(12);
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return at(12);
  if (zeros(0, 12) && !zeros(12, 15)) return at(12); // ::a.b.c.d, but not :: or ::1
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b], 32) && zeros(4, 12)) return at(12);
  if (b[0] === 0x20 && b[1] === 0x02) return at(2);
  return null;
}

function refusedV4([a, b, c, d]: number[]): string | null {
  if (a === 169 && b === 254)
    return `${a}.${b}.${c}.${d} is link-local (169.254.0.0/16, where cloud metadata services answer)`;
  if (a === 100 && b === 100 && c === 100 && d === 200) return "100.100.100.200 is a cloud metadata address";
  return null;
}

const FD00_EC2_254 = parseIpv6("fd00:ec2::254")!;

/** Why apiyi must not connect to this address, or null when it may. */
export function refusedAddress(ip: ParsedIp): string | null {
  const b = ip.bytes;
  const v4 = ip.v4 ? [b[12], b[13], b[14], b[15]] : embeddedV4(b);
  if (v4) return refusedV4(v4);
  if (startsWith(b, [0xfe, 0x80], 10)) return "the address is IPv6 link-local (fe80::/10)";
  if (b.every((x, i) => x === FD00_EC2_254[i])) return "fd00:ec2::254 is a cloud metadata address";
  return null;
}

/** Host names of metadata services (they resolve to refused addresses inside those clouds). */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog"]);

/** Why a host as written (a name or any spelling of an address) must not be called, or null. A
 * name may still resolve to a refused address: that is checked after resolution. */
export function refusedHost(host: string): string | null {
  const ip = parseIp(host);
  if (ip) return refusedAddress(ip);
  const name = host.trim().toLowerCase().replace(/\.$/, "");
  return METADATA_NAMES.has(name) ? `${name} is a cloud metadata service` : null;
}

/** IPv4 ranges that are not the public internet: [first octets, prefix bits, what it is]. */
const NON_PUBLIC_V4: [number[], number, string][] = [
  [[0], 8, "this network (0.0.0.0/8)"],
  [[10], 8, "private (10.0.0.0/8)"],
  [[100, 64], 10, "shared address space (100.64.0.0/10)"],
  [[127], 8, "loopback (127.0.0.0/8)"],
  [[169, 254], 16, "link-local (169.254.0.0/16)"],
  [[172, 16], 12, "private (172.16.0.0/12)"],
  [[192, 0, 0], 24, "IETF protocol assignments (192.0.0.0/24)"],
  [[192, 168], 16, "private (192.168.0.0/16)"],
  [[198, 18], 15, "benchmarking (198.18.0.0/15)"],
  [[224], 4, "multicast (224.0.0.0/4)"],
  [[240], 4, "reserved (240.0.0.0/4)"],
];

const NON_PUBLIC_V6: [number[], number, string][] = [
  [[0xfc], 7, "unique local (fc00::/7)"],
  [[0xfe, 0x80], 10, "link-local (fe80::/10)"],
  [[0xff], 8, "multicast (ff00::/8)"],
];

/** Why an address is not a public one (stricter than `refusedAddress`: for what users point apiyi at,
 * such as their webhooks), or null when it is public. */
export function nonPublicAddress(ip: ParsedIp): string | null {
  const b = ip.bytes;
  const v4 = ip.v4 ? [b[12], b[13], b[14], b[15]] : embeddedV4(b);
  if (v4) {
    const hit = NON_PUBLIC_V4.find(([p, bits]) => startsWith(Uint8Array.from(v4), p, bits));
    return hit ? `the address is ${hit[2]}, not public` : refusedV4(v4);
  }
  if (b.every((x) => x === 0)) return "the address is unspecified (::), not public";
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return "the address is loopback (::1), not public";
  const hit = NON_PUBLIC_V6.find(([p, bits]) => startsWith(b, p, bits));
  return hit ? `the address is ${hit[2]}, not public` : null;
}

/** Names that only ever mean this machine or a private network. */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/;

/** Why a host as written must not receive a user's request (public addresses only), or null. A
 * name is checked again once resolved, at send time. */
export function nonPublicHost(host: string): string | null {
  const ip = parseIp(host);
  if (ip) return nonPublicAddress(ip);
  const name = host.trim().toLowerCase().replace(/\.$/, "");
  if (PRIVATE_NAME.test(name)) return `${name} is a local or private name, not public`;
  return refusedHost(host);
}

/** Whether an address is loopback (127.0.0.0/8, ::1), for the test-only exception. */
export function isLoopback(ip: ParsedIp): boolean {
  const b = ip.bytes;
  if (ip.v4 || embeddedV4(b)) return (ip.v4 ? b[12] : embeddedV4(b)![0]) === 127;
  return b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}
