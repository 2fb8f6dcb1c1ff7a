// Byte-level BPE on one piece's UTF-8 bytes, counting the tokens it ends with: merge the adjacent
// pair of lowest rank (the leftmost on a tie) until no pair is in the vocabulary, as gpt-tokenizer's
// bytePairMerge does. The parts are a linked list and the lowest pair comes from a binary heap (with
// entries made stale by later merges skipped), so a piece of n bytes costs O(n log n), not O(n²).
import { MinHeap } from "./heap";
import type { Vocab } from "./vocab";

const NONE = -1;
const AT = 2 ** 32; // heap key: token * AT + position, so a tie goes to the leftmost pair
let next = new Int32Array(256); // next[i]: where the part starting at byte i ends
let prev = new Int32Array(256); // prev[i]: where the part before the one at i starts
let pair = new Int32Array(256); // pair[i]: the token of the part at i and the next together, or NONE
const heap = new MinHeap();

/** The token gpt-tokenizer finds for buf[start, end) inside a piece of n bytes (valid UTF-8 as a
 * whole). It looks valid UTF-8 up through its decoding, and decoding drops a leading byte order
 * mark (EF BB BF): such a slice is looked up without the mark. */
function tokenOf(vocab: Vocab, buf: Uint8Array, start: number, end: number, n: number): number {
  const bom = buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf && end - start >= 3;
  return vocab.find(buf, bom && (end === n || (buf[end] & 0xc0) !== 0x80) ? start + 3 : start, end);
}

/** Sets the pair at part i, its merged token ending at end (n: none), and queues it. */
function setPair(vocab: Vocab, buf: Uint8Array, i: number, end: number, n: number) {
  pair[i] = end <= n ? tokenOf(vocab, buf, i, end, n) : NONE;
  if (pair[i] !== NONE) heap.push(pair[i] * AT + i);
}

/** How many tokens the n bytes buf[0, n) merge into. */
export function countMerged(vocab: Vocab, buf: Uint8Array, n: number): number {
  if (n < 2) return n;
  if (next.length <= n) {
    next = new Int32Array(2 * n + 2);
    prev = new Int32Array(2 * n + 2);
    pair = new Int32Array(2 * n + 2);
  }
  heap.clear();
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    setPair(vocab, buf, i, i + 2, n);
  }
  let parts = n;
  while (heap.size > 0) {
    const key = heap.pop();
    const token = Math.floor(key / AT);
    const at = key - token * AT;
    if (pair[at] !== token) continue; // stale: that part was merged away, or has grown since
    const gone = next[at];
    const end = next[gone];
    next[at] = end;
    if (end < n) prev[end] = at;
    pair[gone] = NONE;
    parts--;
    setPair(vocab, buf, at, end < n ? next[end] : n + 1, n);
    if (at > 0) setPair(vocab, buf, prev[at], end, n);
  }
  return parts;
}
