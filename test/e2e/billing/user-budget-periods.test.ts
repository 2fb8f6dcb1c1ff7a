// A user's budget period through a real server whose clock is set near midnight UTC (the test-only
// APIYI_TEST_CLOCK_MS, honoured only when NODE_ENV=test): the balance is set back to the allowance at
// the boundary while used_quota keeps the all-time total; a stream in flight across midnight on an
// unlimited token of a budgeted owner settles against the old day; a top-up counts for the current
// day only (and is never lost to a roll that was due before it); restarts keep the period. Also the
// API's validation and edits of the fields.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { adminOf, BUDGET_CALL_COST as COST, fastAndSlow, startAt, until } from "../../support/budget";
import { expectInvalid, expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ON_POSTGRES } from "../../support/backend";
import { chatCall, client, login, removeDir, tempDir, type Server } from "../../support/server";

const DAY1 = Date.UTC(2026, 2, 19) / 1000; // a Thursday
const DAY2 = DAY1 + 86_400;
const DAY3 = DAY2 + 86_400;
const FAST = "ubudget-fast";
const SLOW = "ubudget-slow";
const ALLOWANCE = 500_000;
const PASSWORD = "alice-password-1";

let mock: MockUpstream;
let server: Server;
const dataDir = tempDir("apiyi-user-budget-");
let aliceId = 0;
let key = "";

const start = (clockSec: number) => startAt(dataDir, clockSec);
const admin = () => adminOf(server);
const alice = async () => expectReply(await (await admin()).get(`/api/user/${aliceId}`), 200);

async function fastCall() {
  const r = await chatCall(server.url, key, FAST);
  expect(r.status).toBe(200);
  await r.json();
}

beforeAll(async () => {
  mock = startMockUpstream();
  server = await start(DAY2 - 300); // five minutes before midnight
});
afterAll(async () => {
  await server?.stop();
  mock?.stop();
  removeDir(dataDir);
});

describe("a user's daily allowance", () => {
  test("made by an admin: the balance starts at the allowance; the period began at midnight", async () => {
    const api = await admin();
    await fastAndSlow(server, mock, FAST, SLOW);
    const made = expectReply(
      await api.post("/api/user/", {
        username: "alice",
        password: PASSWORD,
        budget_period: "daily",
        period_quota: ALLOWANCE,
      }),
      201,
    );
    aliceId = made.id;
    expect(made).toMatchObject({
      quota: ALLOWANCE,
      used_quota: 0,
      budget_period: "daily",
      period_quota: ALLOWANCE,
      period_start: DAY1,
      period_resets_at: DAY2,
    });
    // her own key, unlimited: it spends up to her balance
    const own = client(server.url, await login(server.url, "alice", PASSWORD));
    key = expectReply(await own.post("/api/token/", { name: "laptop" }), 201).key;
    await fastCall();
    const self = expectReply(await own.get("/api/user/self"), 200);
    expect(self).toMatchObject({ quota: ALLOWANCE - COST, used_quota: COST, period_resets_at: DAY2 });
    expect(self.period_resets_in).toBeGreaterThan(0);
  });

  test("a restart keeps the period; a stream in flight across midnight settles against the old day", async () => {
    await server.stop();
    server = await start(DAY2 - 6);
    expect(await alice()).toMatchObject({ period_start: DAY1, quota: ALLOWANCE - COST, used_quota: COST });
    const slow = await chatCall(server.url, key, SLOW, { stream: true }); // ~10 s of paced chunks
    expect(slow.status).toBe(200);
    const held = await alice();
    expect(held.period_start).toBe(DAY1); // the hold was taken before midnight
    // on PostgreSQL a balance shown includes what instances' leases hold, calls in flight among them
    if (!ON_POSTGRES) expect(held.quota).toBeLessThan(ALLOWANCE - 2 * COST);
    // midnight passes while the stream runs: a read rolls the period; the new day starts at the allowance
    const rolled = await until("the roll", alice, (u) => u.period_start === DAY2);
    expect(rolled).toMatchObject({ quota: ALLOWANCE, used_quota: COST, period_resets_at: DAY3 });
    expect(await slow.text()).toContain("[DONE]");
    // settled: its refund did not go into the new day, its cost counts to used_quota only
    const settled = await until("the settlement", alice, (u) => u.used_quota === 2 * COST);
    expect(settled.quota).toBe(ALLOWANCE);
    await fastCall();
    expect((await alice()).quota).toBe(ALLOWANCE - COST);
  });

  test("a top-up or a code adds to the current day only: the next midnight sets the allowance; restarts keep the period", async () => {
    const api = await admin();
    const topped = expectReply(await api.post(`/api/user/${aliceId}/topup`, { quota: 1000 }), 200);
    expect(topped.quota).toBe(ALLOWANCE - COST + 1000);
    const [code] = expectReply(await api.post("/api/redemption/", { name: "gift", count: 1, quota: 500 }), 201);
    const own = client(server.url, await login(server.url, "alice", PASSWORD));
    expect(expectReply(await own.post("/api/user/topup", { key: code }), 200)).toBe(500);
    const credited = ALLOWANCE - COST + 1500;
    await server.stop();
    server = await start(DAY2 + 12 * 3600);
    expect(await alice()).toMatchObject({ period_start: DAY2, quota: credited, used_quota: 3 * COST });
    await server.stop();
    server = await start(DAY3 + 5);
    // the first thing after midnight is a top-up: the due roll comes first, the credit lands on the new day
    const early = expectReply(await (await admin()).post(`/api/user/${aliceId}/topup`, { quota: 1000 }), 200);
    expect(early).toMatchObject({ period_start: DAY3, quota: ALLOWANCE + 1000, used_quota: 3 * COST });
    const adjusted = await (await admin()).post(`/api/user/${aliceId}/adjust`, { delta: -1000, reason: "test" });
    expect(expectReply(adjusted, 200).quota).toBe(ALLOWANCE);
    // the balance endpoint of her unlimited key reports the owner's allowance ($1)
    const r = await fetch(`${server.url}/v1/dashboard/billing/subscription`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await r.json()) as any).hard_limit_usd).toBe(1);
    expect(await alice()).toMatchObject({ period_start: DAY3, quota: ALLOWANCE, used_quota: 3 * COST });
  });
});

describe("editing and refusals", () => {
  test("bad fields are refused with 422 naming the field and what to give", async () => {
    const api = await admin();
    const user = (o: Record<string, unknown>) => api.post("/api/user/", { username: "bob", password: PASSWORD, ...o });
    const missing = await user({ budget_period: "daily" });
    expectInvalid(missing, "period_quota");
    expect(missing.body.message).toContain("required with a budget period");
    expectInvalid(await user({ budget_period: "daily", period_quota: 0 }), "period_quota");
    expectInvalid(await user({ budget_period: "hourly", period_quota: 5 }), "budget_period");
    const negative = await api.put("/api/user/", { id: aliceId, period_quota: -1 });
    expectInvalid(negative, "period_quota");
    expect(negative.body.message).toContain("0 or more");
    expectInvalid(await api.put("/api/user/", { id: aliceId, period_quota: 1.5 }), "period_quota");
    expectInvalid(await api.put("/api/user/", { id: aliceId, period_quota: "5" }), "period_quota");
    const unlimited = await api.put("/api/user/", { id: aliceId, unlimited: true });
    expectInvalid(unlimited, "budget_period");
    expect(unlimited.body.message).toContain("limited user");
    expect(await alice()).toMatchObject({ unlimited: false, budget_period: "daily", quota: ALLOWANCE });
  });

  test("a raised allowance moves the balance by the difference (logged); another period starts full; none clears", async () => {
    const api = await admin();
    await fastCall();
    const raised = expectReply(await api.put("/api/user/", { id: aliceId, period_quota: 2 * ALLOWANCE }), 200);
    expect(raised).toMatchObject({ period_quota: 2 * ALLOWANCE, quota: 2 * ALLOWANCE - COST });
    const history = expectReply(await api.get(`/api/user/topup?user_id=${aliceId}`), 200).items;
    expect(history[0]).toMatchObject({ quota: ALLOWANCE, balance_after: 2 * ALLOWANCE - COST });
    expect(history[0].content).toBe("budget by admin: daily allowance $2");
    const weekly = expectReply(await api.put("/api/user/", { id: aliceId, budget_period: "weekly" }), 200);
    expect(weekly).toMatchObject({
      budget_period: "weekly",
      quota: 2 * ALLOWANCE,
      // the week began Monday 16 March, but a recorded start never moves back: the day's start stays
      period_start: raised.period_start,
      period_resets_at: DAY1 + 4 * 86_400,
    });
    const none = expectReply(await api.put("/api/user/", { id: aliceId, budget_period: "none" }), 200);
    expect(none).toMatchObject({ budget_period: "", period_quota: 0, period_resets_at: null, quota: 2 * ALLOWANCE });
  });
});
