// The video job store and the ledger's atomic step, on a real migrated SQLite file: the due read gives
// each channel at most its share (a channel's backlog never crowds the others out), longest due first;
// advance moves live jobs only (an ended job stays ended); and Ledger.atomically writes a step and the
// money it queued together, or neither.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open";
import { Ledger } from "../../src/store/ledger";
import { type NewVideoJob, videoStore } from "../../src/store/videos";

const dir = mkdtempSync(join(tmpdir(), "apiyi-videos-"));
const db = openDatabase(join(dir, "apiyi.db"));
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});
const videos = videoStore(db);

let serial = 0;
function job(channelId: number, nextPollAt: number, state = "queued"): string {
  const id = `video_${String(++serial).padStart(32, "0")}`;
  const row: NewVideoJob = {
    id,
    userId: 1,
    tokenId: 1,
    requestId: `req-${serial}`,
    inbound: "openai",
    model: "m",
    upstreamModel: "m",
    group: "default",
    channelId,
    keyIndex: 0,
    upstreamId: `up-${serial}`,
    state,
    seconds: 4,
    price: "{}",
    multiplierMicros: 1_000_000,
    holdUnits: 1,
    hold: "{}",
    nextPollAt,
    createdAt: 0,
    updatedAt: 0,
  };
  videos.insert(row);
  return id;
}

const completed = {
  state: "completed",
  progress: 100,
  reportedSeconds: 4,
  chargedUnits: 5,
  updatedAt: 11,
  completedAt: 11,
  resultRef: "r",
  expiresAt: null,
  errorCode: "",
  errorMessage: "",
};

test("due: at most the share of each channel, longest due first; live jobs only, due ones only", () => {
  const backlog = Array.from({ length: 50 }, (_, i) => job(1, 100 + i)); // channel 1: 50 due, all older
  const other = [job(2, 900), job(2, 800), job(2, 950)];
  job(3, 100, "completed");
  job(3, 5000);
  const due = videos.due(1000, 2);
  expect(due.map((d) => d.id)).toEqual([backlog[0], backlog[1], other[1], other[0]]);
  expect(due[0]).toEqual({ id: backlog[0], channelId: 1, nextPollAtMs: 100 });
  expect(videos.due(99, 2)).toEqual([]);
});

test("a poll's move and advance change a live job, never an ended one; finish ends a job once", () => {
  const live = job(4, 0);
  const ended = job(4, 0, "cancelled");
  for (const id of [live, ended]) {
    videos.moveOn(id, { state: "in_progress", progress: 50, polls: 1, nextPollAt: 7, updatedAt: 3 });
    videos.advance(id, { nextPollAt: 9 });
  }
  expect(videos.byId(live)).toMatchObject({
    state: "in_progress",
    progress: 50,
    polls: 1,
    nextPollAt: 9,
    updatedAt: 3,
  });
  expect(videos.byId(ended)).toMatchObject({ state: "cancelled", progress: 0, polls: 0, nextPollAt: 0, updatedAt: 0 });
  expect(videos.finish(live, completed)).toBe(true);
  expect(videos.finish(live, { ...completed, state: "failed" })).toBe(false);
  expect(videos.byId(live)).toMatchObject({ state: "completed", chargedUnits: 5, resultRef: "r", completedAt: 11 });
});

test("Ledger.atomically: the step and the events it queued are written together, or not at all", async () => {
  const ledger = new Ledger(db);
  const a = job(5, 0);
  const logs = () => (db.$client.query("SELECT count(*) AS n FROM logs WHERE request_id = 'atomic'").get() as any).n;
  const row = { createdAt: 0, type: 2, userId: 1, requestId: "atomic", quota: 0 };
  expect(
    await ledger.atomically(() => {
      ledger.push(row);
      return videos.finish(a, completed);
    }),
  ).toBe(true);
  expect({ state: videos.byId(a)?.state, logs: logs(), queued: ledger.depth }).toEqual({
    state: "completed",
    logs: 1,
    queued: 0,
  });
  const b = job(5, 0);
  expect(() =>
    ledger.atomically(() => {
      videos.finish(b, completed);
      throw new Error("the step failed");
    }),
  ).toThrow("the step failed");
  expect(videos.byId(b)?.state).toBe("queued");
});
