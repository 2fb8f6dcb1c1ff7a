// Writes src/core/o200k/o200k.bin, the o200k_base vocabulary the server counts tokens with
// (src/core/o200k/), from gpt-tokenizer's ranks (a pinned dependency). gpt-tokenizer keeps each
// rank as a string (bytes that are valid UTF-8) or as a byte array (bytes that are not), and looks a
// byte sequence up as a string when it is valid UTF-8 and among the arrays otherwise: an array entry
// whose bytes are valid UTF-8 can never be found, so it is written here as absent, like a hole. (The
// 9 such entries all start with a UTF-8 byte order mark, which the lookup's decoding drops: the
// runtime repeats that rule, src/core/o200k/bpe.ts.)
// Layout (little-endian): "O2KB", u32 rank count N, N u8 byte lengths (0: absent), then the bytes of
// every rank in rank order. Lengths in one byte (the longest token is 128 bytes) keep the file at
// about 1.6 MB; the loader walks them to find each token's bytes.
// Regenerate after upgrading gpt-tokenizer: bun scripts/gen-o200k.ts (test/core/tokenizer-parts.test.ts
// fails while the committed file differs from what this script makes).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ranks from "gpt-tokenizer/bpeRanks/o200k_base";
import { tryConvertToString } from "gpt-tokenizer/utfUtil";

const OUT = join(import.meta.dir, "../src/core/o200k/o200k.bin");
const encoder = new TextEncoder();

/** The file's bytes, and how many array entries could never be found. */
export function o200kFile(): { bytes: Uint8Array; unreachable: number } {
  const entries: (Uint8Array | null)[] = [];
  let unreachable = 0;
  for (let rank = 0; rank < ranks.length; rank++) {
    const value = ranks[rank];
    if (value === undefined) entries.push(null);
    else if (typeof value === "string") {
      const bytes = encoder.encode(value);
      if (tryConvertToString(bytes) !== value) throw new Error(`rank ${rank}: string without a UTF-8 round trip`);
      entries.push(bytes);
    } else {
      const bytes = Uint8Array.from(value);
      const reachable = tryConvertToString(bytes) === undefined;
      if (!reachable) unreachable++;
      entries.push(reachable ? bytes : null);
    }
  }

  const seen = new Set<string>();
  let total = 0;
  for (const bytes of entries) {
    if (!bytes) continue;
    if (bytes.length === 0 || bytes.length > 255) throw new Error(`a token of ${bytes.length} bytes`);
    const key = bytes.join(",");
    if (seen.has(key)) throw new Error(`two ranks for the bytes ${key}`);
    seen.add(key);
    total += bytes.length;
  }

  const out = new Uint8Array(8 + entries.length + total);
  out.set(encoder.encode("O2KB"), 0);
  new DataView(out.buffer).setUint32(4, entries.length, true);
  let at = 8 + entries.length;
  entries.forEach((bytes, rank) => {
    out[8 + rank] = bytes?.length ?? 0;
    if (bytes) out.set(bytes, at);
    at += bytes?.length ?? 0;
  });
  return { bytes: out, unreachable };
}

if (import.meta.main) {
  const { bytes, unreachable } = o200kFile();
  writeFileSync(OUT, bytes);
  console.log(`${OUT}: ${ranks.length} ranks, ${unreachable} unreachable, ${bytes.length} bytes`);
}
