// Recent latencies per channel (core/latency.ts): the nearest-rank median, a ring that keeps the last
// N samples, and a summary over a window that leaves out older samples.
import { describe, expect, test } from "bun:test";
import { ChannelLatencies, LatencyRing, median } from "../../src/core/latency";

describe("median", () => {
  test("none → null; odd count → the middle; even count → the lower middle", () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(20);
  });
});

describe("the ring", () => {
  test("keeps only the last `size` samples", () => {
    const r = new LatencyRing(3);
    for (let i = 1; i <= 5; i++) r.record(i * 10, i);
    expect(r.since(0).sort((a, b) => a - b)).toEqual([30, 40, 50]);
    expect(r.lastAt()).toBe(5);
    expect(new LatencyRing(3).lastAt()).toBe(0);
  });

  test("since(t) leaves out samples taken before t", () => {
    const r = new LatencyRing(8);
    r.record(100, 1000);
    r.record(200, 2000);
    r.record(300, 3000);
    expect(r.since(2000).sort((a, b) => a - b)).toEqual([200, 300]);
  });
});

describe("per channel", () => {
  test("the median over the last hour, rounded; older samples and other channels do not count", () => {
    const l = new ChannelLatencies();
    const now = 10 * 3_600_000;
    l.record(1, 5000, now - 2 * 3_600_000); // over an hour ago
    l.record(1, 100.4, now - 60_000);
    l.record(1, 300, now - 30_000);
    l.record(1, 200, now - 1000);
    l.record(2, 9999, now);
    expect(l.summary(1, now)).toEqual({ p50_ms: 200, samples: 3 });
    expect(l.has(1)).toBe(true);
    expect(l.known().sort()).toEqual([1, 2]);
    expect(l.lastAt(1)).toBe(now - 1000);
    expect(l.lastAt(9)).toBe(0);
  });

  test("no sample in the window → null; a channel never seen → null", () => {
    const l = new ChannelLatencies();
    l.record(1, 100, 0);
    expect(l.summary(1, 10 * 3_600_000)).toBeNull();
    expect(l.summary(7, 0)).toBeNull();
    expect(l.has(7)).toBe(false);
  });
});
