// kill -9 of one of three instances on one PostgreSQL under load (issue 17), with short leases: once the
// dead instance's leases have expired and the leader has given them back, every account's balance +
// Σ logged costs equals what it started with, and nothing is left leased. A token disabled through one
// instance is refused by the others once the change has reached them.
import { expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { eventually, loadUntil, moneyOf, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { makeUser } from "../../support/server";

const CALL_UNITS = 1000;
const LEASE_MS = 2000;

describePg("an instance killed under load", () => {
  const c = useCluster(3, "crash-model", { APIYI_TEST_LEASE_MS: String(LEASE_MS) }, { delayMs: 30 });

  test("kill -9 mid-load: after the dead lease expires, balance + Σ costs = initial for the token and its user", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "crashy");
    const admin = c.admin;
    const initialUser = 4000 * CALL_UNITS;
    expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: initialUser }), 200);
    const initialToken = 3000 * CALL_UNITS;
    const t = expectReply(await u.api.post("/api/token/", { name: "crash", remain_quota: initialToken }), 201);
    const urls = c.servers.map((s) => s.url);
    const known = await eventually(async () => {
      const r = await Promise.all(
        urls.map((url) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${t.key}` } })),
      );
      return r.every((x) => x.status === 200);
    }, 5000);
    expect(known).toBe(true);
    // load on all three; the third dies in the middle of it
    let done = false;
    const load = loadUntil(urls, t.key, "crash-model", 24, () => done);
    await Bun.sleep(600);
    c.servers[2].proc.kill("SIGKILL");
    await Bun.sleep(600);
    done = true;
    const got = await load;
    // 0: a call to the killed instance; 429: the token spent (the machine may serve all 3,000 in time)
    expect(got.filter((s) => ![200, 0, 429].includes(s))).toEqual([]);
    expect(got.filter((s) => s === 200).length).toBeGreaterThan(0);
    // the live instances give idle leases back; the dead one's expire and the leader gives them back
    const settledBoth = await eventually(
      async () => {
        const [tm, um] = await Promise.all([
          moneyOf(c.database.url, "token", t.id),
          moneyOf(c.database.url, "user", u.id),
        ]);
        return tm.leased === 0 && um.leased === 0;
      },
      4 * LEASE_MS + 5000,
    );
    expect(settledBoth).toBe(true);
    const token = await moneyOf(c.database.url, "token", t.id);
    const user = await moneyOf(c.database.url, "user", u.id);
    expect(token.balance + token.logged).toBe(initialToken);
    expect(user.balance + user.logged).toBe(initialUser);
    expect(token.logged).toBe(token.calls * CALL_UNITS);
  }, 60_000);

  test("a token disabled through one instance is refused by the others once the change reached them", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "switcher");
    const t = expectReply(await u.api.post("/api/token/", { name: "switch", unlimited_quota: true }), 201);
    const models = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(await eventually(async () => (await models(c.servers[1].url)).status === 200, 5000)).toBe(true);
    expectReply(await u.api.put("/api/token/?status_only=true", { id: t.id, status: 2 }), 200);
    // propagation is measured in bench/pg-cluster.ts; here it must come within a bounded wait
    expect(await eventually(async () => (await models(c.servers[1].url)).status === 401, 5000)).toBe(true);
  });
});
