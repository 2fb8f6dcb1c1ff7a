// Budget periods on three instances of one PostgreSQL (issue 17): a daily allowance worth 50 calls gives
// exactly 50 a day however the calls are spread; at midnight (every instance's test clock moved past
// it) the first instance to see the boundary rolls the account once in PostgreSQL, the old day's leases
// end with it, and the new day gives exactly 50 again. The database's money adds up across the roll:
// Σ logged = what both days spent, and balance + leased + the new day's costs = one allowance.
import { expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { knownOnAll, moneyOf, raceCalls, settledMoney, useCluster } from "../../support/cluster";
import { describePg } from "../../support/postgres";
import { client, makeUser, testClock } from "../../support/server";

const CALL_UNITS = 1000; // per_call 0.002 USD
const WORTH = 50;
const CALLS = 200;
const DAY1 = Date.UTC(2026, 2, 19) / 1000;
const DAY2 = DAY1 + 86_400;

describePg("a daily budget over three instances", () => {
  const c = useCluster(3, "budget-model", testClock((DAY1 + 12 * 3600) * 1000));
  const race = (keys: string[]) => raceCalls(c, keys, CALLS, "budget-model");
  /** Moves every instance's clock on by `seconds`. */
  async function advanceAll(seconds: number) {
    for (const s of c.servers)
      expectReply(await client(s.url, c.adminAuth).post("/api/test/clock", { advance_seconds: seconds }), 200);
  }
  const periodOf = async (kind: "token" | "user", id: number) => {
    const api = client(c.servers[0].url, c.adminAuth);
    return kind === "token"
      ? expectReply(await api.get(`/api/token/${id}`), 200)
      : expectReply(await api.get(`/api/user/${id}`), 200);
  };

  test("a token's daily allowance: exactly 50 calls a day, the roll once, the money exact", async () => {
    const u = await makeUser(c.servers[0].url, c.adminAuth, "daily");
    expectReply(await c.admin.post(`/api/user/${u.id}/topup`, { quota: 10_000_000 }), 200);
    const allowance = WORTH * CALL_UNITS;
    const t = expectReply(
      await u.api.post("/api/token/", { name: "daily", budget_period: "daily", period_quota: allowance }),
      201,
    );
    expect(t).toMatchObject({ period_start: DAY1, remain_quota: allowance });
    await knownOnAll(c, t.key);
    expect(await race([t.key])).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const day1 = await settledMoney(c, "token", t.id, WORTH);
    expect(day1.balance + day1.leased + day1.logged).toBe(allowance);

    await advanceAll(12 * 3600 + 60); // one minute past midnight on every instance
    expect(await race([t.key])).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const both = await settledMoney(c, "token", t.id, 2 * WORTH);
    expect(both.logged).toBe(2 * allowance);
    // the old day's leases ended with it: what is left of the new day is its allowance less its costs
    expect(both.balance + both.leased + (both.logged - day1.logged)).toBe(allowance);
    expect(await periodOf("token", t.id)).toMatchObject({ period_start: DAY2, used_quota: 2 * allowance });
  });

  test("a user's daily allowance over three unlimited tokens: 50 a day, exact", async () => {
    const api = client(c.servers[0].url, c.adminAuth);
    const allowance = WORTH * CALL_UNITS;
    const u = await makeUser(c.servers[0].url, c.adminAuth, "daily-user");
    expectReply(await api.put("/api/user/", { id: u.id, budget_period: "daily", period_quota: allowance }), 200);
    const keys: string[] = [];
    for (const name of ["a", "b", "c"])
      keys.push(expectReply(await u.api.post("/api/token/", { name, unlimited_quota: true }), 201).key);
    for (const k of keys) await knownOnAll(c, k);
    expect(await race(keys)).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const today = await settledMoney(c, "user", u.id, WORTH);
    expect(today.balance + today.leased + today.logged).toBe(allowance);

    await advanceAll(86_400);
    expect(await race(keys)).toEqual({ ok: WORTH, refused: CALLS - WORTH, other: 0, upstream: WORTH });
    const both = await settledMoney(c, "user", u.id, 2 * WORTH);
    expect(both.logged).toBe(2 * allowance);
    expect(both.balance + both.leased + (both.logged - today.logged)).toBe(allowance);
    const row = await periodOf("user", u.id);
    expect(row.period_start).toBeGreaterThan(DAY2);
    expect(await moneyOf(c.database.url, "user", u.id)).toMatchObject({ calls: 2 * WORTH });
  });
});
