// Low-balance and channel alerts over real HTTP: a receiver on 127.0.0.1 (allowed only through the
// test-only setting alerts_allow_loopback_for_tests) gets exactly one signed alert when a call takes
// the balance below the threshold, and none for the next crossing within the limit window; private,
// loopback and metadata webhooks are refused at save and at send; a redirect is not followed; a
// failing receiver is retried and recorded as failed; a channel disabled automatically sends one
// admin alert; the send log shows it all (the user's own, and everyone's to admins).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { CHANNEL_STATUS } from "../../../src/core/status";
import { expectInvalid, expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { startReceiver, waitFor } from "../../support/receiver";
import { ADMIN_PASSWORD, chatCall, client, login, makeUser, priceModels, useServer } from "../../support/server";

const app = useServer();
let mock: MockUpstream;
let receiver: ReturnType<typeof startReceiver>;
let admin: ReturnType<typeof client>;
let adminAuth: Awaited<ReturnType<typeof login>>;
let serial = 0;

/** per_call $0.002 = 1,000 units a call */
const MODEL = "alert-model";
const allowLoopback = async (on: boolean) =>
  expectReply(await admin.put("/api/setting", { alerts_allow_loopback_for_tests: on }), 200);

beforeAll(async () => {
  mock = startMockUpstream({ models: [] });
  receiver = startReceiver();
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  await priceModels(app.url, adminAuth, MODEL, { per_call: "0.002" });
  const ch = { name: "alerts-ok", type: "openai", base_url: mock.url, key: "sk-up-ok", models: [MODEL] };
  expectReply(await admin.post("/api/channel/", ch), 201);
});

afterAll(() => {
  mock?.stop();
  receiver?.stop();
});

/** A user with `balance` units and an sk- key. */
async function newUser(balance: number) {
  const u = await makeUser(app.url, adminAuth, `alerts-${++serial}`);
  expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: balance }), 200);
  const t = expectReply(await u.api.post("/api/token/", { name: "k", unlimited_quota: true }), 201);
  return { ...u, key: t.key as string };
}

async function callOk(key: string) {
  const r = await chatCall(app.url, key, MODEL);
  expect(r.status).toBe(200);
  await r.text();
}

/** The user's send log, once `ok` holds for it. */
const sendsWhen = (api: ReturnType<typeof client>, ok: (rows: any[]) => boolean, what: string) =>
  waitFor(async () => {
    const rows = expectReply(await api.get("/api/alert/self"), 200) as any[];
    return ok(rows) ? rows : undefined;
  }, what);

describe("low-balance alert to the user's webhook", () => {
  test("one signed alert when a call crosses the threshold; none for the next crossing within the window", async () => {
    await allowLoopback(true);
    const u = await newUser(10_000);
    const path = `/hook-${serial}`;
    const saved = expectReply(
      await u.api.put("/api/user/setting", {
        notify_type: "webhook",
        quota_warning_threshold: 8_500,
        webhook_url: receiver.url + path,
      }),
      200,
    );
    const secret = saved.webhook_secret as string;
    expect(secret.length).toBeGreaterThanOrEqual(32); // generated, shown this once
    const view = expectReply(await u.api.get("/api/user/setting"), 200);
    expect(view).toMatchObject({ notify_type: "webhook", quota_warning_threshold: 8_500, has_webhook_secret: true });
    expect(view.webhook_secret).toBeUndefined();

    await callOk(u.key); // 9,000: above
    await callOk(u.key); // 8,000: crossed
    await callOk(u.key); // 7,000: still below, no new crossing
    const [hit] = await waitFor(() => (receiver.at(path).length ? receiver.at(path) : undefined), "the alert");
    const expected = createHmac("sha256", secret).update(hit.body).digest("hex");
    expect(hit.headers.get("x-webhook-signature")).toBe(expected);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: "balance_low", title: "Balance low", values: ["0.016", "0.017"] });
    expect(typeof body.timestamp).toBe("number");
    expect(body.content).toContain("$0.016");

    // back above the threshold, then below again: the limit (1 per 24 h) holds this one back
    expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: 2_000 }), 200); // 9,000
    await callOk(u.key); // 8,000: crossed again
    const rows = await sendsWhen(u.api, (r) => r.some((x) => x.status === "suppressed"), "the suppressed row");
    expect(rows.map((r) => r.status)).toEqual(["suppressed", "delivered"]);
    expect(rows[1]).toMatchObject({ kind: "balance_low", destination: "webhook", attempts: 1, last_error: "" });
    expect(rows[1].host).toBe(new URL(receiver.url).host); // the host only, never the path
    expect(JSON.stringify(rows)).not.toContain(path);
    expect(receiver.at(path)).toHaveLength(1);
  });

  test("a failing receiver is retried (3 attempts) and recorded as failed", async () => {
    await allowLoopback(true);
    const u = await newUser(2_000);
    const path = `/fail-${serial}`;
    expectReply(
      await u.api.put("/api/user/setting", {
        notify_type: "webhook",
        quota_warning_threshold: 1_500,
        webhook_url: receiver.url + path,
      }),
      200,
    );
    await callOk(u.key);
    const rows = await sendsWhen(u.api, (r) => r[0]?.status === "failed", "the failed send");
    expect(rows[0]).toMatchObject({ status: "failed", attempts: 3 });
    expect(rows[0].last_error).toContain("HTTP 500");
    expect(receiver.at(path)).toHaveLength(3);
  });

  test("a redirecting receiver is not followed", async () => {
    await allowLoopback(true);
    const u = await newUser(2_000);
    const path = `/redirect-${serial}`;
    const saved = { notify_type: "webhook", quota_warning_threshold: 1_500, webhook_url: receiver.url + path };
    expectReply(await u.api.put("/api/user/setting", saved), 200);
    const movedBefore = receiver.at("/moved").length;
    await callOk(u.key);
    const rows = await sendsWhen(u.api, (r) => r[0]?.status === "failed", "the refused redirect");
    expect(rows[0].last_error).toContain("redirect");
    expect(rows[0].attempts).toBe(1); // a redirect is not retried either
    expect(receiver.at(path)).toHaveLength(1);
    expect(receiver.at("/moved")).toHaveLength(movedBefore);
  });
});

describe("webhook addresses users may use: public only", () => {
  const refused = [
    "http://127.0.0.1:9/hook",
    "http://localhost/hook",
    "http://[::1]/hook",
    "http://10.0.0.5/hook",
    "http://192.168.1.10/hook",
    "http://172.16.3.4/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://metadata.google.internal/",
    "http://0x7f000001/hook",
    "http://[::ffff:10.0.0.1]/hook",
    "ftp://example.com/hook",
  ];

  test("refused at save without the test-only setting", async () => {
    await allowLoopback(false);
    const u = await newUser(1_000);
    for (const url of refused) {
      const r = await u.api.put("/api/user/setting", { notify_type: "webhook", webhook_url: url });
      expectInvalid(r, "webhook_url");
    }
    expectInvalid(await u.api.put("/api/user/setting", { notify_type: "email" }), "notify_type");
    expectInvalid(await u.api.put("/api/user/setting", { notify_type: "webhook" }), "webhook_url");
    expectInvalid(await u.api.put("/api/user/setting", { quota_warning_threshold: 1.5 }), "quota_warning_threshold");
  });

  test("with the test-only setting only loopback is let through; private and metadata stay refused", async () => {
    await allowLoopback(true);
    const u = await newUser(1_000);
    expectReply(await u.api.put("/api/user/setting", { webhook_url: "http://127.0.0.1:9/hook" }), 200);
    for (const url of ["http://10.0.0.5/hook", "http://169.254.169.254/", "http://192.168.1.1/"])
      expectInvalid(await u.api.put("/api/user/setting", { webhook_url: url }), "webhook_url");
  });

  test("refused at send: a loopback webhook saved under the test setting fails once the setting is off", async () => {
    await allowLoopback(true);
    const u = await newUser(2_000);
    const path = `/late-${serial}`;
    const saved = { notify_type: "webhook", quota_warning_threshold: 1_500, webhook_url: receiver.url + path };
    expectReply(await u.api.put("/api/user/setting", saved), 200);
    await allowLoopback(false);
    await callOk(u.key);
    const rows = await sendsWhen(u.api, (r) => r[0]?.status === "failed", "the refused send");
    expect(rows[0].last_error).toContain("loopback");
    expect(rows[0].attempts).toBe(1); // a refusal is not retried
    expect(receiver.at(path)).toHaveLength(0);
  });
});

describe("admin alerts", () => {
  test("a channel disabled automatically sends one admin alert, shown in everyone's send log", async () => {
    const path = `/admin-${++serial}`;
    expectReply(
      await admin.put("/api/setting", { alert_admin_url: receiver.url + path, alert_admin_type: "webhook" }),
      200,
    );
    const model = "alert-disabled-model";
    await priceModels(app.url, adminAuth, model, { per_call: "0.002" });
    const bad = expectReply(
      await admin.post("/api/channel/", {
        name: "alerts-rejected",
        base_url: mock.urlFor("unauthorized"),
        key: "sk-up-bad",
        models: [model],
        priority: 10,
      }),
      201,
    );
    expectReply(
      await admin.post("/api/channel/", {
        name: "alerts-good",
        base_url: mock.url,
        key: "sk-up-good",
        models: [model],
      }),
      201,
    );
    const u = await newUser(100_000);
    for (let i = 0; i < 2; i++) {
      const r = await chatCall(app.url, u.key, model);
      expect(r.status).toBe(200);
      await r.text();
    }
    const hits = await waitFor(() => (receiver.at(path).length ? receiver.at(path) : undefined), "the admin alert");
    const c = expectReply(await admin.get(`/api/channel/${bad.id}`), 200);
    expect(c.status).toBe(CHANNEL_STATUS.autoDisabled);
    const body = JSON.parse(hits[0].body);
    expect(body).toMatchObject({ type: "channel_disabled", values: [bad.id, "alerts-rejected"] });
    const all = await waitFor(async () => {
      const rows = expectReply(await admin.get("/api/alert/"), 200) as any[];
      return rows.some((r) => r.kind === "channel_disabled" && r.status === "delivered") ? rows : undefined;
    }, "the admin send row");
    expect(all.find((r) => r.kind === "channel_disabled")).toMatchObject({
      user_id: null,
      subject: `channel:${bad.id}`,
    });
    expect(all.some((r) => r.kind === "balance_low")).toBe(true); // everyone's sends
    expect(receiver.at(path)).toHaveLength(1);
    // users cannot read everyone's log
    expectReply(await u.api.get("/api/alert/"), 403);
  });

  test("admin destinations: a metadata address is refused; Bark and Gotify are accepted types", async () => {
    expectInvalid(await admin.put("/api/setting", { alert_admin_url: "http://169.254.169.254/x" }), "alert_admin_url");
    expectInvalid(await admin.put("/api/setting", { alert_admin_type: "email" }), "alert_admin_type");
    const s = expectReply(await admin.put("/api/setting", { alert_admin_type: "gotify" }), 200);
    expect(s.alert_admin_type).toBe("gotify");
    expectReply(await admin.put("/api/setting", { alert_admin_type: "webhook" }), 200);
  });
});
