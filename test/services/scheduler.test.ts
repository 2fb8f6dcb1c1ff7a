// The background scheduler (services/scheduler.ts) on an injected clock: the first period counts from
// the start, a job runs once per period, a period read at each check applies at once (0 = off), jobs
// run one after another and never twice at once, and a failing job does not stop the others.
import { expect, test } from "bun:test";
import { type Job, Scheduler } from "../../src/services/scheduler";

function setup(periods: Record<string, number>) {
  let now = 1_000_000;
  const runs: string[] = [];
  const jobs: Job[] = Object.keys(periods).map((name) => ({
    name,
    periodMs: () => periods[name],
    run: () => void runs.push(name),
  }));
  const s = new Scheduler(() => now, jobs);
  return { s, runs, advance: (ms: number) => (now += ms) };
}

test("nothing is due at the start; a job runs once a whole period has passed, then waits another", async () => {
  const { s, runs, advance } = setup({ a: 600_000 });
  expect(await s.tick()).toEqual([]);
  advance(599_999);
  expect(await s.tick()).toEqual([]);
  advance(1);
  expect(await s.tick()).toEqual(["a"]);
  expect(await s.tick()).toEqual([]);
  expect(runs).toEqual(["a"]);
});

test("the period is read at each check: a shorter one applies at once, 0 is off", async () => {
  const periods = { a: 600_000 };
  const { s, advance } = setup(periods);
  advance(60_000);
  expect(await s.tick()).toEqual([]);
  periods.a = 60_000;
  expect(await s.tick()).toEqual(["a"]);
  periods.a = 0;
  advance(10 ** 9);
  expect(await s.tick()).toEqual([]);
});

test("due jobs run one after another in their order; a tick during a run waits for it", async () => {
  let release!: () => void;
  const gate = new Promise<void>((ok) => (release = ok));
  const order: string[] = [];
  let now = 0;
  const s = new Scheduler(
    () => now,
    [
      { name: "slow", periodMs: () => 10, run: () => gate.then(() => void order.push("slow")) },
      { name: "fast", periodMs: () => 10, run: () => void order.push("fast") },
    ],
  );
  now = 10;
  const first = s.tick();
  const second = s.tick(); // queued behind the first: nothing is due again by then
  release();
  expect(await first).toEqual(["slow", "fast"]);
  expect(await second).toEqual([]);
  expect(order).toEqual(["slow", "fast"]);
});

test("a failing job is logged and the others still run", async () => {
  let now = 0;
  const s = new Scheduler(
    () => now,
    [
      { name: "bad", periodMs: () => 1, run: () => Promise.reject(new Error("boom")) },
      { name: "good", periodMs: () => 1, run: () => {} },
    ],
  );
  now = 1;
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => void errors.push(a);
  try {
    expect(await s.tick()).toEqual(["bad", "good"]);
  } finally {
    console.error = original;
  }
  expect(String(errors[0])).toContain("bad failed");
});

test("idle() resolves at once when nothing runs", async () => {
  const { s } = setup({ a: 1 });
  await s.idle(10_000);
});
