// Counts of pieces that needed merging, remembered by their UTF-8 bytes (chat prompts resend their
// history, so pieces recur): an open-addressing table over a byte arena, all in typed arrays, of a
// fixed 1.4 MB. Keys are copies, so no request's text stays reachable from here. When the arena or
// the table fills up, everything is forgotten at once.
import { hashOf } from "./vocab";

const SLOTS = 1 << 15;
const ENTRIES = SLOTS / 2; // load factor at most 0.5
const ARENA = 1 << 20;
const LONGEST = 1 << 12; // longer pieces are not remembered

export class PieceCache {
  private readonly slots = new Int32Array(SLOTS); // entry + 1, 0 when free
  private readonly starts = new Int32Array(ENTRIES);
  private readonly lengths = new Int32Array(ENTRIES);
  private readonly counts = new Int32Array(ENTRIES);
  private readonly arena = new Uint8Array(ARENA);
  private entries = 0;
  private used = 0;

  /** The slot that holds buf[0, n), or the free slot where it would go. */
  private slotOf(buf: Uint8Array, n: number): number {
    for (let slot = hashOf(buf, 0, n) & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return slot;
      if (this.lengths[entry] !== n) continue;
      const from = this.starts[entry];
      let i = 0;
      while (i < n && this.arena[from + i] === buf[i]) i++;
      if (i === n) return slot;
    }
  }

  /** The count remembered for the bytes buf[0, n), or -1. */
  get(buf: Uint8Array, n: number): number {
    const entry = this.slots[this.slotOf(buf, n)] - 1;
    return entry < 0 ? -1 : this.counts[entry];
  }

  set(buf: Uint8Array, n: number, count: number) {
    if (n > LONGEST) return;
    if (this.entries === ENTRIES || this.used + n > ARENA) {
      this.slots.fill(0);
      this.entries = 0;
      this.used = 0;
    }
    const slot = this.slotOf(buf, n);
    if (this.slots[slot] !== 0) return;
    const entry = this.entries++;
    this.starts[entry] = this.used;
    this.lengths[entry] = n;
    this.counts[entry] = count;
    this.arena.set(buf.subarray(0, n), this.used);
    this.used += n;
    this.slots[slot] = entry + 1;
  }
}
