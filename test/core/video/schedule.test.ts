// The poll schedule: 2 s after submission, ×1.5 per poll up to 30 s, an upstream's hint clamped to
// [1 s, 5 min]; the timeout; and pickDue, which polls the longest-due jobs first and never puts more
// than a channel's or the poller's limit in flight (2,000 due jobs over 3 channels included).
import { describe, expect, test } from "bun:test";
import {
  type DueJob,
  HINT_MAX_MS,
  MAX_POLL_MS,
  nextPollAt,
  pickDue,
  pollDelayMs,
  timedOut,
} from "../../../src/core/video/schedule";

describe("nextPollAt", () => {
  test("2 s after submission, then ×1.5 per poll, up to 30 s", () => {
    const delays = Array.from({ length: 12 }, (_, n) => nextPollAt(1_000, n) - 1_000);
    expect(delays).toEqual([2000, 3000, 4500, 6750, 10125, 15188, 22781, 30000, 30000, 30000, 30000, 30000]);
    expect(pollDelayMs(1000)).toBe(MAX_POLL_MS);
  });

  test("an upstream hint is honoured within [1 s, 5 min]", () => {
    expect(nextPollAt(0, 5, 10_000)).toBe(10_000);
    expect(nextPollAt(0, 0, 45_000)).toBe(45_000); // above the schedule's 30 s: still honoured
    expect(nextPollAt(0, 0, 200)).toBe(1_000);
    expect(nextPollAt(0, 0, 0)).toBe(1_000);
    expect(nextPollAt(0, 0, 3_600_000)).toBe(HINT_MAX_MS);
    expect(HINT_MAX_MS).toBe(300_000);
  });

  test("a hint that is no figure is ignored", () => {
    for (const hint of [Number.NaN, -5, Number.POSITIVE_INFINITY, undefined])
      expect(nextPollAt(100, 1, hint)).toBe(3_100);
  });
});

describe("timedOut", () => {
  test("once the timeout has passed since creation; 0 is never", () => {
    const job = { createdAtMs: 10_000 };
    expect(timedOut(job, 69_999, 60_000)).toBe(false);
    expect(timedOut(job, 70_000, 60_000)).toBe(true);
    expect(timedOut(job, 10_000_000, 0)).toBe(false);
  });
});

const job = (id: string, channelId: number, nextPollAtMs: number, inFlight = false): DueJob => ({
  id,
  channelId,
  nextPollAtMs,
  inFlight,
});

describe("pickDue", () => {
  const none = new Map<number, number>();

  test("due jobs only (at or before now), not those in flight, the longest due first", () => {
    const jobs = [
      job("c", 1, 300),
      job("late", 1, 1001),
      job("a", 2, 100),
      job("busy", 2, 50, true),
      job("b", 3, 1000),
    ];
    expect(pickDue(jobs, 1000, { perChannel: 10, overall: 10 }, none, 0)).toEqual(["a", "c", "b"]);
  });

  test("per channel, counting what is already in flight", () => {
    const jobs = [job("a1", 1, 1), job("a2", 1, 2), job("a3", 1, 3), job("b1", 2, 4), job("b2", 2, 5)];
    const inFlight = new Map([[2, 1]]);
    expect(pickDue(jobs, 10, { perChannel: 2, overall: 10 }, inFlight, 1)).toEqual(["a1", "a2", "b1"]);
    expect(inFlight).toEqual(new Map([[2, 1]])); // not changed
  });

  test("overall, counting what is already in flight", () => {
    const jobs = [job("a", 1, 1), job("b", 2, 2), job("c", 3, 3)];
    expect(pickDue(jobs, 10, { perChannel: 5, overall: 4 }, new Map([[9, 2]]), 2)).toEqual(["a", "b"]);
    expect(pickDue(jobs, 10, { perChannel: 5, overall: 4 }, new Map([[9, 4]]), 4)).toEqual([]);
    expect(pickDue(jobs, 10, { perChannel: 0, overall: 4 }, none, 0)).toEqual([]);
  });

  test("a full channel does not hold back the others", () => {
    const jobs = [...Array.from({ length: 50 }, (_, i) => job(`slow${i}`, 1, i)), job("fast", 2, 100)];
    expect(pickDue(jobs, 1000, { perChannel: 3, overall: 10 }, none, 0)).toEqual(["slow0", "slow1", "slow2", "fast"]);
  });

  test("2,000 due jobs over 3 channels never exceed the limits", () => {
    const jobs = Array.from({ length: 2000 }, (_, i) =>
      job(`j${i}`, 1 + (i % 3), Math.floor(Math.random() * 100_000), Math.random() < 0.05),
    );
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const cases: [number, number, Map<number, number>, number][] = [
      [
        5,
        12,
        new Map([
          [1, 2],
          [2, 5],
        ]),
        7,
      ],
      [10, 25, new Map(), 0],
      [1000, 100, new Map([[3, 10]]), 10],
      [700, 5000, new Map(), 0],
    ];
    for (const [perChannel, overall, inFlight, inFlightOverall] of cases) {
      const picked = pickDue(jobs, 100_000, { perChannel, overall }, inFlight, inFlightOverall);
      expect(new Set(picked).size).toBe(picked.length);
      expect(picked.length + inFlightOverall).toBeLessThanOrEqual(overall);
      const counts = new Map(inFlight);
      for (const id of picked) {
        const j = byId.get(id)!;
        expect(j.inFlight).toBe(false);
        counts.set(j.channelId, (counts.get(j.channelId) ?? 0) + 1);
      }
      for (const n of counts.values()) expect(n).toBeLessThanOrEqual(perChannel);
      // each channel's picks are its longest-due jobs
      for (const ch of [1, 2, 3]) {
        const mine = picked.map((id) => byId.get(id)!).filter((j) => j.channelId === ch);
        const waiting = jobs.filter((j) => j.channelId === ch && !j.inFlight && !picked.includes(j.id));
        const latestPicked = Math.max(...mine.map((j) => j.nextPollAtMs));
        if (mine.length) expect(waiting.every((j) => j.nextPollAtMs >= latestPicked)).toBe(true);
      }
    }
    // with room to spare everything due is taken: 700 a channel covers each channel's ~633 waiting jobs
    const all = pickDue(jobs, 100_000, { perChannel: 700, overall: 5000 }, new Map(), 0);
    expect(all.length).toBe(jobs.filter((j) => !j.inFlight).length);
    // with the overall limit reached first, it is filled exactly
    expect(pickDue(jobs, 100_000, { perChannel: 10, overall: 25 }, new Map(), 0).length).toBe(25);
  });
});
