// The video job's state machine: only forward moves (each allowed pair listed, every other pair
// refused), the states as OpenAI's and Gemini's wire formats show them, and how a poll moves a job.
import { describe, expect, test } from "bun:test";
import {
  advance,
  applyPoll,
  canAdvance,
  geminiDone,
  isFinal,
  openaiStatus,
  VIDEO_STATES,
  type VideoState,
} from "../../../src/core/video/job-state";
import { AppError } from "../../../src/errors";

const ALLOWED: Record<VideoState, VideoState[]> = {
  submitted: ["queued", "in_progress", "completed", "failed", "cancelled"],
  queued: ["in_progress", "completed", "failed", "cancelled", "expired"],
  in_progress: ["completed", "failed", "cancelled", "expired"],
  completed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

describe("states", () => {
  test("seven states, four of them final", () => {
    expect([...VIDEO_STATES]).toEqual([
      "submitted",
      "queued",
      "in_progress",
      "completed",
      "failed",
      "expired",
      "cancelled",
    ]);
    expect(VIDEO_STATES.filter(isFinal)).toEqual(["completed", "failed", "expired", "cancelled"]);
  });

  test("every allowed move is taken; every other move throws a plain Error naming both states", () => {
    for (const from of VIDEO_STATES)
      for (const to of VIDEO_STATES) {
        if (from === to || ALLOWED[from].includes(to)) {
          expect(advance(from, to)).toBe(to);
          expect(canAdvance(from, to)).toBe(true);
        } else {
          expect(canAdvance(from, to)).toBe(false);
          let caught: unknown;
          try {
            advance(from, to);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(Error);
          expect(caught).not.toBeInstanceOf(AppError);
          expect((caught as Error).message).toBe(`a video job cannot go from ${from} to ${to}`);
        }
      }
  });

  test("nothing leaves a final state, and the same state is a no-op", () => {
    for (const s of VIDEO_STATES.filter(isFinal)) {
      expect(advance(s, s)).toBe(s);
      expect(() => advance(s, "queued")).toThrow();
    }
    expect(advance("queued", "queued")).toBe("queued");
  });

  test("expired is apiyi's own: not reachable from submitted (no poll has answered yet)", () => {
    expect(() => advance("submitted", "expired")).toThrow();
  });
});

describe("wire formats", () => {
  test("OpenAI's status: submitted is queued; expired and cancelled are failed", () => {
    const shown = Object.fromEntries(VIDEO_STATES.map((s) => [s, openaiStatus(s)]));
    expect(shown).toEqual({
      submitted: "queued",
      queued: "queued",
      in_progress: "in_progress",
      completed: "completed",
      failed: "failed",
      expired: "failed",
      cancelled: "failed",
    });
  });

  test("Gemini's done: once final", () => {
    expect(VIDEO_STATES.filter(geminiDone)).toEqual(["completed", "failed", "expired", "cancelled"]);
  });
});

describe("applyPoll", () => {
  test("a forward move with progress", () => {
    expect(applyPoll({ state: "queued", progress: 0 }, { state: "in_progress", progress: 30 })).toEqual({
      state: "in_progress",
      progress: 30,
      changed: true,
    });
  });

  test("progress never goes backwards", () => {
    expect(applyPoll({ state: "in_progress", progress: 50 }, { state: "in_progress", progress: 20 })).toEqual({
      state: "in_progress",
      progress: 50,
      changed: false,
    });
  });

  test("an upstream state behind the job's keeps the job's state", () => {
    expect(applyPoll({ state: "in_progress", progress: 40 }, { state: "queued", progress: 45 })).toEqual({
      state: "in_progress",
      progress: 45,
      changed: true,
    });
  });

  test("a final job ignores polls", () => {
    for (const state of ["completed", "failed", "expired", "cancelled"] as const)
      expect(applyPoll({ state, progress: 70 }, { state: "in_progress", progress: 90 })).toEqual({
        state,
        progress: 70,
        changed: false,
      });
  });

  test("completed is 100 %; failed and cancelled keep the progress reached", () => {
    expect(applyPoll({ state: "in_progress", progress: 80 }, { state: "completed" })).toEqual({
      state: "completed",
      progress: 100,
      changed: true,
    });
    expect(applyPoll({ state: "in_progress", progress: 80 }, { state: "failed", progress: 0 })).toEqual({
      state: "failed",
      progress: 80,
      changed: true,
    });
    expect(applyPoll({ state: "submitted", progress: 0 }, { state: "cancelled" })).toEqual({
      state: "cancelled",
      progress: 0,
      changed: true,
    });
  });

  test("progress is clamped to 0–100 and whole; a non-number is no figure", () => {
    const at = (progress: number) =>
      applyPoll({ state: "in_progress", progress: 10 }, { state: "in_progress", progress });
    expect(at(150).progress).toBe(100);
    expect(at(-5).progress).toBe(10);
    expect(at(Number.NaN)).toEqual({ state: "in_progress", progress: 10, changed: false });
    expect(at(Number.POSITIVE_INFINITY).progress).toBe(10);
    expect(at(42.9).progress).toBe(42);
  });

  test("the same answer twice changes nothing the second time", () => {
    const first = applyPoll({ state: "queued", progress: 0 }, { state: "in_progress", progress: 5 });
    expect(applyPoll(first, { state: "in_progress", progress: 5 }).changed).toBe(false);
  });
});
