// The balance endpoints chat clients call with only their key, on NextChat's own request paths and
// parameters (its base URL has no /v1; start_date is the 1st of the month, end_date tomorrow, both
// YYYY-MM-DD; it reads hard_limit_usd and total_usage / 100): for a token with a quota and for an
// unlimited token (its owner's balance); new-api's /api/usage/token/; errors; and no billing or log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, client, login, makeUser, priceModels, useServer } from "../../support/server";

const app = useServer();
const MODEL = "balance-model";
let mock: MockUpstream;
let limitedKey: string;
let unlimitedKey: string;
let admin: ReturnType<typeof client>;

/** what NextChat sends: YYYY-MM-DD of the 1st of this month and of tomorrow */
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const now = new Date();
const startOfMonth = ymd(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
const tomorrow = ymd(new Date(Date.now() + 86_400_000));
const today = ymd(now);

const get = (path: string, key: string) =>
  fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
  }));

async function spend(key: string, calls: number) {
  for (let i = 0; i < calls; i++) {
    const r = await chatCall(app.url, key, MODEL);
    expect(r.status).toBe(200);
    await r.json();
  }
}

beforeAll(async () => {
  mock = startMockUpstream(); // 10 prompt + 5 completion tokens per call
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, auth);
  await priceModels(app.url, auth, MODEL, { input: "10", output: "20" }); // 100 units a call
  const key = `sk-up-${crypto.randomUUID()}`;
  expectReply(
    await admin.post("/api/channel/", { name: "bal", type: "openai", key, base_url: mock.url, models: [MODEL] }),
    201,
  );
  const user = await makeUser(app.url, auth, "balance-user");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_500_000 }), 200); // $3
  limitedKey = expectReply(await user.api.post("/api/token/", { name: "limited", remain_quota: 500_000 }), 201).key;
  unlimitedKey = expectReply(await user.api.post("/api/token/", { name: "free", unlimited_quota: true }), 201).key;
  await spend(limitedKey, 2);
  await spend(unlimitedKey, 3);
});
afterAll(() => mock?.stop());

describe("GET /dashboard/billing/subscription (NextChat: no /v1) and /v1/dashboard/billing/subscription", () => {
  test("a token with a quota: its own quota in USD (remaining + used)", async () => {
    for (const path of ["/dashboard/billing/subscription", "/v1/dashboard/billing/subscription"]) {
      const r = await get(path, limitedKey);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        object: "billing_subscription",
        has_payment_method: true,
        soft_limit_usd: 1,
        hard_limit_usd: 1,
        system_hard_limit_usd: 1,
        access_until: 0,
      });
    }
  });

  test("an unlimited token: its owner's balance (remaining + used), in USD", async () => {
    const r = await get("/dashboard/billing/subscription", unlimitedKey);
    expect(r.body.hard_limit_usd).toBe(3); // $3 topped up: what is left plus the 500 units spent
  });
});

describe("GET /dashboard/billing/usage", () => {
  test("NextChat's month-to-date query: the key's spend in cents (a limited token: its own calls)", async () => {
    const q = `?start_date=${startOfMonth}&end_date=${tomorrow}`;
    const limited = await get(`/dashboard/billing/usage${q}`, limitedKey);
    expect(limited).toEqual({ status: 200, body: { object: "list", total_usage: 0.04 } }); // 200 units = 4¢/100
    const v1 = await get(`/v1/dashboard/billing/usage${q}`, limitedKey);
    expect(v1.body.total_usage).toBe(0.04);
    // an unlimited token answers for its owner: all 5 calls
    expect((await get(`/dashboard/billing/usage${q}`, unlimitedKey)).body.total_usage).toBe(0.1);
  });

  test("the dates are honoured: end_date is exclusive, as OpenAI's", async () => {
    const r = await get(`/v1/dashboard/billing/usage?start_date=2020-01-01&end_date=${today}`, limitedKey);
    expect(r.body.total_usage).toBe(0);
    const single = await get(`/v1/dashboard/billing/usage?start_date=${today}&end_date=${tomorrow}`, limitedKey);
    expect(single.body.total_usage).toBe(0.04);
  });

  test("a date that is not one: 400 in OpenAI's shape, naming the parameter", async () => {
    const r = await get("/v1/dashboard/billing/usage?start_date=2026-02-30&end_date=2026-03-01", limitedKey);
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe("start_date");
    expect(r.body.error.message).toContain("YYYY-MM-DD");
  });
});

describe("GET /api/usage/token/ (new-api)", () => {
  test("the key's own quota in units, in new-api's envelope", async () => {
    for (const path of ["/api/usage/token/", "/api/usage/token"]) {
      const r = await get(path, limitedKey);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ code: true, message: "ok" });
      expect(r.body.data).toEqual({
        object: "token_usage",
        name: "limited",
        total_granted: 500_000,
        total_used: 200,
        total_available: 499_800,
        unlimited_quota: false,
        model_limits: {},
        model_limits_enabled: false,
        expires_at: 0,
      });
    }
    expect((await get("/api/usage/token/", unlimitedKey)).body.data).toMatchObject({ unlimited_quota: true });
  });
});

describe("refusals, and nothing billed or logged", () => {
  test("a wrong key: 401, in each surface's shape", async () => {
    const bad = `sk-${"x".repeat(48)}`;
    const openai = await get("/dashboard/billing/subscription", bad);
    expect(openai.status).toBe(401);
    expect(openai.body.error.code).toBe("invalid_api_key");
    const newApi = await get("/api/usage/token/", bad);
    expect(newApi.status).toBe(401);
    expect(newApi.body.success).toBe(false);
  });

  test("reading the balance costs nothing and writes no log row", async () => {
    const rows = async () => expectReply(await admin.get("/api/log/?token_name=limited"), 200).total;
    const count = await rows();
    for (let i = 0; i < 3; i++) await get("/v1/dashboard/billing/subscription", limitedKey);
    await get("/api/usage/token/", limitedKey);
    const usage = (await get("/api/usage/token/", limitedKey)).body.data;
    expect(usage.total_used).toBe(200);
    expect(await rows()).toBe(count);
  });
});
