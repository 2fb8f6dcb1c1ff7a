// Contract: the PostgreSQL twin of the video job store answers exactly what SQLite's answers, method
// by method, with the same inputs: a client's own jobs and pages (ties on created_at, cursors both
// ways), the poller's due reads per channel, the sweep's reads, moves that leave an ended job as it
// ended, a job finished once (the second finish changes nothing), and results by expiry.
import { expect, test } from "bun:test";
import type { FinalMove, NewVideoJob } from "../../../src/store/videos";
import { describePg } from "../../support/postgres";
import { useRecordStores } from "../../support/record-stores";

/** A job of user 7 unless told; `n` makes its id, request id and upstream id. */
function job(n: string, over: Partial<NewVideoJob>): NewVideoJob {
  return {
    id: `video_${n}`,
    userId: 7,
    tokenId: 1,
    requestId: `req-${n}`,
    inbound: "openai",
    model: "sora-2",
    upstreamModel: "sora-2",
    group: "default",
    channelId: 1,
    keyIndex: 0,
    upstreamId: `up-${n}`,
    state: "queued",
    seconds: 4,
    price: '{"per_second":1}',
    multiplierMicros: 1_000_000,
    holdUnits: 40,
    hold: "{}",
    nextPollAt: 0,
    createdAt: 1000,
    updatedAt: 1000,
    ...over,
  };
}

const completed: FinalMove = {
  state: "completed",
  progress: 100,
  reportedSeconds: 4,
  chargedUnits: 38,
  updatedAt: 9000,
  completedAt: 9000,
  resultRef: "https://cdn.example/v.mp4",
  expiresAt: 20_000,
  errorCode: "",
  errorMessage: "",
};

describePg("video job store: PostgreSQL answers what SQLite answers", () => {
  const { both } = useRecordStores();

  test("jobs: reads, pages, due reads, moves, a job finished once, results by expiry", async () => {
    const jobs = [
      job("b2", { createdAt: 1000, nextPollAt: 500 }),
      job("a1", { createdAt: 1000, nextPollAt: 500, channelId: 2 }),
      job("Zz", { createdAt: 1000, nextPollAt: 400 }),
      job("c3", { createdAt: 2000, nextPollAt: 300, state: "in_progress" }),
      job("d4", { createdAt: 3000, nextPollAt: 100, state: "submitted", channelId: 2 }),
      job("e5", { createdAt: 3000, nextPollAt: 50, state: "failed" }),
      job("f6", { createdAt: 4000, nextPollAt: 600, userId: 8 }),
      job("g7", { createdAt: 500, nextPollAt: 5000, channelId: 3 }),
      job("h8", { createdAt: 1500, state: "completed", expiresAt: null }),
    ];
    for (const j of jobs) expect(await both((s) => s.videos.insert(j))).toBeUndefined();

    expect(await both((s) => s.videos.byId("video_c3"))).toMatchObject({ state: "in_progress", reportedSeconds: null });
    expect(await both((s) => s.videos.byId("video_none"))).toBeUndefined();
    expect(await both((s) => s.videos.ofUser("video_f6", 8))).toMatchObject({ userId: 8 });
    expect(await both((s) => s.videos.ofUser("video_f6", 7))).toBeUndefined();

    for (const order of ["desc", "asc"] as const) {
      const all = await both((s) => s.videos.list(7, { limit: 50, order }));
      expect(all).toHaveLength(8);
      for (const after of all) for (const limit of [1, 3]) await both((s) => s.videos.list(7, { after, limit, order }));
    }
    expect(await both((s) => s.videos.list(99, { limit: 5, order: "desc" }))).toEqual([]);

    for (const [now, perChannel] of [
      [1000, 10],
      [1000, 1],
      [450, 2],
      [10, 5],
      [10_000, 2],
    ] as const)
      await both((s) => s.videos.due(now, perChannel));
    expect((await both((s) => s.videos.due(1000, 1))).map((d) => d.id)).toEqual(["video_d4", "video_c3"]);
    for (const ms of [0, 1001, 3001, 10_000]) await both((s) => s.videos.liveSince(ms));
    expect(await both((s) => s.videos.countLive())).toBe(7);

    // a poll's move and advance change a live job, never an ended one
    for (const id of ["video_b2", "video_e5", "video_none"]) {
      const move = { state: "in_progress", progress: 40, polls: 2, nextPollAt: 700, updatedAt: 1100 };
      expect(await both((s) => s.videos.moveOn(id, move))).toBeUndefined();
      expect(await both((s) => s.videos.advance(id, { nextPollAt: 800, prompt: "moved" }))).toBeUndefined();
      await both((s) => s.videos.byId(id));
    }
    expect(await both((s) => s.videos.byId("video_e5"))).toMatchObject({ state: "failed", polls: 0, prompt: "" });
    expect(await both((s) => s.videos.update("video_e5", { errorMessage: "upstream said no" }))).toBeUndefined();
    await both((s) => s.videos.byId("video_e5"));

    // finished once: the second finish (and a finish of an ended or unknown job) changes nothing
    expect(await both((s) => s.videos.finish("video_b2", completed))).toBe(true);
    const failed = { ...completed, state: "failed", errorCode: "x", chargedUnits: 0 };
    expect(await both((s) => s.videos.finish("video_b2", failed))).toBe(false);
    expect(await both((s) => s.videos.finish("video_e5", completed))).toBe(false);
    expect(await both((s) => s.videos.finish("video_none", completed))).toBe(false);
    expect(await both((s) => s.videos.byId("video_b2"))).toMatchObject(completed);
    expect(await both((s) => s.videos.finish("video_c3", { ...completed, expiresAt: 15_000 }))).toBe(true);
    expect(await both((s) => s.videos.countLive())).toBe(5);

    for (const [user, now] of [
      [7, 0],
      [7, 15_000],
      [7, 20_000],
      [8, 0],
    ] as const)
      await both((s) => s.videos.unexpired(user, now));
    expect((await both((s) => s.videos.unexpired(7, 0))).map((j) => j.id)).toEqual(["video_b2", "video_c3"]);
  });
});
