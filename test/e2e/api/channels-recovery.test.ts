// What an upstream failure does to a channel, and how a channel comes back (issue 10, items 4 and 15),
// end to end with the mock upstream answering real error bodies:
// - the call's own problem (a per-model or content-policy 403) never disables the channel;
// - an account out of credit (OpenAI 429 insufficient_quota, DeepSeek 402, Anthropic's "credit balance
//   is too low") fails over, cools the key down (never status 3), is never shown to the client as its
//   own quota, and a passing Test ends the cooldown;
// - a dead key disables its channel (3) and the client is told the truth, not "retry shortly";
// - recovery: new keys, enabling, and a passing Test (only of a channel disabled automatically) clear
//   the failure state and the breaker;
// - the admin sees the real cause (connection refused to host:port, a timeout after N ms, the upstream's
//   words) in the attempts log, the channel's health and the Test result; a user's own log does not.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CHANNEL_STATUS, KEY_STATUS } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockUpstream } from "../../support/mock-upstream";
import { chatCall, client, makeUser, useServer } from "../../support/server";

const mock = startMockUpstream();
const app = useServer();
let gw: Gateway;
let deadUrl = "";
beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  deadUrl = `http://127.0.0.1:${dead.port}/v1`;
  await dead.stop(true);
});
afterAll(() => mock.stop());

let serial = 0;
const model = () => `rec-model-${++serial}`;
const newKey = () => `sk-up-rec-${crypto.randomUUID().replaceAll("-", "")}`;
/** requests the mock received carrying this upstream key (in any of the formats' key headers) */
const hits = (key: string) =>
  mock.requests.filter((r) =>
    [r.headers.authorization, r.headers["x-api-key"], r.headers["x-goog-api-key"]].some((h) => h?.includes(key)),
  ).length;
const preset = (name: string, suffix?: string) => mock.urlFor(`error,preset=${name}`, suffix);

async function chat(m: string) {
  const res = await chatCall(app.url, gw.key, m);
  const body = await res.json();
  return { status: res.status, body, headers: res.headers, row: await gw.logRow(res.headers.get("x-request-id")!) };
}

describe("the call's own problem never disables the channel", () => {
  for (const name of ["openai_model_403", "openai_content_policy_403", "openai_country_403"]) {
    test(`${name}: passed to the client as upstream_error; the channel and its key stay usable`, async () => {
      const m = model();
      const key = newKey();
      const c = await gw.addChannel({ name, models: m, key, base_url: preset(name) });
      for (let i = 1; i <= 2; i++) {
        const r = await chat(m);
        expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 403, code: "upstream_error" });
        expect(hits(key)).toBe(i);
      }
      await Bun.sleep(100); // a key state would be saved off the request path by now
      const after = await gw.channel(c.id);
      expect({ status: after.status, key: after.key_states[0].status, breaker: after.health.breaker }).toEqual({
        status: CHANNEL_STATUS.enabled,
        key: KEY_STATUS.usable,
        breaker: "closed",
      });
    });
  }
});

describe("an account out of credit fails over and cools its key down", () => {
  test("OpenAI 429 insufficient_quota: the next channel serves; the key is out for a cooldown, the channel stays enabled", async () => {
    const m = model();
    const key = newKey();
    const broke = await gw.addChannel({
      name: "broke",
      models: m,
      key,
      base_url: preset("openai_insufficient_quota"),
      priority: 10,
    });
    const backup = await gw.addChannel({ name: "backup", models: m, base_url: mock.url });
    const first = await chat(m);
    expect(first.status).toBe(200);
    expect(first.row.attempts.map((a: any) => [a.channel_id, a.error ?? a.status])).toEqual([
      [broke.id, "unfunded"],
      [backup.id, 200],
    ]);
    const c = await gw.waitForChannel(broke.id, (x) => x.key_states[0].status === KEY_STATUS.cooling);
    expect(c.status).toBe(CHANNEL_STATUS.enabled);
    expect(c.key_states[0].until).toBeGreaterThan(Date.now() / 1000 + 60);
    expect(c.key_states[0].reason).toContain("429");
    expect((await chat(m)).status).toBe(200);
    expect(hits(key)).toBe(1);
  });

  for (const [name, surface] of [
    ["deepseek_insufficient_balance", "chat"],
    ["openrouter_credits", "chat"],
    ["anthropic_credit", "messages"],
  ] as const) {
    test(`${name}, the only channel: 502 upstream_unfunded, never the client's own quota; the channel is never disabled`, async () => {
      const m = model();
      const key = newKey();
      const anthropic = surface === "messages";
      const c = await gw.addChannel({
        name,
        models: m,
        key,
        base_url: preset(name, anthropic ? "" : "/v1"),
        ...(anthropic ? { type: "anthropic" } : {}),
      });
      const send = () =>
        anthropic
          ? fetch(`${app.url}/v1/messages`, {
              method: "POST",
              headers: { "content-type": "application/json", "x-api-key": gw.key, "anthropic-version": "2023-06-01" },
              body: JSON.stringify({ model: m, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
            })
          : chatCall(app.url, gw.key, m);
      for (let i = 0; i < 2; i++) {
        const res = await send();
        const text = await res.text();
        expect(res.status).toBe(502);
        expect(res.headers.get("x-should-retry")).toBe("false");
        expect(text).toContain("out of credit");
        expect(text).not.toContain("insufficient_quota");
        expect(text).not.toMatch(/your balance|quota is used up/);
        if (!anthropic) expect(JSON.parse(text).error.code).toBe("upstream_unfunded");
      }
      expect(hits(key)).toBe(1); // the second call did not try the cooling key
      const after = await gw.waitForChannel(c.id, (x) => x.key_states[0].status === KEY_STATUS.cooling);
      expect(after.status).toBe(CHANNEL_STATUS.enabled);

      // the account was topped up (here: the upstream answers again): a passing Test ends the cooldown
      expectReply(await gw.admin.put("/api/channel/", { id: c.id, base_url: anthropic ? mock.origin : mock.url }), 200);
      const t = expectReply(await gw.admin.post(`/api/channel/${c.id}/test`, {}), 200);
      expect(t).toMatchObject({ ok: true, re_enabled: false });
      expect((await gw.channel(c.id)).key_states[0].status).toBe(KEY_STATUS.usable);
      expect((await send()).status).toBe(200);
    });
  }
});

describe("a dead key: the truth for the client, and recovery for the admin", () => {
  test("the client is told the upstream rejected the credentials (not 'retry shortly'), on the first call and after the channel is disabled", async () => {
    const m = model();
    const c = await gw.addChannel({ name: "dead-key", models: m, base_url: mock.urlFor("unauthorized") });
    for (let i = 0; i < 2; i++) {
      const r = await chat(m);
      expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 502, code: "upstream_key_invalid" });
      expect(r.body.error.message).not.toContain("retry shortly");
      expect(r.headers.get("x-should-retry")).toBe("false");
      if (i === 0) await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled);
    }
    const disabled = await gw.channel(c.id);
    expect(disabled.status_reason).toStartWith(
      "every upstream key was rejected by the upstream as invalid; last: the upstream answered 401: Incorrect API key provided",
    );
  });

  test("new keys clear the failure state: status 3 → 1, keys usable, health and breaker cleared; an admin's disable stays", async () => {
    const m = model();
    const c = await gw.addChannel({ name: "rekeyed", models: m, base_url: mock.urlFor("unauthorized") });
    await chat(m);
    await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled && x.health.last_error !== "");
    const back = expectReply(await gw.admin.put("/api/channel/", { id: c.id, key: newKey(), base_url: mock.url }), 200);
    expect(back).toMatchObject({
      status: CHANNEL_STATUS.enabled,
      status_reason: "",
      key_states: [{ index: 0, status: KEY_STATUS.usable, reason: "" }],
    });
    expect(back.health).toMatchObject({ breaker: "closed", recent_failures: 0, last_error: "" });
    expect((await chat(m)).status).toBe(200);

    const off = await gw.addChannel({ name: "admin-off", models: model(), base_url: mock.url, status: 2 });
    expect(expectReply(await gw.admin.put("/api/channel/", { id: off.id, key: newKey() }), 200).status).toBe(
      CHANNEL_STATUS.disabled,
    );
  });

  test("new keys start the breaker over", async () => {
    expectReply(await gw.admin.put("/api/setting", { breaker_failures: 2 }), 200);
    try {
      const m = model();
      const c = await gw.addChannel({ name: "flaky", models: m, base_url: mock.urlFor("status=502") });
      await chat(m);
      await chat(m);
      expect((await gw.channel(c.id)).health.breaker).toBe("open");
      const fixed = expectReply(
        await gw.admin.put("/api/channel/", { id: c.id, key: newKey(), base_url: mock.url }),
        200,
      );
      expect(fixed.health.breaker).toBe("closed");
      expect((await chat(m)).status).toBe(200);
    } finally {
      expectReply(await gw.admin.put("/api/setting", { breaker_failures: 5 }), 200);
    }
  });

  test("a passing Test re-enables a channel disabled automatically, never one an admin disabled", async () => {
    const m = model();
    const c = await gw.addChannel({ name: "auto-off", models: m, base_url: mock.urlFor("unauthorized") });
    await chat(m);
    await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled);
    const failing = expectReply(await gw.admin.post(`/api/channel/${c.id}/test`, {}), 200);
    expect(failing).toMatchObject({ ok: false, status: 401, failure: "key_dead", re_enabled: false });
    expect(failing.message).toStartWith("the upstream answered 401: Incorrect API key provided");
    expect((await gw.channel(c.id)).status).toBe(CHANNEL_STATUS.autoDisabled);
    // the upstream account was fixed (here: the channel points at an upstream that takes the key)
    expectReply(await gw.admin.put("/api/channel/", { id: c.id, base_url: mock.url }), 200);
    expect((await gw.channel(c.id)).status).toBe(CHANNEL_STATUS.autoDisabled);
    const passing = expectReply(await gw.admin.post(`/api/channel/${c.id}/test`, {}), 200);
    expect(passing).toMatchObject({ ok: true, status: 200, re_enabled: true });
    expect(await gw.channel(c.id)).toMatchObject({
      status: CHANNEL_STATUS.enabled,
      status_reason: "",
      key_states: [{ status: KEY_STATUS.usable }],
    });
    expect((await chat(m)).status).toBe(200);

    const off = await gw.addChannel({ name: "admin-disabled", models: model(), base_url: mock.url, status: 2 });
    expect(expectReply(await gw.admin.post(`/api/channel/${off.id}/test`, {}), 200)).toMatchObject({
      ok: true,
      re_enabled: false,
    });
    expect((await gw.channel(off.id)).status).toBe(CHANNEL_STATUS.disabled);
  });

  test("the console's Test button re-enables too, and sends the row's status cell again", async () => {
    const m = model();
    const c = await gw.addChannel({ name: "console-auto-off", models: m, base_url: mock.urlFor("unauthorized") });
    await chat(m);
    await gw.waitForChannel(c.id, (x) => x.status === CHANNEL_STATUS.autoDisabled);
    expectReply(await gw.admin.put("/api/channel/", { id: c.id, base_url: mock.url }), 200);
    const cookie = gw.auth!.cookie!;
    const csrf = /data-csrf="([0-9a-f]+)"/.exec(
      await (await fetch(`${app.url}/token`, { headers: { cookie } })).text(),
    )![1];
    const res = await fetch(`${app.url}/admin/channels/${c.id}/test`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, origin: app.url, "hx-request": "true" },
    });
    const html = await res.text();
    expect(JSON.parse(res.headers.get("hx-trigger")!).toast.message).toMatch(
      /^Test: 200 in (\d+|<1) ms; the channel is enabled again$/,
    );
    expect(html).toContain(
      `<template><td id="status-${c.id}" hx-swap-oob="true"><span class="badge ok">enabled</span>`,
    );
    expect((await gw.channel(c.id)).status).toBe(CHANNEL_STATUS.enabled);
  });
});

describe("the admin sees the real cause", () => {
  test("connection refused to host:port, in the attempts log, the channel's health and the Test result", async () => {
    const m = model();
    const refused = await gw.addChannel({ name: "refused", models: m, base_url: deadUrl, priority: 10 });
    await gw.addChannel({ name: "fine", models: m, base_url: mock.url });
    const r = await chat(m);
    expect(r.status).toBe(200);
    const hostPort = new URL(deadUrl).host;
    expect(r.row.attempts[0]).toMatchObject({
      channel_id: refused.id,
      status: 0,
      error: "network",
      cause: `connection refused to ${hostPort}`,
    });
    const c = await gw.waitForChannel(refused.id, (x) => x.health.last_error !== "");
    expect(c.health).toMatchObject({ last_error: `connection refused to ${hostPort}`, recent_failures: 1 });
    const t = expectReply(await gw.admin.post(`/api/channel/${refused.id}/test`, {}), 200);
    expect(t).toMatchObject({ ok: false, status: 0, failure: "network", message: `connection refused to ${hostPort}` });
  });

  test("a timeout says after how long; the upstream's own words come through, redacted", async () => {
    const m = model();
    const slow = await gw.addChannel({
      name: "slow",
      models: m,
      base_url: mock.urlFor("slow_first_byte=2000"),
      timeout_first_byte_ms: 200,
      priority: 10,
    });
    await gw.addChannel({ name: "fast", models: m, base_url: mock.url });
    const r = await chat(m);
    expect(r.row.attempts[0]).toMatchObject({
      channel_id: slow.id,
      error: "timeout",
      cause: `timeout: no answer from ${new URL(mock.url).host} within 200 ms`,
    });

    const m2 = model();
    const key = newKey();
    const c = await gw.addChannel({ name: "rejected", models: m2, key, base_url: mock.urlFor("unauthorized") });
    const t = expectReply(await gw.admin.post(`/api/channel/${c.id}/test`, {}), 200);
    expect(t.message).toStartWith("the upstream answered 401: Incorrect API key provided: [redacted]");
    expect(t.message).not.toContain(key.slice(0, 8));
    expect(t.message).not.toContain(mock.origin);
  });

  test("a user's own log rows carry the attempts without the causes (they name upstream hosts)", async () => {
    const user = await makeUser(app.url, gw.auth, `cause-user-${serial}`);
    expectReply(await gw.admin.post(`/api/user/${user.id}/topup`, { quota: 5_000_000 }), 200);
    const token = expectReply(await user.api.post("/api/token/", { name: "t", unlimited_quota: true }), 201);
    const m = model();
    await gw.addChannel({ name: "refused-2", models: m, base_url: deadUrl, priority: 10 });
    await gw.addChannel({ name: "fine-2", models: m, base_url: mock.url });
    const res = await chatCall(app.url, token.key, m);
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    expect((await gw.logRow(requestId)).attempts[0].cause).toContain("connection refused");
    const own = expectReply(await client(app.url, user.auth).get(`/api/log/self?request_id=${requestId}`), 200)
      .items[0];
    expect(own.attempts.map((a: any) => Object.keys(a).sort())).toEqual([
      ["channel_id", "error", "ms", "status"],
      ["channel_id", "ms", "status"],
    ]);
  });
});
