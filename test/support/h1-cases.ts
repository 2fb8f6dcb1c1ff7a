// Test support: generated HTTP/1.x responses for the h1 client's fuzz test, from a seeded PRNG: valid
// ones (any header case, optional whitespace, repeated fields, 1xx interim answers, bodies framed by
// Content-Length, chunked with random sizes, hex case, extensions and trailers, or by the close) and
// mutations of them (a byte changed, dropped or inserted, the bytes cut short, a line repeated).
import { prng } from "./prng";

export type Rand = () => number;

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function randomCase(r: Rand, name: string): string {
  return [...name].map((c) => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("");
}

function bodyBytes(r: Rand): Buffer {
  const n = pick(r, [0, 1, 5, 17, 100, 1000, 5000]);
  const b = Buffer.alloc(n);
  const binary = r() < 0.3;
  for (let i = 0; i < n; i++) b[i] = binary ? int(r, 256) : 32 + int(r, 95);
  return b;
}

function chunked(r: Rand, body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const size = Math.min(body.length - at, 1 + int(r, 300));
    let hex = size.toString(16);
    if (r() < 0.5) hex = hex.toUpperCase();
    if (r() < 0.2) hex = `00${hex}`;
    const ext = r() < 0.3 ? pick(r, [";a=b", ";x", ';name="quoted"', ";a=b;c"]) : "";
    parts.push(Buffer.from(`${hex}${ext}\r\n`), body.subarray(at, at + size), Buffer.from("\r\n"));
    at += size;
  }
  const trailers = r() < 0.3 ? `${randomCase(r, "x-trailer")}: done\r\n` : "";
  parts.push(Buffer.from(`0${r() < 0.2 ? ";end" : ""}\r\n${trailers}\r\n`));
  return Buffer.concat(parts);
}

/** A valid response: its bytes. The server closes the connection after writing them. */
export function validResponse(r: Rand): Buffer {
  const version = r() < 0.15 ? "1.0" : "1.1";
  const status = pick(r, [200, 200, 201, 204, 206, 301, 304, 400, 404, 429, 500, 503]);
  const reason = pick(r, ["OK", "", "Some Reason", "Ok then"]);
  let head = "";
  if (version === "1.1" && r() < 0.1) head += `HTTP/1.1 ${pick(r, [100, 103])} Interim\r\n\r\n`;
  head += `HTTP/${version} ${status}${reason || r() < 0.5 ? ` ${reason}` : ""}\r\n`;
  const ows = () => pick(r, ["", " ", "  ", "\t"]);
  for (let i = int(r, 5); i > 0; i--)
    head += `${randomCase(r, pick(r, ["x-request-id", "content-type", "x-multi", "date", "server"]))}:${ows()}v${int(r, 100)}${ows()}\r\n`;
  const body = bodyBytes(r);
  const noBody = status === 204 || status === 304;
  const framing = pick(r, ["length", "length", "chunked", "close"]);
  let payload: Buffer = body;
  if (noBody) payload = Buffer.alloc(0);
  else if (framing === "length") head += `${randomCase(r, "content-length")}: ${body.length}\r\n`;
  else if (framing === "chunked" && version === "1.1") {
    head += `${randomCase(r, "transfer-encoding")}: chunked\r\n`;
    payload = chunked(r, body);
  }
  return Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), payload]);
}

const JUNK = ["\r", "\n", " ", ":", "\0", "x", "\t", ";", "0", "\x7f", "\xff", "\r\n", " \r\n"];

/** A valid response with one mutation. */
export function mutatedResponse(r: Rand): Buffer {
  const b = validResponse(r);
  const at = int(r, b.length);
  switch (int(r, 5)) {
    case 0: {
      const c = Buffer.from(b);
      c[at] = int(r, 256);
      return c;
    }
    case 1:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    case 2:
      return Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, JUNK), "latin1"), b.subarray(at)]);
    case 3:
      return b.subarray(0, at);
    default: {
      const text = b.toString("latin1");
      const lines = text.split("\r\n");
      const i = int(r, Math.min(lines.length, 6));
      lines.splice(i, 0, lines[i] as string);
      return Buffer.from(lines.join("\r\n"), "latin1");
    }
  }
}

/** `count` cases, the first `valid` of them unmutated. */
export function fuzzCases(seed: number, count: number, valid: number): Buffer[] {
  const r = prng(seed);
  return Array.from({ length: count }, (_, i) => (i < valid ? validResponse(r) : mutatedResponse(r)));
}
