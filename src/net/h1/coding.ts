// Content-Encoding of a reply. apiyi asks for none (no accept-encoding), but an upstream may compress
// anyway, and Bun's fetch, which callers of the HTTP/1.1 client used to get, decodes gzip, deflate and
// br: so the client decodes them too, a whole body at once or a streamed one as it comes (node:zlib).
// Another coding (or several) is passed on as it is, with its header, as fetch does.
import zlib from "node:zlib";
import { h1Error } from "./errors";
import { fieldOf } from "./head";

export type Coding = "gzip" | "deflate" | "br";
export type Emit = (bytes: Uint8Array) => void;

/** The coding the client decodes, or null (none, identity, or one it leaves as it is). */
export function codingOf(fields: [string, string][]): Coding | null {
  const v = fieldOf(fields, "content-encoding")?.trim().toLowerCase();
  if (v === "gzip" || v === "x-gzip") return "gzip";
  return v === "deflate" || v === "br" ? v : null;
}

const badBody = (e: unknown) =>
  h1Error("DecompressionError", `the upstream's compressed body could not be decoded: ${(e as Error).message}`);

/** A whole body, decoded (throws a coded error when it is not what its coding says). */
export function decodeWhole(coding: Coding, bytes: Uint8Array): Uint8Array {
  try {
    if (coding === "gzip") return zlib.gunzipSync(bytes);
    if (coding === "br") return zlib.brotliDecompressSync(bytes);
    return zlib.inflateSync(bytes);
  } catch (e) {
    throw badBody(e);
  }
}

/** Where a response's body bytes go (net/h1/stream.ts's stream, or source.ts's chunk source). */
export interface BodySink {
  push: Emit;
  close(): void;
  error(e: unknown): void;
  pauseIfFull(): void;
}

/** `sink` behind a decoder: coded bytes in, decoded bytes on to `sink`, which closes once they are all out. */
export function decodedSink(coding: Coding, sink: BodySink): BodySink {
  const d = new Decoder(
    coding,
    sink.push,
    () => sink.close(),
    (e) => sink.error(e),
  );
  return {
    push: d.write,
    close: () => d.end(),
    error: (e) => {
      d.destroy();
      sink.error(e);
    },
    pauseIfFull: () => sink.pauseIfFull(),
  };
}

/** A streamed body decoded as it comes: `write` the coded bytes, `end` when they are all in; `out` hears
 * the decoded ones, then `done` once, or `failed` once. */
class Decoder {
  private readonly z: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

  constructor(coding: Coding, out: Emit, done: () => void, failed: (e: unknown) => void) {
    this.z =
      coding === "gzip" ? zlib.createGunzip() : coding === "br" ? zlib.createBrotliDecompress() : zlib.createInflate();
    this.z.on("data", (b: Buffer) => out(b));
    this.z.on("end", done);
    this.z.on("error", (e) => failed(badBody(e)));
  }

  write = (bytes: Uint8Array): void => {
    this.z.write(bytes);
  };

  end(): void {
    this.z.end();
  }

  destroy(): void {
    this.z.destroy();
  }
}
