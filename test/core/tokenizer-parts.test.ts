// The parts of the o200k counter (src/core/o200k/): the committed vocabulary file is what
// scripts/gen-o200k.ts makes from gpt-tokenizer, the vocabulary finds every token in rank order,
// the heap pops in order, and the piece cache remembers and forgets as it says.
import { describe, expect, test } from "bun:test";
import ranks from "gpt-tokenizer/bpeRanks/o200k_base";
import { o200kFile } from "../../scripts/gen-o200k";
import { MinHeap } from "../../src/core/o200k/heap";
import { PieceCache } from "../../src/core/o200k/piece-cache";
import { Vocab } from "../../src/core/o200k/vocab";
import { prng } from "../support/prng";

const FILE = new Uint8Array(await Bun.file(new URL("../../src/core/o200k/o200k.bin", import.meta.url)).bytes());
const enc = new TextEncoder();

describe("o200k vocabulary", () => {
  test("the committed file is what the generator makes from gpt-tokenizer's ranks", () => {
    const { bytes, unreachable } = o200kFile();
    expect(Bun.deepEquals(bytes, FILE)).toBe(true);
    expect(unreachable).toBe(9);
  });

  test("every token is found, in rank order, and other bytes are not", () => {
    const vocab = new Vocab(FILE);
    let last = -1;
    let found = 0;
    for (const value of ranks) {
      const bytes = typeof value === "string" ? enc.encode(value) : Uint8Array.from(value);
      const token = vocab.find(bytes, 0, bytes.length);
      if (token < 0) continue; // the 9 that gpt-tokenizer never finds either
      expect(token).toBeGreaterThan(last);
      last = token;
      found++;
    }
    expect(found).toBe(ranks.length - 9);
    const some = enc.encode("xx qzqzqzqz not one token");
    expect(vocab.find(some, 0, some.length)).toBe(-1);
    expect(vocab.find(some, 0, 0)).toBe(-1);
  });

  test("a file that is not a vocabulary is refused", () => {
    expect(() => new Vocab(enc.encode("not a vocabulary"))).toThrow("not an o200k vocabulary file");
    expect(() => new Vocab(FILE.subarray(0, FILE.length - 1))).toThrow("wrong length");
  });
});

describe("min heap", () => {
  test("pops every key in ascending order, pushes and pops interleaved", () => {
    const random = prng(5);
    const heap = new MinHeap();
    const kept: number[] = [];
    const popped: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const key = Math.floor(random() * 1e6) * 2 ** 32 + i;
      heap.push(key);
      kept.push(key);
      if (random() < 0.3) {
        kept.sort((a, b) => a - b);
        expect(heap.pop()).toBe(kept.shift()!);
      }
    }
    while (heap.size > 0) popped.push(heap.pop());
    expect(popped).toEqual(kept.sort((a, b) => a - b));
    heap.push(3);
    heap.clear();
    expect(heap.size).toBe(0);
  });
});

describe("piece cache", () => {
  test("remembers a count by the exact bytes", () => {
    const cache = new PieceCache();
    const a = enc.encode("abcdef");
    const b = enc.encode("abcdeg");
    expect(cache.get(a, 6)).toBe(-1);
    cache.set(a, 6, 3);
    expect(cache.get(a, 6)).toBe(3);
    expect(cache.get(b, 6)).toBe(-1);
    expect(cache.get(a, 5)).toBe(-1);
  });

  test("forgets everything once full, and never keeps very long pieces", () => {
    const cache = new PieceCache();
    const first = enc.encode("piece 0");
    cache.set(first, first.length, 2);
    let i = 1;
    while (cache.get(first, first.length) === 2) {
      const piece = enc.encode(`piece ${i++}`);
      cache.set(piece, piece.length, 2);
      expect(cache.get(piece, piece.length)).toBe(2);
    }
    expect(i - 1).toBe(1 << 14); // piece 16384 found the table full (half its slots) and started over
    const long = new Uint8Array(5000).fill(97);
    cache.set(long, long.length, 1);
    expect(cache.get(long, long.length)).toBe(-1);
  });
});
