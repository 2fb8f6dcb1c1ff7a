// Upstream balances (issue 13) against the mock upstream speaking each provider's documented balance
// API: read on demand (POST /api/channel/:id/balance) in one-api / new-api, OpenRouter, DeepSeek,
// SiliconFlow and Moonshot shapes with the channel's key; a channel without a balance API is a 400;
// a rejected key is a recorded failure without the key; the threshold takes a channel out of rotation
// (the admin alert "upstream balance low", once) and brings it back at or above it, also when the
// threshold is edited; the scheduled refresh (upstream_balance_minutes, on the test clock) reads every
// channel with a balance API except those an admin disabled.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CHANNEL_STATUS } from "../../../src/core/status";
import { expectInvalid, expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockUpstream } from "../../support/mock-upstream";
import { startReceiver, waitFor } from "../../support/receiver";
import { chatCall, useServer } from "../../support/server";

const KEY = "sk-up-balance-0123456789abcdef";
const mock = startMockUpstream({ keys: [KEY] });
const receiver = startReceiver();
const app = useServer({ env: { APIYI_TEST_CLOCK_MS: String(Date.now()) } });
let gw: Gateway;
beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  expectReply(
    await gw.admin.put("/api/setting", { alert_admin_url: `${receiver.url}/admin`, alert_admin_type: "webhook" }),
    200,
  );
});
afterAll(() => {
  mock.stop();
  receiver.stop();
});

let serial = 0;
const channel = (source: string, extra: Record<string, unknown> = {}) =>
  gw.addChannel({
    name: `bal-${++serial}`,
    models: `bal-model-${serial}`,
    key: KEY,
    base_url: mock.url,
    balance_source: source,
    ...extra,
  });
const refresh = async (id: number) => expectReply(await gw.admin.post(`/api/channel/${id}/balance`), 200);
const balanceGets = () => mock.requests.filter((r) => r.method === "GET");

describe("read on demand, each provider's shape", () => {
  const cases = [
    ["oneapi", ["/v1/dashboard/billing/subscription", "/v1/dashboard/billing/usage"], "USD"],
    ["openrouter", ["/v1/credits"], "USD"],
    ["deepseek", ["/user/balance"], "CNY"],
    ["siliconflow", ["/v1/user/info"], "CNY"],
    ["moonshot", ["/v1/users/me/balance"], "CNY"],
  ] as const;
  for (const [source, paths, currency] of cases) {
    test(`${source}: GET ${paths.join(" + ")} with the channel's key → 42.5 ${currency}`, async () => {
      const c = await channel(source);
      const before = balanceGets().length;
      const v = await refresh(c.id);
      expect(v.balance).toMatchObject({ api: source, amount: 42.5, currency, error: "", low: false });
      expect(v.balance.at).toBeGreaterThan(0);
      const gets = balanceGets().slice(before);
      expect(gets.map((r) => r.path)).toEqual([...paths]);
      expect(gets.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
      expect(JSON.stringify(v)).not.toContain(KEY);
    });
  }

  test("oneapi works against apiyi itself: a token of $5 left, read through its own balance endpoints", async () => {
    const token = expectReply(
      await gw.admin.post("/api/token/", { name: "as-upstream", remain_quota: 2_500_000 }),
      201,
    );
    const c = await gw.addChannel({
      name: "apiyi-up",
      models: "bal-apiyi",
      key: token.key,
      base_url: `${app.url}/v1`,
      balance_source: "oneapi",
    });
    expect((await refresh(c.id)).balance).toMatchObject({ amount: 5, currency: "USD", error: "" });
  });

  test("the one-api usage window is dated (start_date and end_date), as OpenAI's API wanted", async () => {
    const usage = balanceGets().find((r) => r.path === "/v1/dashboard/billing/usage")!;
    expect(usage.query).toMatch(/^\?start_date=\d{4}-\d\d-\d\d&end_date=\d{4}-\d\d-\d\d$/);
  });

  test("a channel without a balance API (auto on an unknown host, or none): 400 saying what to set", async () => {
    for (const source of ["auto", "none"]) {
      const c = await channel(source);
      expect(c.balance.api).toBeNull();
      const r = await gw.admin.post(`/api/channel/${c.id}/balance`);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain("balance_source");
    }
  });

  test("a rejected key: the failure is recorded with the upstream's words, never the key; rotation unchanged", async () => {
    const bad = "sk-up-balance-rejected-9876543210";
    const c = await gw.addChannel({
      name: "bal-bad",
      models: "bal-bad",
      key: bad,
      base_url: mock.url,
      balance_source: "deepseek",
    });
    const v = await refresh(c.id);
    expect(v.balance).toMatchObject({ amount: null, low: false });
    expect(v.balance.error).toMatch(/^the upstream answered 401: Incorrect API key provided/);
    expect(JSON.stringify(v)).not.toContain(bad);
    expect(JSON.stringify(v)).not.toContain(bad.slice(0, 12));
  });

  test("bad input: an unknown source and a negative or over-precise threshold are refused by name; an unknown channel is a 404", async () => {
    const c = await channel("oneapi");
    expectInvalid(await gw.admin.put("/api/channel/", { id: c.id, balance_source: "paypal" }), "balance_source");
    expectInvalid(await gw.admin.put("/api/channel/", { id: c.id, balance_threshold: -1 }), "balance_threshold");
    expectInvalid(
      await gw.admin.put("/api/channel/", { id: c.id, balance_threshold: "1.0000001" }),
      "balance_threshold",
    );
    expect((await gw.admin.post("/api/channel/999999/balance")).status).toBe(404);
  });
});

describe("the threshold rule", () => {
  test("below it: out of rotation and one admin alert; at or above it: back", async () => {
    const c = await channel("moonshot", { balance_threshold: 10 });
    const model = c.models[0];
    mock.set({ balance: 3.5 });
    const low = await refresh(c.id);
    expect(low.balance).toMatchObject({ amount: 3.5, low: true });
    expect({ state: low.state, detail: low.state_detail }).toEqual({
      state: "balance_low",
      detail: "out of rotation: upstream balance 3.5 CNY below the threshold 10",
    });
    expect(low.status).toBe(CHANNEL_STATUS.enabled); // not disabled: the rule holds it out
    const res = await chatCall(app.url, gw.key, model);
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe("upstream_unfunded");
    const [hit] = await waitFor(() => (receiver.at("/admin").length ? receiver.at("/admin") : undefined), "the alert");
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: "upstream_balance_low", title: "Upstream balance low", values: [c.id, c.name] });
    expect(body.content).toContain("3.5 CNY is below the threshold 10");
    await refresh(c.id); // still low: no second alert (not even one held back by the limit: no send row)
    const sends = expectReply(await gw.admin.get("/api/alert/"), 200) as { kind: string; subject: string }[];
    expect(sends.filter((r) => r.kind === "upstream_balance_low" && r.subject === `channel:${c.id}`)).toHaveLength(1);
    expect(receiver.at("/admin")).toHaveLength(1);

    mock.set({ balance: 10 });
    const back = await refresh(c.id);
    expect(back.balance.low).toBe(false);
    expect(back.state).toBe("enabled");
    expect((await chatCall(app.url, gw.key, model)).status).toBe(200);
  });

  test("editing the threshold judges the last reading again, at once", async () => {
    mock.set({ balance: 20 });
    const c = await channel("openrouter");
    await refresh(c.id);
    const out = expectReply(await gw.admin.put("/api/channel/", { id: c.id, balance_threshold: "25.5" }), 200);
    expect({ low: out.balance.low, threshold: out.balance_threshold }).toEqual({ low: true, threshold: 25.5 });
    expect((await chatCall(app.url, gw.key, c.models[0])).status).toBe(502);
    const none = expectReply(await gw.admin.put("/api/channel/", { id: c.id, balance_threshold: 0 }), 200);
    expect(none.balance.low).toBe(false);
    expect((await chatCall(app.url, gw.key, c.models[0])).status).toBe(200);
  });
});

describe("the scheduled refresh", () => {
  test("every upstream_balance_minutes (a runtime setting): channels with a balance API, not those an admin disabled", async () => {
    mock.set({ balance: 7 });
    const on = await channel("siliconflow");
    const off = await channel("deepseek");
    expectReply(
      await gw.admin.put("/api/channel/?status_only=true", { id: off.id, status: CHANNEL_STATUS.disabled }),
      200,
    );
    expectReply(await gw.admin.put("/api/setting", { upstream_balance_minutes: 5 }), 200);
    const ran = expectReply(await gw.admin.post("/api/test/clock", { advance_seconds: 300 }), 200).ran;
    expect(ran).toContain("upstream_balance");
    expect((await gw.channel(on.id)).balance).toMatchObject({ amount: 7, currency: "CNY" });
    expect((await gw.channel(off.id)).balance.at).toBe(0);
    expectReply(await gw.admin.put("/api/setting", { upstream_balance_minutes: 0 }), 200);
    const later = expectReply(await gw.admin.post("/api/test/clock", { advance_seconds: 86_400 }), 200).ran;
    expect(later).not.toContain("upstream_balance");
  });
});
