// Three instances on one PostgreSQL (issue 17), calls spread round-robin over them with the official
// `openai` client: 200 calls at once against a token worth 50 calls give exactly 50 answers and 150
// refusals (429), the upstream sees 50, and the database's balance + what leases hold + Σ logged costs
// equals what the token started with; the same against a user's balance spread over three tokens.
import { expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { knownOnAll, raceCalls, settledMoney, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { makeUser } from "../../support/server";

const CALL_UNITS = 1000; // per_call 0.002 USD
const WORTH = 50;
const CALLS = 200;

describePg("three instances on one PostgreSQL", () => {
  const c = useCluster(3, "race-model");
  const race = (keys: string[]) => raceCalls(c, keys, CALLS, "race-model");
  const knownEverywhere = (key: string) => knownOnAll(c, key);
  const settled = (kind: "token" | "user", id: number, calls: number) => settledMoney(c, kind, id, calls);

  test("each instance says it serves from the database, not a data dir", () => {
    for (const s of c.servers) expect(s.output()).toContain(`(data: ${c.database.url})`);
  });

  test("200 calls at once against a token worth 50: exactly 50 served, 150 refused, money exact", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "racer");
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: 10_000_000 }), 200);
    const t = expectReply(await u.api.post("/api/token/", { name: "race", remain_quota: WORTH * CALL_UNITS }), 201);
    await knownEverywhere(t.key);
    expect(await race([t.key])).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const m = await settled("token", t.id, WORTH);
    expect(m).toEqual({ balance: m.balance, leased: m.leased, logged: WORTH * CALL_UNITS, calls: WORTH });
    expect(m.balance + m.leased + m.logged).toBe(WORTH * CALL_UNITS);
  });

  test("the same against a user's balance over three unlimited tokens", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "shared");
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: WORTH * CALL_UNITS }), 200);
    const keys: string[] = [];
    for (const name of ["a", "b", "c"])
      keys.push(expectReply(await u.api.post("/api/token/", { name, unlimited_quota: true }), 201).key);
    for (const k of keys) await knownEverywhere(k);
    expect(await race(keys)).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const m = await settled("user", u.id, WORTH);
    expect(m.logged).toBe(WORTH * CALL_UNITS);
    expect(m.balance + m.leased + m.logged).toBe(WORTH * CALL_UNITS);
  });
});
