// Counting o200k_base tokens as gpt-tokenizer's countTokens(text, { disallowedSpecial: new Set() })
// does: the text splits into pieces by o200k's pattern, a piece that is one token counts 1, and the
// others go through BPE on their UTF-8 bytes (lone surrogates become U+FFFD, as TextEncoder makes
// them). The text of a special token ("<|endoftext|>"…) in a prompt or a reply is counted as the
// text it is, as an upstream reads a user's text: gpt-tokenizer's default throws on it, which left a
// cut stream quoting one unsettled.
import { countMerged } from "./bpe";
import { PieceCache } from "./piece-cache";
import type { Vocab } from "./vocab";

// o200k_base's pre-tokenization pattern, as gpt-tokenizer 3.4.0 builds it
const CONTRACTION = "(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?";
export const SPLIT = new RegExp(
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+${CONTRACTION}` +
    String.raw`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*${CONTRACTION}` +
    String.raw`|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  "gu",
);

/** A counter over the vocabulary; not reentrant (it reuses one byte buffer), which JS never asks. */
export function tokenCounter(vocab: Vocab): (text: string) => number {
  let buf = new Uint8Array(4096);
  const merged = new PieceCache();

  /** Writes piece as UTF-8 into buf; the byte count, negated when a lone surrogate was replaced. */
  function encode(piece: string): number {
    if (buf.length < piece.length * 3) buf = new Uint8Array(piece.length * 6);
    let n = 0;
    let wellFormed = true;
    for (let i = 0; i < piece.length; i++) {
      let c = piece.charCodeAt(i);
      if (c < 0x80) buf[n++] = c;
      else if (c < 0x800) {
        buf[n++] = 0xc0 | (c >> 6);
        buf[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[n++] = 0xe0 | (c >> 12);
        buf[n++] = 0x80 | ((c >> 6) & 0x3f);
        buf[n++] = 0x80 | (c & 0x3f);
      } else {
        const low = c < 0xdc00 && i + 1 < piece.length ? piece.charCodeAt(i + 1) : 0;
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
          buf[n++] = 0xf0 | (c >> 18);
          buf[n++] = 0x80 | ((c >> 12) & 0x3f);
          buf[n++] = 0x80 | ((c >> 6) & 0x3f);
          buf[n++] = 0x80 | (c & 0x3f);
        } else {
          wellFormed = false;
          buf[n++] = 0xef;
          buf[n++] = 0xbf;
          buf[n++] = 0xbd;
        }
      }
    }
    return wellFormed ? n : -n;
  }

  function countPiece(piece: string): number {
    const encoded = encode(piece);
    // gpt-tokenizer looks the piece up as a string first, where a lone surrogate never matches:
    // such a piece always goes through BPE, and is not remembered under its U+FFFD bytes
    if (encoded < 0) return countMerged(vocab, buf, -encoded);
    if (vocab.find(buf, 0, encoded) >= 0) return 1;
    const known = merged.get(buf, encoded);
    if (known >= 0) return known;
    const count = countMerged(vocab, buf, encoded);
    merged.set(buf, encoded, count);
    return count;
  }

  return (text) => {
    let count = 0;
    for (const [piece] of text.matchAll(SPLIT)) count += countPiece(piece);
    return count;
  };
}
