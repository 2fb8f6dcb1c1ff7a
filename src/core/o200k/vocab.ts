// The o200k_base vocabulary in typed arrays: the file scripts/gen-o200k.ts writes (one length byte
// per rank, then every rank's bytes in rank order) and an open-addressing hash table over it, built
// once on load: about 3.9 MB in all, none of it JS objects. A token is known by where its bytes
// start in the file, which orders tokens as their ranks do: BPE needs that order, never the rank.
const MAGIC = "O2KB";
const HEADER = 8;
const EMPTY = 0; // no token starts inside the header
const OFFSET_BITS = 21; // the file stays under 2 MB
const OFFSET_MASK = (1 << OFFSET_BITS) - 1;

/** FNV-1a over bytes [start, end), with a final mix so the low bits spread well. */
export function hashOf(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** What a slot holds besides the offset: the length and the hash's top 3 bits, so that most
 * probes that miss never read the file. */
const checkOf = (hash: number, len: number) => ((hash >>> 29) << 8) | len;

export class Vocab {
  private readonly file: Uint8Array;
  /** offset | check << OFFSET_BITS per slot, EMPTY when free */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** the two-byte tokens by (first << 8) | second: BPE's first lookups, without hashing */
  private readonly pairs = new Int32Array(65536).fill(-1);

  constructor(file: Uint8Array) {
    if (new TextDecoder().decode(file.subarray(0, 4)) !== MAGIC) throw new Error("not an o200k vocabulary file");
    const count = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(4, true);
    let end = HEADER + count;
    for (let r = 0; r < count; r++) end += file[HEADER + r];
    if (end !== file.length || end > OFFSET_MASK) throw new Error("o200k vocabulary file of the wrong length");
    this.file = file;
    let size = 1;
    while (size < count * 2.5) size <<= 1; // load factor under 0.4: short probe runs
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let at = HEADER + count;
    for (let r = 0; r < count; r++) {
      const len = file[HEADER + r]; // 0: an absent rank
      if (len === 2) this.pairs[(file[at] << 8) | file[at + 1]] = at;
      const hash = hashOf(file, at, at + len);
      let slot = hash & this.mask;
      while (len && this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      if (len) this.slots[slot] = at | (checkOf(hash, len) << OFFSET_BITS);
      at += len;
    }
  }

  /** The token whose bytes are exactly buf[start, end) (its offset in the file), or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len === 2) return this.pairs[(buf[start] << 8) | buf[start + 1]];
    const hash = hashOf(buf, start, end);
    const check = checkOf(hash, len);
    const file = this.file;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === EMPTY) return -1;
      if (entry >>> OFFSET_BITS !== check) continue;
      const from = entry & OFFSET_MASK;
      let i = 0;
      while (i < len && file[from + i] === buf[start + i]) i++;
      if (i === len) return from;
    }
  }
}
