// Video jobs across restarts (issue 15): the poller is driven from the job table, so a server stopped
// in the middle of hundreds of jobs (SIGTERM, then kill -9 while polls are in flight) and started again
// on the same data dir polls them on to the end: nothing lost (every job ends final), nothing billed
// twice (one log row per job), no live job's hold given back at start (the balance right after the
// restart still has them deducted), and balance + Σ logged costs = initial at every stop and at the end.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { crash } from "../../support/crash";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { scratchDirs, type Server, startServer, testClock } from "../../support/server";
import {
  type Account,
  expectBilledOnce,
  LIVE,
  submitAll,
  UNITS_PER_SECOND,
  untilNoneLive,
  videoAccount,
  videoChannels,
  videoDb,
} from "../../support/video-load";

const JOBS = 300;
const mock = startMockVideo();
const scratch = scratchDirs("apiyi-video-restart-");
const dataDir = scratch();
let server: Server | undefined;
let gw: Gateway;
let acct: Account;
let ids: string[] = [];
const seconds = new Map<string, number>();
/** the test clock's last reading, carried over to the next start */
let clockMs = Date.now();

async function start(atMs = clockMs) {
  server = await startServer({ dataDir, env: testClock(atMs) });
  gw = await gatewayAdmin(server.url);
}

beforeAll(async () => {
  await start();
  expectReply(await gw.admin.put("/api/setting", { video_poll_per_channel: 4, video_poll_overall: 10 }), 200);
  // each job needs 4 polls (the 2nd one 3 s of clock after the 1st, and so on): enough to stop in between
  const models = await videoChannels(gw, {
    a: mock.urlFor("tag=a,pollDelayMs=20,pollsToComplete=4", "openai"),
    b: mock.urlFor("tag=b,pollDelayMs=20,pollsToComplete=4,noSeconds", "openai"),
    c: mock.urlFor("tag=c,pollDelayMs=20,pollsToComplete=4,fail", "openai"),
  });
  acct = await videoAccount(server!.url, gw, "restart-video", 200_000_000, 150_000_000);
  const tags = ["a", "b", "c"];
  const asks = Array.from({ length: JOBS }, (_, i) => ({ model: models[tags[i % 3]], seconds: 4 + 4 * (i % 3) }));
  ids = await submitAll(server!.url, acct.key, asks);
  ids.forEach((id, i) => seconds.set(id, asks[i].seconds));
});
afterAll(async () => {
  await server?.stop();
  mock.stop();
});

/** Moves the clock on until at least `ended` more jobs are final, and (for a crash) polls are in flight. */
async function runUntil(ended: number) {
  const db = videoDb(dataDir);
  try {
    const target = Math.min(JOBS, JOBS - (await db.live()) + ended);
    for (let round = 0; JOBS - (await db.live()) < target; round++) {
      if (round > 500) throw new Error(`${await db.live()} jobs live, fewer than ${target} ended`);
      clockMs = await gw.advanceClock(4);
      await Bun.sleep(40);
    }
  } finally {
    await db.close();
  }
}

/** The data dir of a stopped server: held + charged + balance = initial, one log row per ended job, a
 * hold for each live job and for nothing else. */
async function expectConsistent() {
  const db = videoDb(dataDir);
  try {
    const jobs = await db.jobs();
    const live = new Set(jobs.filter((j) => LIVE.includes(j.state)).map((j) => j.id));
    const logs = await db.logs();
    const ended = jobs.filter((j) => !live.has(j.id)).map((j) => j.id);
    const logged = logs.map((l) => l.video);
    expect(logged.sort()).toEqual(ended.sort());
    const holds = await db.holds();
    expect(holds.map((h) => h.request_id).sort()).toEqual([...live].sort());
    const { user, token } = await db.account(acct.id, acct.tokenId);
    const charged = logs.reduce((s, l) => s + l.quota, 0);
    const held = holds.reduce((s, h) => s + h.user_amount, 0);
    expect({ user: user.quota + held + charged, used: user.used_quota }).toEqual({ user: acct.balance, used: charged });
    expect(token.remain_quota + holds.reduce((s, h) => s + h.token_amount, 0) + charged).toBe(acct.quota);
    return { live: live.size, held, balance: user.quota, firstDueMs: await db.firstDue() };
  } finally {
    await db.close();
  }
}

/** Starts the server again: it says nothing about released holds, and the balance still has the live
 * jobs' holds deducted (read through the API, as the user sees it, before any poll is due); then the
 * clock moves on to where it was. */
async function restart(before: { live: number; held: number; balance: number; firstDueMs: number }) {
  // a minute before the first poll due: no poll (and no money) moves until the test moves the clock
  const atMs = before.firstDueMs - 60_000;
  await start(atMs);
  expect(server!.output()).not.toMatch(/released \d+ hold/);
  const user = expectReply(await gw.admin.get(`/api/user/${acct.id}`), 200);
  expect(user.quota).toBe(before.balance);
  const db = videoDb(dataDir);
  try {
    expect((await db.holds()).length).toBe(before.live);
    expect(await db.live()).toBe(before.live);
  } finally {
    await db.close();
  }
  clockMs = await gw.advanceClock(Math.ceil((clockMs - atMs) / 1000));
}

test("SIGTERM in the middle: the live jobs keep their holds and are polled on after the restart", async () => {
  await runUntil(JOBS / 4);
  expect(await server!.stop("SIGTERM")).toBe(0);
  server = undefined;
  const state = await expectConsistent();
  expect(state.live).toBeGreaterThan(0);
  expect(state.held).toBeGreaterThan(0);
  await restart(state);
}, 60_000);

test("kill -9 while polls are in flight: nothing lost, nothing billed twice", async () => {
  for (let round = 0; round < 3; round++) {
    await runUntil(JOBS / 10);
    // crash right after the clock moved on, while the polls it made due are in flight and ending jobs
    clockMs = await gw.advanceClock(4);
    await Bun.sleep(15 + 10 * round);
    await crash(server!);
    server = undefined;
    const state = await expectConsistent();
    if (state.live === 0) break;
    await restart(state);
  }
  if (!server) await start();
  const db = videoDb(dataDir);
  try {
    await untilNoneLive(gw, db, { step: 10 });
    expect(mock.jobs.filter((j) => j.status === "queued" || j.status === "in_progress")).toEqual([]);
    // completed: the seconds held (channel b reports none: the hold); failed (channel c): nothing
    const channels = new Map((await db.jobs()).map((j) => [j.id, j.state]));
    expect([...channels.values()].filter((s) => s === "failed").length).toBe(JOBS / 3);
    await expectBilledOnce(gw, db, acct, ids, (id, job) =>
      job.state === "completed" ? seconds.get(id)! * UNITS_PER_SECOND : 0,
    );
  } finally {
    await db.close();
  }
}, 90_000);
