// The video poller's regressions (issue 15), on the server's test clock against the mock upstream:
// a channel whose polls hang (and whose backlog is older and larger than the others') holds up its own
// poll slots only, so the jobs of another channel still run to their end meanwhile (new-api #5717); and
// a job cancelled by its owner while a poll of it is in flight stays cancelled, with one log row and
// its hold given back once (the poll's late answer does not bring it back to life).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { testClock, useServer } from "../../support/server";
import { submitAll, videoAccount, videoChannels, videoDb } from "../../support/video-load";

const PER_CHANNEL = 2;
const mock = startMockVideo();
const app = useServer({ env: testClock() });
let gw: Gateway;
let models: Record<string, string>;

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  expectReply(await gw.admin.put("/api/setting", { video_poll_per_channel: PER_CHANNEL, video_poll_overall: 10 }), 200);
  models = await videoChannels(gw, {
    // every status poll hangs for 30 s
    slow: mock.urlFor("tag=slow,pollDelayMs=30000", "openai"),
    fast: mock.urlFor("tag=fast", "openai"),
    // the upstream refuses to cancel, and a poll takes a second to answer
    stuck: mock.urlFor("tag=stuck,pollDelayMs=1000", "openai"),
  });
});
afterAll(() => mock.stop());

const upstreamOf = (tag: string) => mock.jobs.filter((j) => j.tag === tag);

test("a channel whose polls hang holds up its own slots only: another channel's jobs run to their end", async () => {
  const acct = await videoAccount(app.url, gw, "poller-slow", 100_000_000, 100_000_000);
  // the slow channel's 150 jobs are due first and outnumber any one read of the due jobs
  await submitAll(
    app.url,
    acct.key,
    Array.from({ length: 150 }, () => ({ model: models.slow, seconds: 4 })),
  );
  const fast = await submitAll(
    app.url,
    acct.key,
    Array.from({ length: 20 }, () => ({ model: models.fast, seconds: 4 })),
  );
  const db = videoDb(app.server.dataDir);
  try {
    const finalFast = async () =>
      (await db.jobs()).filter((j) => fast.includes(j.id) && j.state === "completed").length;
    for (let round = 0; (await finalFast()) < fast.length; round++) {
      if (round > 100) throw new Error(`${await finalFast()} of ${fast.length} jobs of the fast channel completed`);
      await gw.advanceClock(31);
      await Bun.sleep(50);
    }
    // meanwhile the slow channel had its share in flight, and not one of its polls has answered yet
    expect(mock.peakInFlight("slow")).toBe(PER_CHANNEL);
    expect(upstreamOf("slow").every((j) => j.polls === 0)).toBe(true);
    expect(upstreamOf("fast").every((j) => j.status === "completed")).toBe(true);
  } finally {
    await db.close();
  }
}, 60_000);

test("a job cancelled while a poll of it is in flight stays cancelled: one log row, the hold back once", async () => {
  const acct = await videoAccount(app.url, gw, "poller-cancel", 10_000_000, 10_000_000);
  const [id] = await submitAll(app.url, acct.key, [{ model: models.stuck, seconds: 8 }]);
  const up = upstreamOf("stuck")[0];
  await gw.advanceClock(3);
  await mock.waitFor(() => mock.requests.some((r) => r.tag === "stuck" && r.method === "GET"), 5000);
  const headers = { authorization: `Bearer ${acct.key}` };
  const del = await fetch(`${app.url}/v1/videos/${id}`, { method: "DELETE", headers });
  expect(del.status).toBe(200);
  expect(await del.json()).toEqual({ id, object: "video.deleted", deleted: true });
  expect(up.cancelled).toBe(true); // stopped upstream
  await mock.waitFor(() => up.polls === 1, 5000); // the poll in flight answered late (in progress, when it was asked)
  for (let i = 0; i < 20; i++) {
    await gw.advanceClock(31);
    await Bun.sleep(100);
  }
  expect(up.polls).toBe(1); // never polled again
  const db = videoDb(app.server.dataDir);
  try {
    expect((await db.jobs()).find((j) => j.id === id)?.state).toBe("cancelled");
    const user = expectReply(await gw.admin.get(`/api/user/${acct.id}`), 200);
    const rows = (await db.logs()).filter((l) => l.video === id);
    expect(rows.map((r) => r.quota)).toEqual([0]);
    expect({ quota: user.quota, used: user.used_quota }).toEqual({ quota: acct.balance, used: 0 });
  } finally {
    await db.close();
  }
}, 30_000);
