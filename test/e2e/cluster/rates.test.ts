// Rate limits on three instances of one PostgreSQL (issue 17): every limited call is admitted in
// PostgreSQL (store/pg/rates.ts), so a limit holds for the whole cluster, not per instance: 200 calls
// at once spread round-robin against 50 requests a minute give exactly 50 answers; 30 slow calls against
// 5 at once reach the upstream 5 at a time; calls that ended free their places for the next (an
// instance writes its calls' ends within 20 ms, and before its own next admission).
import { expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { chatStatus, eventually, knownOnAll, perCallModel, raceCalls, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { makeUser } from "../../support/server";

const CALLS = 200;

describePg("rate limits over three instances", () => {
  const c = useCluster(3, "rate-model");

  async function limitedKey(name: string, limits: Record<string, number>) {
    const u = await makeUser(c.servers[0].url, c.adminAuth, name);
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: 100_000_000 }), 200);
    const t = expectReply(await u.api.post("/api/token/", { name, remain_quota: 50_000_000, ...limits }), 201);
    await knownOnAll(c, t.key);
    return t.key as string;
  }

  test("50 requests a minute: 200 calls at once over three instances give exactly 50", async () => {
    const key = await limitedKey("rpm", { rpm_limit: 50 });
    expect(await raceCalls(c, [key], CALLS, "rate-model")).toEqual({
      ok: 50,
      refused: CALLS - 50,
      other: 0,
      upstream: 50,
    });
  });

  test("5 calls at once: 30 slow calls over three instances, 5 reach the upstream; then the next 5", async () => {
    await perCallModel(c.admin, c.mock.urlFor("slow_first_byte=600"), "rate-slow");
    const key = await limitedKey("parallel", { max_parallel_requests: 5 });
    for (const s of c.servers) expect(await chatStatus(s.url, key, "rate-slow")).toBe(200); // every instance knows the model
    const before = c.mock.requests.length;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => chatStatus(c.servers[i % 3].url, key, "rate-slow")),
    );
    expect(statuses.filter((s) => s === 200).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(25);
    expect(c.mock.requests.length - before).toBe(5);
    // they ended: their places come free on every instance (each writes its calls' ends within 20 ms)
    for (const s of c.servers)
      expect(await eventually(async () => (await chatStatus(s.url, key, "rate-slow")) === 200, 2000)).toBe(true);
  });
});
