// Buffer's byte search and latin1 decoding on any Uint8Array as it is. Wrapping one first with
// Buffer.from(u.buffer, u.byteOffset, u.byteLength) makes the engine build an ArrayBuffer object for a
// typed array that had none (a native allocation the collector pays for), once per chunk on the hot path.
const proto = Buffer.prototype;

/** Where `needle` first occurs in `bytes` at or after `from`, or -1. */
export const indexOfBytes = (bytes: Uint8Array, needle: Uint8Array, from = 0): number =>
  proto.indexOf.call(bytes, needle, from);

/** bytes[start, end) as latin1 text (one character per byte). */
export const latin1 = (bytes: Uint8Array, start: number, end: number): string =>
  proto.toString.call(bytes, "latin1", start, end);
