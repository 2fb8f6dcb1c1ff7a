// The body decoders of an HTTP/1.x response: by Content-Length, chunked (extensions skipped, trailers
// read and dropped, as fetch drops them), or until the connection closes. Each takes the socket's
// bytes as they come and hands on the body's bytes (views into the given buffers, never copied);
// `feed` returns how many bytes it used (the rest belongs to the next response) or throws an HPE_ error.
import { latin1 } from "../bytes";
import { parseError } from "./errors";
import { CTL, type Head, TOKEN } from "./head";

export type Emit = (bytes: Uint8Array) => void;

export interface BodyDecoder {
  /** uses bytes from `buf`, emitting body bytes; returns the count used (all of them unless done) */
  feed(buf: Uint8Array, emit: Emit): number;
  done: boolean;
  /** the connection closed: whether that ends the body properly */
  endsAtClose: boolean;
}

class LengthBody implements BodyDecoder {
  done = false;
  endsAtClose = false;
  constructor(private remaining: number) {}
  feed(buf: Uint8Array, emit: Emit): number {
    const n = Math.min(this.remaining, buf.length);
    if (n > 0) emit(n === buf.length ? buf : buf.subarray(0, n));
    this.remaining -= n;
    this.done = this.remaining === 0;
    return n;
  }
}

class CloseBody implements BodyDecoder {
  done = false;
  endsAtClose = true;
  feed(buf: Uint8Array, emit: Emit): number {
    if (buf.length > 0) emit(buf);
    return buf.length;
  }
}

const CR = 13;
const LF = 10;
/** a chunk-size line (size and extensions) or a trailer line longer than this is refused */
const MAX_LINE = 16 * 1024;
const MAX_TRAILERS = 64 * 1024;
const HEX = /^([0-9A-Fa-f]{1,16})[ \t]*(?:;.*)?$/;

enum S {
  Size,
  Data,
  DataEnd,
  Trailer,
}

class ChunkedBody implements BodyDecoder {
  done = false;
  endsAtClose = false;
  private state = S.Size;
  private remaining = 0;
  /** a line being gathered (chunk size, trailer), as latin1 */
  private line = "";
  private trailerBytes = 0;

  /** Gathers a line; returns the index after its LF, or -1 (line continues in the next buffer). */
  private gather(buf: Uint8Array, at: number): number {
    const lf = buf.indexOf(LF, at);
    const end = lf < 0 ? buf.length : lf;
    this.line += latin1(buf, at, end);
    if (this.line.length > MAX_LINE) throw parseError("HPE_CHUNK_EXTENSIONS_OVERFLOW", "chunk line too long");
    if (lf < 0) return -1;
    if (this.line.charCodeAt(this.line.length - 1) !== CR) throw parseError("HPE_STRICT", "bare LF in chunked body");
    this.line = this.line.slice(0, -1);
    return lf + 1;
  }

  feed(buf: Uint8Array, emit: Emit): number {
    let i = 0;
    while (i < buf.length && !this.done) {
      if (this.state === S.Data) {
        const n = Math.min(this.remaining, buf.length - i);
        emit(buf.subarray(i, i + n));
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = S.DataEnd;
      } else if (this.state === S.DataEnd) {
        // the CRLF after a chunk's data, byte by byte (it may be split between reads)
        const b = buf[i++];
        if (this.line === "" && b === CR) this.line = "\r";
        else if (this.line === "\r" && b === LF) {
          this.line = "";
          this.state = S.Size;
        } else throw parseError("HPE_STRICT", "no CRLF after chunk data");
      } else {
        const next = this.gather(buf, i);
        if (next < 0) return buf.length;
        i = next;
        const line = this.line;
        this.line = "";
        if (this.state === S.Size) {
          const m = HEX.exec(line);
          if (!m || CTL.test(line)) throw parseError("HPE_INVALID_CHUNK_SIZE", "bad chunk size");
          const size = Number.parseInt(m[1] as string, 16);
          if (!Number.isSafeInteger(size)) throw parseError("HPE_INVALID_CHUNK_SIZE", "chunk size too large");
          this.remaining = size;
          this.state = size === 0 ? S.Trailer : S.Data;
        } else if (line === "") this.done = true;
        else {
          this.trailerBytes += line.length + 2;
          if (this.trailerBytes > MAX_TRAILERS) throw parseError("HPE_HEADER_OVERFLOW", "trailers too long");
          if (!TOKEN.test(line.slice(0, Math.max(0, line.indexOf(":")))))
            throw parseError("HPE_INVALID_HEADER_TOKEN", "bad trailer line");
        }
      }
    }
    return i;
  }
}

/** The decoder for a response's body, or null when it has none. */
export function bodyDecoder(head: Head): BodyDecoder | null {
  if (head.framing === "length") return new LengthBody(head.length);
  if (head.framing === "chunked") return new ChunkedBody();
  if (head.framing === "close") return new CloseBody();
  return null;
}
