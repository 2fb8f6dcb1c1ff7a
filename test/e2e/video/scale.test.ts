// Video jobs at scale (issue 15; new-api #5717 polls each channel serially with a 1 s sleep, so
// thousands of tasks back up for hours): 2,000 jobs across 3 OpenAI-shaped channels on the mock, one of
// which fails every job, all reach a final state on the server's test clock, with never more status
// polls in flight than video_poll_per_channel to one channel nor video_poll_overall in all, each job
// billed exactly once (completed: its seconds × the price; failed: nothing), and balance + Σ logged
// costs = initial for the user and the token. Wall-clock figures are bench/video-poll.ts's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { testClock, useServer } from "../../support/server";
import {
  type Account,
  expectBilledOnce,
  submitAll,
  UNITS_PER_SECOND,
  untilNoneLive,
  videoAccount,
  videoChannels,
  videoDb,
} from "../../support/video-load";

const JOBS = 2000;
const PER_CHANNEL = 4;
const OVERALL = 10;
const mock = startMockVideo();
const app = useServer({ env: testClock() });
let gw: Gateway;
let models: Record<string, string>;
let acct: Account;

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  expectReply(
    await gw.admin.put("/api/setting", { video_poll_per_channel: PER_CHANNEL, video_poll_overall: OVERALL }),
    200,
  );
  // every status poll takes 20 ms at the upstream, so polls overlap and the limits are what bounds them
  models = await videoChannels(gw, {
    a: mock.urlFor("tag=a,pollDelayMs=20", "openai"),
    b: mock.urlFor("tag=b,pollDelayMs=20,pollsToComplete=3,moreSeconds=4", "openai"),
    c: mock.urlFor("tag=c,pollDelayMs=20,fail", "openai"),
  });
  acct = await videoAccount(app.url, gw, "scale-video", 1_000_000_000, 900_000_000);
});
afterAll(() => mock.stop());

test(`${JOBS} jobs across 3 channels: all final, within the limits, each billed once`, async () => {
  const tags = ["a", "b", "c"];
  const asks = Array.from({ length: JOBS }, (_, i) => ({ model: models[tags[i % 3]], seconds: i % 2 ? 8 : 4 }));
  const ids = await submitAll(app.url, acct.key, asks);
  expect(new Set(ids).size).toBe(JOBS);
  expect(mock.jobs.length).toBe(JOBS);

  const db = videoDb(app.server.dataDir);
  try {
    await untilNoneLive(gw, db);
    const jobs = await db.jobs();
    const channelOf = new Map(jobs.map((j) => [j.id, j.channel_id]));
    const failing = channelOf.get(ids[2])!; // every third job went to the failing channel c
    const states: Record<string, number> = {};
    for (const j of jobs) states[j.state] = (states[j.state] ?? 0) + 1;
    expect(states).toEqual({ completed: 1334, failed: 666 });
    for (const j of jobs)
      expect({ id: j.id, failed: j.state === "failed" }).toEqual({ id: j.id, failed: j.channel_id === failing });

    // never more polls in flight than the settings allow, and every upstream job was polled to its end
    for (const tag of tags) expect({ tag, peak: mock.peakInFlight(tag) <= PER_CHANNEL }).toEqual({ tag, peak: true });
    expect(mock.peakInFlight()).toBeLessThanOrEqual(OVERALL);
    expect(mock.peakInFlight()).toBeGreaterThan(1);
    expect(mock.jobs.filter((j) => j.status === "queued" || j.status === "in_progress")).toEqual([]);

    // completed: the seconds asked × $0.10 (channel b reports 4 s more: charged the hold, no more); failed: 0
    const seconds = new Map(ids.map((id, i) => [id, asks[i].seconds]));
    const total = await expectBilledOnce(gw, db, acct, ids, (id, job) =>
      job.state === "completed" ? seconds.get(id)! * UNITS_PER_SECOND : 0,
    );
    const want = asks.reduce((s, a, i) => s + (i % 3 === 2 ? 0 : a.seconds * UNITS_PER_SECOND), 0);
    expect(total).toBe(want);
  } finally {
    await db.close();
  }
}, 120_000);
