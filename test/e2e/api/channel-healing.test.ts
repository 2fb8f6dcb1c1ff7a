// Self-healing channels (issue 13), through a real server whose clock a test moves on (the test-only
// POST /api/test/clock, which exists only with NODE_ENV=test and APIYI_TEST_CLOCK_MS, and runs the
// background jobs then due): a channel disabled for a rejected key comes back after one scheduled test
// once the upstream accepts the key, not before and not while it still refuses it (the cause and the
// time of the last test are kept); a channel an admin disabled is never tested nor brought back; a
// rejected key of an enabled channel, and an open breaker, heal the same way; the test asks for the
// channel's cheapest model (an OpenAI reasoning model in max_completion_tokens, as it accepts); each
// test call is a system log row (type 4) billed to nobody; a hanging upstream's call ends at the
// run's deadline (channel_test_timeout_seconds) while other channels are tested meanwhile; the period
// is a runtime setting that applies without a restart, 0 = off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REASONING_ROOM } from "../../../src/core/hold";
import { CHANNEL_STATUS, KEY_STATUS, LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockUpstream } from "../../support/mock-upstream";
import { call, chatCall, priceModels, startServer, useServer } from "../../support/server";

const GOOD = "sk-up-heal-accepted-0123456789";
const mock = startMockUpstream({ keys: [GOOD] });
const app = useServer({ env: { APIYI_TEST_CLOCK_MS: String(Date.now()) } });
let gw: Gateway;
beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
});
afterAll(() => mock.stop());

/** Moves the server's clock on and runs the jobs then due; the names of those that ran. */
async function advance(seconds: number): Promise<string[]> {
  return expectReply(await gw.admin.post("/api/test/clock", { advance_seconds: seconds }), 200).ran;
}
const hits = (key: string) => mock.requests.filter((r) => r.headers.authorization === `Bearer ${key}`);
let serial = 0;
const newKey = () => `sk-up-heal-${++serial}-${crypto.randomUUID().replaceAll("-", "")}`;

/** A channel whose only key the mock rejects, called once: disabled automatically. */
async function disabledChannel(models: string, base_url = mock.url) {
  const key = newKey();
  const c = await gw.addChannel({ name: `heal-${serial}`, models, key, base_url });
  const res = await chatCall(app.url, gw.key, models.split(",")[0]);
  expect(res.status).toBe(502);
  await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled);
  return { id: c.id as number, key };
}

describe("a channel disabled for a rejected key", () => {
  let ch: { id: number; key: string };
  test("is disabled automatically, and the scheduled test waits for its period (10 minutes by default)", async () => {
    ch = await disabledChannel("heal-pricey,heal-cheap");
    expect(await advance(300)).not.toContain("channel_test");
    expect(hits(ch.key)).toHaveLength(1); // the call that found the key rejected, nothing since
  });

  test("still rejected at the test: it stays down, with the cause and the time of the test", async () => {
    expect(await advance(300)).toContain("channel_test");
    expect(hits(ch.key)).toHaveLength(2);
    const c = await gw.channel(ch.id);
    expect(c.status).toBe(CHANNEL_STATUS.autoDisabled);
    expect(c.state).toBe("auto_disabled");
    expect(c.health.last_probe_ok).toBe(false);
    expect(c.health.last_probe_error).toMatch(/^key #1: the upstream answered 401/);
    expect(c.health.last_probe_at).toBeGreaterThan(0);
    expect(JSON.stringify(c)).not.toContain(ch.key);
  });

  test("the upstream accepts the key again: one scheduled test brings it back, on its cheapest model", async () => {
    await priceModels(app.url, gw.auth, "heal-pricey", { input: "30", output: "60" });
    await priceModels(app.url, gw.auth, "heal-cheap", { input: "0.1", output: "0.2" });
    mock.setKeys([GOOD, ch.key]);
    expect(await advance(600)).toContain("channel_test");
    const probe = hits(ch.key).at(-1)!;
    expect(probe.body).toMatchObject({ model: "heal-cheap", max_tokens: 1 });
    const c = await gw.channel(ch.id);
    expect({ status: c.status, state: c.state, reason: c.status_reason, key: c.key_states[0].status }).toEqual({
      status: CHANNEL_STATUS.enabled,
      state: "enabled",
      reason: "",
      key: KEY_STATUS.usable,
    });
    expect(c.health.last_probe_ok).toBe(true);
    expect(c.health.last_ok_at).toBe(c.health.last_probe_at);
    expect((await chatCall(app.url, gw.key, "heal-pricey")).status).toBe(200);
  });

  test("the test calls are system log rows (type 4), metered and billed to nobody", async () => {
    const rows = expectReply(await gw.admin.get(`/api/log/?type=${LOG_TYPE.system}&model_name=heal-cheap`), 200).items;
    const mine = rows.filter((r: any) => r.channel_id === ch.id);
    expect(mine.map((r: any) => r.status_code)).toEqual([200]); // the passing one (the cheap model was priced then)
    const [row] = mine;
    expect(row).toMatchObject({
      type: LOG_TYPE.system,
      user_id: 0,
      token_id: 0,
      quota: 0,
      prompt_tokens: 10,
      completion_tokens: 5,
      endpoint: "chat",
      other: { channel_test: "auto_disabled", key_index: 0, billed_to: null, cost: 1 },
    });
    expect(row.content).toContain("scheduled channel test");
    const failed = expectReply(await gw.admin.get(`/api/log/?type=${LOG_TYPE.system}`), 200).items.find(
      (r: any) => r.channel_id === ch.id && r.status_code === 401,
    );
    expect(failed).toMatchObject({ error_code: "key_dead", quota: 0, user_id: 0 });
    expect(JSON.stringify(failed)).not.toContain(ch.key);
  });
});

describe("in the channel's own wire format", () => {
  test("an anthropic channel is tested with a one-token /v1/messages call, and comes back", async () => {
    const key = newKey();
    const c = await gw.addChannel({
      name: "heal-claude",
      type: "anthropic",
      models: "heal-claude",
      key,
      base_url: mock.origin,
    });
    expect((await chatCall(app.url, gw.key, "heal-claude")).status).toBe(502);
    await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled);
    mock.setKeys([GOOD, key]);
    expect(await advance(600)).toContain("channel_test");
    const probe = mock.requests.filter((r) => r.headers["x-api-key"] === key).at(-1)!;
    expect({ path: probe.path, max_tokens: probe.body.max_tokens }).toEqual({ path: "/v1/messages", max_tokens: 1 });
    expect((await gw.channel(c.id)).state).toBe("enabled");
  });
});

describe("an OpenAI reasoning model as the cheapest", () => {
  test("is asked with max_completion_tokens and room to reason (it refuses max_tokens), and comes back", async () => {
    const ch = await disabledChannel("o4-mini", mock.urlFor("ok,reasoningModels=1"));
    mock.setKeys([GOOD, ch.key]);
    expect(await advance(600)).toContain("channel_test");
    const probe = hits(ch.key).at(-1)!;
    expect(probe.body).toMatchObject({ model: "o4-mini", max_completion_tokens: REASONING_ROOM });
    expect(probe.body).not.toHaveProperty("max_tokens");
    const c = await gw.channel(ch.id);
    expect({ state: c.state, probe_ok: c.health.last_probe_ok }).toEqual({ state: "enabled", probe_ok: true });
    expect((await chatCall(app.url, gw.key, "o4-mini")).status).toBe(200);
  });
});

describe("a channel an admin disabled", () => {
  test("is never tested and never comes back by itself, even once its key works", async () => {
    const ch = await disabledChannel("heal-admin");
    expectReply(
      await gw.admin.put("/api/channel/?status_only=true", { id: ch.id, status: CHANNEL_STATUS.disabled }),
      200,
    );
    mock.setKeys([GOOD, ch.key]);
    const before = hits(ch.key).length;
    expect(await advance(600)).toContain("channel_test");
    expect(await advance(600)).toContain("channel_test");
    expect(hits(ch.key)).toHaveLength(before);
    const c = await gw.channel(ch.id);
    expect({ status: c.status, state: c.state, probed: c.health.last_probe_at }).toEqual({
      status: CHANNEL_STATUS.disabled,
      state: "admin_disabled",
      probed: 0,
    });
  });
});

describe("an enabled channel", () => {
  test("a rejected key of a channel that still serves comes back once accepted; the good key is not tested", async () => {
    const bad = newKey();
    const c = await gw.addChannel({ name: "two-keys", models: "heal-two", key: [GOOD, bad], base_url: mock.url });
    // round-robin: the second call meets the rejected key (the channel keeps serving with the other)
    for (let i = 0; i < 2; i++) await (await chatCall(app.url, gw.key, "heal-two")).text();
    await gw.waitForChannel(c.id, (x) => x.key_states[1].status === KEY_STATUS.dead);
    const goodHits = hits(GOOD).length;
    mock.setKeys([GOOD, bad]);
    expect(await advance(600)).toContain("channel_test");
    const after = await gw.channel(c.id);
    expect(after.key_states.map((k: any) => k.status)).toEqual([KEY_STATUS.usable, KEY_STATUS.usable]);
    expect(after.status).toBe(CHANNEL_STATUS.enabled);
    expect(hits(GOOD).length).toBe(goodHits);
  });

  test("an open breaker: the test closes it once the upstream answers", async () => {
    expectReply(await gw.admin.put("/api/setting", { breaker_failures: 1, breaker_cooldown_seconds: 3600 }), 200);
    const c = await gw.addChannel({
      name: "broken",
      models: "heal-breaker",
      key: GOOD,
      base_url: mock.urlFor("status=500"),
    });
    expect((await chatCall(app.url, gw.key, "heal-breaker")).status).toBe(502);
    const open = await gw.channel(c.id);
    expect({ state: open.state, breaker: open.health.breaker }).toEqual({ state: "breaker_open", breaker: "open" });
    expect(open.state_detail).toMatch(/^breaker open until \d{4}-\d\d-\d\dT/);
    expect((await chatCall(app.url, gw.key, "heal-breaker")).status).toBe(503); // out of rotation
    expectReply(await gw.admin.put("/api/channel/", { id: c.id, base_url: mock.url }), 200); // the upstream is fixed
    expect(await advance(600)).toContain("channel_test");
    const closed = await gw.channel(c.id);
    expect({ state: closed.state, breaker: closed.health.breaker }).toEqual({ state: "enabled", breaker: "closed" });
    expect((await chatCall(app.url, gw.key, "heal-breaker")).status).toBe(200);
    expectReply(await gw.admin.put("/api/setting", { breaker_failures: 5, breaker_cooldown_seconds: 30 }), 200);
  });
});

describe("a run is bounded", () => {
  test("a hanging upstream's test ends at channel_test_timeout_seconds, and the others' do not wait for it", async () => {
    expectReply(await gw.admin.put("/api/setting", { channel_test_timeout_seconds: 2 }), 200);
    const hanging = await disabledChannel("heal-hang");
    // its upstream now answers nothing for a minute (the channel's own first-byte timeout is 120 s)
    expectReply(
      await gw.admin.put("/api/channel/", { id: hanging.id, base_url: mock.urlFor("slow_first_byte=60000") }),
      200,
    );
    const others = [];
    for (const m of ["heal-next-1", "heal-next-2", "heal-next-3", "heal-next-4"]) others.push(await disabledChannel(m));
    mock.setKeys([GOOD, hanging.key, ...others.map((o) => o.key)]);
    expect(await advance(600)).toContain("channel_test");
    for (const o of others) expect((await gw.channel(o.id)).state).toBe("enabled");
    const h = await gw.channel(hanging.id);
    expect({ state: h.state, ok: h.health.last_probe_ok }).toEqual({ state: "auto_disabled", ok: false });
    expect(h.health.last_probe_error).toBe("key #1: timeout: no answer within the channel test's 2000 ms");
    // the hanging channel was tested first (the lowest id) and its row is the last: the others ran meanwhile
    const rows = expectReply(await gw.admin.get(`/api/log/?type=${LOG_TYPE.system}&size=100`), 200).items;
    const rowOf = (id: number) => rows.find((r: any) => r.channel_id === id);
    expect(rowOf(hanging.id)).toMatchObject({ error_code: "timeout", status_code: 0 });
    for (const o of others) expect(rowOf(o.id).id).toBeLessThan(rowOf(hanging.id).id);
    // out of the later tests' runs: an admin disables it (never tested again)
    const off = { id: hanging.id, status: CHANNEL_STATUS.disabled };
    expectReply(await gw.admin.put("/api/channel/?status_only=true", off), 200);
    expectReply(await gw.admin.put("/api/setting", { channel_test_timeout_seconds: 20 }), 200);
  }, 20_000);

  test("channel_test_timeout_seconds takes 1 to 600 seconds", async () => {
    for (const bad of [0, 601, 1.5, "20"]) {
      const r = await gw.admin.put("/api/setting", { channel_test_timeout_seconds: bad });
      expect(r.status).toBe(422);
      expect(r.body.message).toContain("channel_test_timeout_seconds");
    }
  });
});

describe("the period is a runtime setting", () => {
  test("a bad value is refused with what to send", async () => {
    const r = await gw.admin.put("/api/setting", { channel_test_minutes: -1 });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain("channel_test_minutes");
  });
  test("a shorter period applies at the next check, without a restart; 0 turns the test off", async () => {
    await disabledChannel("heal-period"); // something to test
    expectReply(await gw.admin.put("/api/setting", { channel_test_minutes: 1 }), 200);
    expect(await advance(60)).toContain("channel_test");
    expectReply(await gw.admin.put("/api/setting", { channel_test_minutes: 0 }), 200);
    const before = mock.requests.length;
    expect(await advance(86_400)).not.toContain("channel_test");
    expect(mock.requests.length).toBe(before);
  });
});

describe("the test clock exists only in tests", () => {
  test("without APIYI_TEST_CLOCK_MS, or with it outside NODE_ENV=test, there is no such route", async () => {
    const envs: Record<string, string>[] = [{}, { NODE_ENV: "production", APIYI_TEST_CLOCK_MS: String(Date.now()) }];
    for (const env of envs) {
      const s = await startServer({ env });
      try {
        // an existing admin route answers an anonymous caller 401; this one is not there at all
        expect((await call(s.url, "POST", "/api/test/clock", { advance_seconds: 600 })).status).toBe(404);
        expect((await call(s.url, "POST", "/api/channel/1/test", {})).status).toBe(401);
      } finally {
        await s.stop();
      }
    }
  });
});
