// core/failure-limit.ts: failures per key in a sliding window, an attempt counted from its start and
// forgotten when it succeeds, the wait until the oldest counted failure leaves the window, and memory bound.
import { expect, test } from "bun:test";
import { FailureLimiter } from "../../src/core/failure-limit";

const limits = { max: 3, windowMs: 60_000, maxKeys: 100 };

test("max failures per key within the window, then a refusal saying how long to wait", () => {
  const l = new FailureLimiter(limits);
  for (let i = 0; i < 3; i++) expect(l.begin(["user:1"], 1000 + i * 1000).ok).toBe(true);
  expect(l.begin(["user:1"], 10_000)).toEqual({ ok: false, retryAfterSec: 51 }); // the first leaves at 61 s
  expect(l.begin(["user:2"], 10_000).ok).toBe(true);
  expect(l.begin(["user:1"], 61_001).ok).toBe(true); // the first one left the window
});

test("any one of the keys over its limit refuses the attempt, and a refused attempt is not counted", () => {
  const l = new FailureLimiter(limits);
  for (let i = 0; i < 3; i++) l.begin([`user:${i}`, "ip:a"], 0);
  expect(l.begin(["user:9", "ip:a"], 1).ok).toBe(false);
  expect(l.begin(["user:9", "ip:b"], 1).ok).toBe(true); // user 9 was not charged by the refusal
  expect(l.begin(["user:9", "ip:b"], 2).ok).toBe(true);
});

test("a success forgets its attempt on every key", () => {
  const l = new FailureLimiter(limits);
  for (let i = 0; i < 10; i++) {
    const v = l.begin(["user:1", "ip:a"], i);
    if (!v.ok) throw new Error("refused");
    l.succeeded(v);
  }
  expect(l.begin(["user:1", "ip:a"], 20).ok).toBe(true);
});

test("the wait is at least a second", () => {
  const l = new FailureLimiter({ ...limits, max: 1 });
  l.begin(["k"], 0);
  expect(l.begin(["k"], 59_999)).toEqual({ ok: false, retryAfterSec: 1 });
});

test("memory stays bounded: past maxKeys, expired keys go first, then the oldest", () => {
  const l = new FailureLimiter({ ...limits, maxKeys: 10 });
  for (let i = 0; i < 50; i++) l.begin([`ip:${i}`], i);
  expect((l as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(10);
  for (let i = 0; i < 3; i++) l.begin(["ip:49"], 100 + i);
  expect(l.begin(["ip:49"], 200).ok).toBe(false); // a recent key kept its failures
});
