// Video jobs on three instances of one PostgreSQL (issue 17): a job's hold leaves the submitting
// instance's quota lease for the job's row as the job is written, so it outlives that instance. Jobs
// are submitted on two instances, one of them is killed (kill -9) right after; the leader polls every
// job to its end and settles each once; once the dead instance's leases have expired, the user's and the
// token's balance + the holds of live jobs + Σ logged costs = what they were given, at every step.
import { expect, test } from "bun:test";
import { crash } from "../../support/crash";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockVideo } from "../../support/mock-video";
import { knownOnAll, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { testClock } from "../../support/server";
import {
  expectBilledOnce,
  submitAll,
  UNITS_PER_SECOND,
  videoAccount,
  videoChannels,
  videoDb,
} from "../../support/video-load";

const JOBS = 60;
const LEASE_MS = 2000;

describePg("video jobs over three instances", () => {
  const c = useCluster(3, "chat-model", { ...testClock(), APIYI_TEST_LEASE_MS: String(LEASE_MS) });
  const mock = startMockVideo();

  test("jobs submitted on an instance killed right after are polled to their end and billed once", async () => {
    const gws: Gateway[] = [];
    for (const s of c.servers) gws.push(await gatewayAdmin(s.url));
    const models = await videoChannels(gws[0], {
      a: mock.urlFor("tag=a,pollDelayMs=20,pollsToComplete=3", "openai"),
      b: mock.urlFor("tag=b,pollDelayMs=20,pollsToComplete=3,fail", "openai"),
    });
    const acct = await videoAccount(c.servers[0].url, gws[0], "cluster-video", 100_000_000, 80_000_000);
    const asks = Array.from({ length: JOBS }, (_, i) => ({ model: i % 4 === 3 ? models.b : models.a, seconds: 4 }));
    // every instance has heard of the key, and so of the channels made before it (a reload reads everything)
    await knownOnAll(c, acct.key);
    const half = JOBS / 2;
    const ids = [
      ...(await submitAll(c.servers[1].url, acct.key, asks.slice(0, half), 10)),
      ...(await submitAll(c.servers[2].url, acct.key, asks.slice(half), 10)),
    ];
    await crash(c.servers[2]);
    const alive = gws.slice(0, 2);
    const db = videoDb(c.database.url);
    try {
      // the clocks of the live instances move on until every job has ended
      for (let round = 0; (await db.live()) > 0; round++) {
        if (round > 200) throw new Error(`${await db.live()} jobs still live`);
        for (const gw of alive) await gw.advanceClock(31);
        await Bun.sleep(100);
      }
      // the dead instance's leases come back once expired; then the money adds up, each job billed once
      await Bun.sleep(3 * LEASE_MS);
      await alive[0].advanceClock(1);
      const total = await expectBilledOnce(alive[0], db, acct, ids, (_id, job) =>
        job.state === "completed" ? 4 * UNITS_PER_SECOND : 0,
      );
      expect(total).toBe(asks.filter((a) => a.model === models.a).length * 4 * UNITS_PER_SECOND);
    } finally {
      await db.close();
      mock.stop();
    }
  }, 90_000);
});
