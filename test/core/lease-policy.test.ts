// Quota leases' sizing rule (core/lease-policy.ts): what the waiting calls need, headroom for proven
// demand only while the balance is large, none when it is nearly spent; the admit deadline; demand.
import { describe, expect, test } from "bun:test";
import { admitUntil, Demand, LEASE, sliceFor } from "../../src/core/lease-policy";

describe("sliceFor", () => {
  test("a first take asks for exactly what the waiting calls need (no demand shown yet)", () => {
    expect(sliceFor({ need: 700, remain: undefined, demandPerSec: 5_000, instances: 3 })).toBe(700);
    expect(sliceFor({ need: 700, remain: 10_000_000, demandPerSec: 0, instances: 3 })).toBe(700);
  });

  test("with a large balance, headroom is the demand of horizonMs", () => {
    // 10,000 a second for 2 s = 20,000; the balance's share (1e9 / 12) is far larger
    expect(sliceFor({ need: 500, remain: 1_000_000_000, demandPerSec: 10_000, instances: 3 })).toBe(20_500);
  });

  test("headroom never passes the balance's share divided among the instances", () => {
    // share: 1,000,000 / (4 × 2) = 125,000 < 2 s of 1,000,000 a second
    expect(sliceFor({ need: 100, remain: 1_000_000, demandPerSec: 1_000_000, instances: 2 })).toBe(125_100);
  });

  test("a nearly spent balance gets per-call takes: no headroom at all", () => {
    // below need × lowFactor × instances = 100 × 8 × 3 = 2,400 left
    expect(sliceFor({ need: 100, remain: 2_399, demandPerSec: 1_000_000, instances: 3 })).toBe(100);
    expect(sliceFor({ need: 100, remain: 2_400, demandPerSec: 1_000_000, instances: 3 })).toBeGreaterThan(100);
  });

  test("needs are whole units, never negative", () => {
    expect(sliceFor({ need: 10.2, remain: undefined, demandPerSec: 0, instances: 1 })).toBe(11);
    expect(sliceFor({ need: -5, remain: undefined, demandPerSec: 0, instances: 1 })).toBe(0);
  });
});

test("a lease admits until ttl - margin after the statement that renewed it was sent", () => {
  expect(admitUntil(1_000)).toBe(1_000 + LEASE.ttlMs - LEASE.marginMs);
  expect(LEASE.marginMs).toBeLessThan(LEASE.ttlMs - LEASE.renewMs); // a renewal lands before admitting stops
});

test("demand: a steady stream reads as its rate; it halves each half-life once it stops", () => {
  const d = new Demand(2_000);
  for (let t = 0; t <= 20_000; t += 10) d.add(10, t); // 1,000 a second for 20 s
  expect(d.perSec(20_000)).toBeGreaterThan(990);
  expect(d.perSec(20_000)).toBeLessThan(1_010);
  expect(d.perSec(22_000)).toBeCloseTo(d.perSec(20_000) / 2, 6);
  expect(new Demand().perSec(5)).toBe(0);
});
