// PostgreSQL gone for 10 s under load (issue 17), through a TCP proxy the test cuts (the machine's shared
// cluster is never stopped): no 500s, /readyz answers 503 while the database is unreachable and 200 once
// it is back, new calls get 503 database_unavailable with retry-after meanwhile, and after recovery every
// call that was served is logged and charged (nothing lost from the ledger's queue), balance + Σ = initial.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually, loadUntil, moneyOf, perCallModel } from "../../support/cluster";
import { CLUSTER_SECRET } from "../../support/cluster";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { describePg, usePgDatabase } from "../../support/postgres";
import { ADMIN_PASSWORD, client, login, makeUser, type Server, startServer } from "../../support/server";
import { cuttableProxy } from "../../support/tcp-proxy";

const CALL_UNITS = 1000;
const OUTAGE_MS = 10_000;

describePg("PostgreSQL unreachable for 10 s under load", () => {
  let server: Server;
  let mock: MockUpstream;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  // stopped before the database is dropped (hooks run in the order they are defined)
  afterAll(async () => {
    proxy?.restore();
    await server?.stop();
    proxy?.close();
    mock?.stop();
  });
  const database = usePgDatabase();

  beforeAll(async () => {
    mock = startMockUpstream({ delayMs: 20 });
    proxy = await cuttableProxy(Number(new URL(database.url).port || 5432));
    const through = new URL(database.url);
    through.port = String(proxy.port);
    server = await startServer({
      args: ["--database", through.toString()],
      env: { APIYI_SECRET: CLUSTER_SECRET, APIYI_TEST_LEASE_MS: "2000" },
    });
  });
  test("no 500s, /readyz follows the database, 503 database_unavailable meanwhile, the money exact after", async () => {
    const adminAuth = await login(server.url, "admin", ADMIN_PASSWORD);
    const admin = client(server.url, adminAuth);
    await perCallModel(admin, mock.url, "out-model");
    const u = await makeUser(server.url, adminAuth, "outage");
    expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: 100_000 * CALL_UNITS }), 200);
    const initial = 50_000 * CALL_UNITS;
    const t = expectReply(await u.api.post("/api/token/", { name: "out", remain_quota: initial }), 201);
    const ready = async () => (await fetch(`${server.url}/readyz`)).status;

    let done = false;
    const load = loadUntil([server.url], t.key, "out-model", 8, () => done);
    await Bun.sleep(500);
    proxy.cut();
    const cutAt = Date.now();
    expect(await eventually(async () => (await ready()) === 503, OUTAGE_MS)).toBe(true);
    const refusal = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "out-model", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(refusal.status).toBe(503);
    expect(refusal.headers.get("retry-after")).toBeTruthy();
    expect(((await refusal.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
    await Bun.sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
    proxy.restore();
    expect(await eventually(async () => (await ready()) === 200, 20_000)).toBe(true);
    await Bun.sleep(500); // served again for a while
    done = true;
    const got = await load;

    expect(got.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const served = got.filter((s) => s === 200).length;
    expect(got.filter((s) => s === 503).length).toBeGreaterThan(0);
    // every served call's row reaches the database; idle leases go back
    const settled = await eventually(async () => {
      const m = await moneyOf(database.url, "token", t.id);
      return m.calls === served && m.leased === 0;
    }, 15_000);
    const m = await moneyOf(database.url, "token", t.id);
    expect({ settled, calls: m.calls, logged: m.logged }).toEqual({
      settled: true,
      calls: served,
      logged: served * CALL_UNITS,
    });
    expect(m.balance + m.logged).toBe(initial);
  }, 90_000);
});
