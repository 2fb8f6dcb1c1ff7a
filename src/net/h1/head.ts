// The head of an HTTP/1.x response (status line and header fields, read as latin1 as node does): the
// status, the fields in order (repeated ones are appended to a Headers, which joins them with ", " as
// fetch does, Set-Cookie kept apart), and how the body is framed. Strict where leniency lets a
// response be read two ways: obs-fold, a space before the colon, control characters, a bad or
// repeated Content-Length, Content-Length together with Transfer-Encoding, or a transfer coding
// other than "chunked" are errors (HPE_… codes, as llhttp names them).
import { parseError } from "./errors";

export type Framing = "none" | "length" | "chunked" | "close";

export type Head = {
  version: 0 | 1;
  status: number;
  statusText: string;
  fields: [string, string][];
  framing: Framing;
  /** body bytes when framing is "length" */
  length: number;
  /** the connection cannot carry another request after this response */
  close: boolean;
};

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// any control character but HTAB, and DEL
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
export const CTL = /[\x00-\x08\x0a-\x1f\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
const HEAD_CTL = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a reason phrase without control characters
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;

/** The value of header field `name` (lower case) among `fields`, the first that has it, or null. */
export function fieldOf(fields: [string, string][], name: string): string | null {
  for (const [k, v] of fields) if (k.length === name.length && k.toLowerCase() === name) return v;
  return null;
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(",")
    .map((t) => t.trim());
}

/** Parses the head (`text`: the bytes up to, without, the blank line). `method`: the request's. */
export function parseHead(text: string, method: string): Head {
  // once for the whole head: a control character (a lone CR or LF too) anywhere but in a CRLF
  if (HEAD_CTL.test(text)) throw parseError("HPE_INVALID_HEADER_TOKEN", "control character in a header value");
  const lines = text.split("\r\n");
  const m = STATUS_LINE.exec(lines[0] as string);
  if (!m) throw parseError("HPE_INVALID_CONSTANT", "bad status line");
  const version = m[1] === "1" ? 1 : 0;
  const status = Number(m[2]);
  if (status < 100) throw parseError("HPE_INVALID_STATUS", "bad status code");
  const fields: [string, string][] = [];
  let length = -1;
  let te: string | null = null;
  let connection = "";
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) throw parseError("HPE_INVALID_HEADER_TOKEN", "folded header line (obs-fold)");
    const colon = line.indexOf(":");
    if (colon <= 0) throw parseError("HPE_INVALID_HEADER_TOKEN", "header line without a name");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw parseError("HPE_INVALID_HEADER_TOKEN", "bad header name");
    // the value without the spaces and tabs around it (by hand: a regex replace cost a µs a head)
    let from = colon + 1;
    let to = line.length;
    while (from < to && (line.charCodeAt(from) === 32 || line.charCodeAt(from) === 9)) from++;
    while (to > from && (line.charCodeAt(to - 1) === 32 || line.charCodeAt(to - 1) === 9)) to--;
    const value = line.slice(from, to);
    fields.push([name, value]);
    const lower = name.length === 14 || name.length === 17 || name.length === 10 ? name.toLowerCase() : "";
    if (lower === "content-length") {
      if (!/^\d{1,15}$/.test(value)) throw parseError("HPE_INVALID_CONTENT_LENGTH", "bad Content-Length");
      if (length >= 0) throw parseError("HPE_UNEXPECTED_CONTENT_LENGTH", "repeated Content-Length");
      length = Number(value);
    } else if (lower === "transfer-encoding") {
      te = te === null ? value : `${te}, ${value}`;
    } else if (lower === "connection") {
      connection = connection ? `${connection}, ${value}` : value;
    }
  }
  const conn = connection ? tokens(connection) : [];
  const close = conn.includes("close") || (version === 0 && !conn.includes("keep-alive"));
  const head: Head = { version, status, statusText: m[3] ?? "", fields, framing: "none", length: 0, close };
  if (te !== null) {
    if (length >= 0) throw parseError("HPE_UNEXPECTED_CONTENT_LENGTH", "Content-Length with Transfer-Encoding");
    const codings = tokens(te);
    if (codings.length !== 1 || codings[0] !== "chunked")
      throw parseError("HPE_INVALID_TRANSFER_ENCODING", `unsupported Transfer-Encoding "${te}"`);
  }
  // RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304, whatever the fields say
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) return head;
  if (te !== null) head.framing = "chunked";
  else if (length >= 0) {
    head.framing = length === 0 ? "none" : "length";
    head.length = length;
  } else {
    head.framing = "close";
    head.close = true;
  }
  return head;
}
