// The latency histograms of the hourly rollups: every whole ms falls in exactly one bucket, buckets are
// at most 25 % wide, and a percentile read from a histogram is the bucket holding the exact
// nearest-rank percentile of the raw samples (checked over random samples of several shapes).
import { expect, test } from "bun:test";
import {
  addSample,
  BUCKETS,
  bucketOf,
  bucketRange,
  type Histogram,
  mergeInto,
  parseHistogram,
  percentile,
} from "../../src/core/histogram";
import { prng } from "../support/prng";

test("buckets tile the whole ms from 0 up, in order, each at most 25 % wider than its start", () => {
  let next = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const { lo, hi } = bucketRange(b);
    expect(lo).toBe(next);
    if (b === BUCKETS - 1) expect(hi).toBe(Number.POSITIVE_INFINITY);
    else {
      expect(hi).toBeGreaterThan(lo);
      if (lo >= 8) expect(hi / lo).toBeLessThanOrEqual(1.25);
      expect(bucketOf(lo)).toBe(b);
      expect(bucketOf(hi - 1)).toBe(b);
    }
    next = hi;
  }
  expect(bucketOf(7)).toBe(7);
  expect(bucketRange(bucketOf(1000))).toEqual({ lo: 896, hi: 1024 });
  expect(bucketOf(10 ** 12)).toBe(BUCKETS - 1);
  expect(bucketOf(-5)).toBe(0);
  expect(bucketOf(2.6)).toBe(3);
});

/** The exact q-percentile by nearest rank: the sample at rank ceil(q × n). */
const nearestRank = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * xs.length)) - 1];

test("a percentile from the histogram is the bucket of the exact one, and within one bucket of it", () => {
  const rand = prng(7);
  const shapes: [string, () => number][] = [
    ["log-uniform 1 ms – 100 s", () => Math.round(Math.exp(rand() * Math.log(100_000)))],
    ["narrow around 300 ms", () => 280 + Math.round(rand() * 40)],
    [
      "bimodal fast and slow",
      () => (rand() < 0.8 ? 20 + Math.round(rand() * 30) : 5_000 + Math.round(rand() * 20_000)),
    ],
    ["small, with zeros", () => Math.floor(rand() * 6)],
  ];
  for (const [shape, draw] of shapes)
    for (const n of [1, 2, 3, 10, 99, 1000]) {
      const xs = Array.from({ length: n }, draw);
      // split over "hours" and merged back, as the dashboard reads them
      const parts: Histogram[] = [{}, {}, {}];
      xs.forEach((x, i) => addSample(parts[i % 3], x));
      const h = parts.reduce((acc, p) => mergeInto(acc, parseHistogram(JSON.stringify(p))), {} as Histogram);
      for (const q of [0.5, 0.95, 0.99, 1]) {
        const exact = nearestRank(xs, q);
        const got = percentile(h, q)!;
        const what = { shape, n, q, exact, got };
        expect({ ...what, bucket: got.bucket }).toEqual({ ...what, bucket: bucketOf(exact) });
        expect(exact >= got.lo && exact < got.hi).toBe(true);
        expect(got.ms >= got.lo && got.ms < got.hi).toBe(true);
      }
    }
});

test("no samples: no percentile; unreadable stored text counts as empty", () => {
  expect(percentile({}, 0.5)).toBeNull();
  expect(parseHistogram("not json")).toEqual({});
  expect(parseHistogram("[1,2]")).toEqual({});
  expect(parseHistogram("")).toEqual({});
});
