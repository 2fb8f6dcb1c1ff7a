// Budget periods through a real server whose clock is set a few seconds before midnight UTC (the
// test-only APIYI_TEST_CLOCK_MS, honoured only when NODE_ENV=test): a daily token's quota comes back
// at the boundary; a streamed call whose hold was taken before it and that settles after it is
// settled against the old period (the new one stays full, the charge counts to used_quota); restarts
// keep the period and the balance, and a restart after the next boundary starts the next period.
// Validation of the fields and the CLI flag too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { adminOf, BUDGET_CALL_COST as COST, fastAndSlow, startAt, until } from "../../support/budget";
import { expectInvalid, expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { chatCall, cli, removeDir, tempDir, type Server } from "../../support/server";
import { ON_POSTGRES } from "../../support/backend";

const DAY1 = Date.UTC(2026, 2, 19) / 1000;
const DAY2 = DAY1 + 86_400;
const DAY3 = DAY2 + 86_400;
const FAST = "budget-fast";
const SLOW = "budget-slow";
const ALLOWANCE = 500_000;

let mock: MockUpstream;
let server: Server;
const dataDir = tempDir("apiyi-budget-");

const start = (clockSec: number) => startAt(dataDir, clockSec);
const admin = () => adminOf(server);

async function tokenNamed(name: string) {
  const items = expectReply(await (await admin()).get(`/api/token/?keyword=${name}`), 200).items;
  return items.find((t: any) => t.name === name);
}

beforeAll(async () => {
  mock = startMockUpstream();
  server = await start(DAY2 - 7); // 7 s before midnight
});
afterAll(async () => {
  await server?.stop();
  mock?.stop();
  removeDir(dataDir);
});

describe("a daily budget", () => {
  let key = "";
  test("made with budget_period and period_quota: the period began at midnight and ends at the next", async () => {
    const api = await admin();
    await fastAndSlow(server, mock, FAST, SLOW);
    const made = expectReply(
      await api.post("/api/token/", { name: "daily", budget_period: "daily", period_quota: ALLOWANCE }),
      201,
    );
    key = made.key;
    expect(made).toMatchObject({
      budget_period: "daily",
      period_quota: ALLOWANCE,
      remain_quota: ALLOWANCE,
      unlimited_quota: false,
      period_start: DAY1,
      period_resets_at: DAY2,
    });
  });

  test("a call in flight across midnight is settled against the day it was held in", async () => {
    const first = await chatCall(server.url, key, FAST);
    expect(first.status).toBe(200);
    await first.json();
    const slow = await chatCall(server.url, key, SLOW, { stream: true }); // ~10 s of paced chunks
    expect(slow.status).toBe(200);
    const held = await tokenNamed("daily");
    expect(held.period_start).toBe(DAY1); // the hold was taken before midnight
    // on PostgreSQL a balance shown includes what instances' leases hold, calls in flight among them
    if (!ON_POSTGRES) expect(held.remain_quota).toBeLessThan(ALLOWANCE - COST);
    // midnight passes while the stream runs: the list rolls the period; the new day starts full
    const rolled = await until(
      "the roll",
      () => tokenNamed("daily"),
      (t) => t.period_start === DAY2,
    );
    expect(rolled).toMatchObject({ remain_quota: ALLOWANCE, used_quota: COST, period_resets_at: DAY3 });
    expect(await slow.text()).toContain("[DONE]");
    // settled: its refund did not go into the new day, its cost counts to used_quota only
    const settled = await until(
      "the settlement",
      () => tokenNamed("daily"),
      (t) => t.used_quota === 2 * COST,
    );
    expect(settled.remain_quota).toBe(ALLOWANCE);
    const next = await chatCall(server.url, key, FAST);
    await next.json();
    expect((await tokenNamed("daily")).remain_quota).toBe(ALLOWANCE - COST);
  });

  test("a restart within the day keeps the period and the balance; one after midnight starts the next day", async () => {
    await server.stop();
    server = await start(DAY2 + 12 * 3600);
    expect(await tokenNamed("daily")).toMatchObject({
      period_start: DAY2,
      remain_quota: ALLOWANCE - COST,
      used_quota: 3 * COST,
    });
    await server.stop();
    server = await start(DAY3 + 5);
    const r = await fetch(`${server.url}/v1/dashboard/billing/subscription`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await r.json()) as any).hard_limit_usd).toBe(1); // the allowance, $1
    expect(await tokenNamed("daily")).toMatchObject({
      period_start: DAY3,
      remain_quota: ALLOWANCE,
      used_quota: 3 * COST,
    });
  });
});

describe("editing and refusals", () => {
  test("a raised allowance moves the remain by the difference; a period on an unlimited token is refused", async () => {
    const api = await admin();
    const t = await tokenNamed("daily");
    const edited = expectReply(await api.put("/api/token/", { id: t.id, period_quota: 2 * ALLOWANCE }), 200);
    expect(edited).toMatchObject({ period_quota: 2 * ALLOWANCE, remain_quota: 2 * ALLOWANCE });
    expectInvalid(await api.post("/api/token/", { name: "bad", budget_period: "daily" }), "budget_period");
    expectInvalid(
      await api.post("/api/token/", { name: "bad2", budget_period: "hourly", remain_quota: 5 }),
      "budget_period",
    );
    const none = expectReply(await api.put("/api/token/", { id: t.id, budget_period: "none" }), 200);
    expect(none).toMatchObject({ budget_period: "", period_resets_at: null });
  });

  test("the budget_timezone setting is checked", async () => {
    const api = await admin();
    expectInvalid(await api.put("/api/setting", { budget_timezone: "Mars/Olympus" }), "budget_timezone");
  });

  test("apiyi token create --budget-period daily", async () => {
    const r = await cli(
      ["token", "create", "--user", "admin", "--name", "cli-daily", "--quota-usd", "5", "--budget-period", "daily"],
      { env: { APIYI_DATA_DIR: dataDir } },
    );
    expect(r.code).toBe(0);
    expect(await tokenNamed("cli-daily")).toMatchObject({ budget_period: "daily", period_quota: 2_500_000 });
    const bad = await cli(
      ["token", "create", "--user", "admin", "--name", "cli-bad", "--quota-usd", "5", "--budget-period", "yearly"],
      { env: { APIYI_DATA_DIR: dataDir } },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--budget-period");
  });
});
