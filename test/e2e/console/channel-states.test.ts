// The channel list shows each channel's health for people (issue 13), in the API, on /admin/channels
// and in `apiyi channel list`: the state (enabled; breaker open until when; out of rotation for a low
// upstream balance; disabled automatically and why; disabled by an admin), the last success and the
// last failure with its cause, per-key states, the scheduled test's last run, the latency median over
// the last hour (live in the server; saved every minute for the CLI), and the upstream balance with
// the console's Refresh. One server on a test clock, channels put in each state through real calls.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CHANNEL_STATUS, KEY_STATUS } from "../../../src/core/status";
import { consoleSession } from "../../support/console";
import { readRows } from "../../support/backend";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockUpstream } from "../../support/mock-upstream";
import { waitFor } from "../../support/receiver";
import { ADMIN_PASSWORD, chatCall, cli, useServer } from "../../support/server";

const GOOD = "sk-up-states-good-0123456789";
const mock = startMockUpstream({ keys: [GOOD], balance: 3.5 });
const app = useServer({ env: { APIYI_TEST_CLOCK_MS: String(Date.now()) } });
let gw: Gateway;
/** channel name → id */
const ids: Record<string, number> = {};

const call = async (model: string) => (await chatCall(app.url, gw.key, model)).text();

beforeAll(async () => {
  gw = await gatewayAdmin(app.url);
  expectReply(await gw.admin.put("/api/setting", { breaker_failures: 1, breaker_cooldown_seconds: 3600 }), 200);
  const add = async (name: string, body: Record<string, unknown>) =>
    (ids[name] = (await gw.addChannel({ name, models: `st-${name}`, key: GOOD, base_url: mock.url, ...body })).id);
  await add("serving", {});
  await add("rejected", { key: "sk-up-states-rejected-01" });
  await add("switched-off", {});
  await add("broken", { base_url: mock.urlFor("status=500") });
  await add("poor", { balance_source: "moonshot", balance_threshold: 10 });
  await add("half-keys", { key: [GOOD, "sk-up-states-rejected-02"] });
  for (let i = 0; i < 3; i++) await call("st-serving");
  await call("st-rejected");
  expectReply(
    await gw.admin.put("/api/channel/?status_only=true", { id: ids["switched-off"], status: CHANNEL_STATUS.disabled }),
    200,
  );
  await call("st-broken");
  expectReply(await gw.admin.post(`/api/channel/${ids.poor}/balance`), 200);
  for (let i = 0; i < 2; i++) await call("st-half-keys");
  await gw.waitForChannel(ids["half-keys"], (c) => c.key_states[1].status === KEY_STATUS.dead);
  await gw.waitForChannel(ids.rejected, (c) => c.status === CHANNEL_STATUS.autoDisabled);
  // one scheduled test (the rejected key is still rejected), and a latency save for the CLI
  const ran = expectReply(await gw.admin.post("/api/test/clock", { advance_seconds: 600 }), 200).ran;
  expect(ran).toEqual(["channel_test", "latency_save"]);
});
afterAll(() => mock.stop());

describe("GET /api/channel/", () => {
  test("each channel's state, with what explains it", async () => {
    const items = expectReply(await gw.admin.get("/api/channel/?size=50"), 200).items as any[];
    const by = Object.fromEntries(items.map((c) => [c.name, c]));
    expect(Object.fromEntries(items.map((c) => [c.name, c.state]))).toEqual({
      serving: "enabled",
      rejected: "auto_disabled",
      "switched-off": "admin_disabled",
      broken: "breaker_open",
      poor: "balance_low",
      "half-keys": "enabled",
    });
    expect(by.rejected.state_detail).toMatch(/^disabled automatically: every upstream key was rejected .*401/);
    expect(by["switched-off"].state_detail).toBe("disabled by an admin");
    expect(by.broken.health.open_until).toBeGreaterThan(Date.now());
    expect(by.broken.health.last_error).toContain("the upstream answered 500");
    expect(by.poor.state_detail).toBe("out of rotation: upstream balance 3.5 CNY below the threshold 10");
    expect(by["half-keys"].key_states.map((k: any) => k.status)).toEqual([KEY_STATUS.usable, KEY_STATUS.dead]);
  });

  test("the last success, the latency median over the last hour, and the scheduled test's last run", async () => {
    const serving = await gw.channel(ids.serving);
    expect(serving.health.last_ok_at).toBeGreaterThan(0);
    expect(serving.health.latency_samples).toBe(3);
    expect(serving.health.latency_p50_ms).toBeGreaterThanOrEqual(0);
    const rejected = await gw.channel(ids.rejected);
    expect(rejected.health).toMatchObject({ last_probe_ok: false, latency_p50_ms: null, latency_samples: 0 });
    expect(rejected.health.last_probe_error).toMatch(/^key #1: the upstream answered 401/);
  });
});

describe("/admin/channels", () => {
  test("state badges and their explanations, the health notes and the balance", async () => {
    const s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
    const page = (await s.page("/admin/channels")).text;
    for (const text of [
      '<span class="badge ok">enabled</span>',
      '<span class="badge off">disabled</span>',
      "auto-disabled",
      "breaker open until ",
      "balance low",
      "out of rotation: upstream balance 3.5 CNY below the threshold 10",
      "last success ",
      " ms over the last hour (3)",
      "last scheduled test ",
      "failed (key #1: the upstream answered 401",
      "balance 3.5 CNY",
      "threshold 10: out of rotation",
      `hx-post="/admin/channels/${ids.poor}/balance"`,
    ])
      expect(page).toContain(text);
    expect(page).not.toContain(GOOD);
  });

  test("Refresh reads the balance again: its block and the status cell come back, the toast says it", async () => {
    const s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
    mock.set({ balance: 12 });
    const r = await s.act("POST", `/admin/channels/${ids.poor}/balance`);
    expect(r.status).toBe(200);
    expect(s.toast(r)).toBe("Balance: 12 CNY");
    expect(r.text).toStartWith(`<div id="balance-${ids.poor}" class="balance">`);
    expect(r.text).toContain(
      `<template><td id="status-${ids.poor}" hx-swap-oob="true"><span class="badge ok">enabled</span>`,
    );
    mock.set({ balance: 3.5 });
    const low = await s.act("POST", `/admin/channels/${ids.poor}/balance`);
    expect(s.toast(low)).toBe("Balance: 3.5 CNY (below the threshold 10: out of rotation)");
  });
});

describe("/admin/logs", () => {
  test("the scheduled test's calls are system rows, billed to nobody, with their cause", async () => {
    const s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
    const page = (await s.page("/admin/logs?type=4")).text;
    expect(page).toContain('<span class="badge off">system</span>');
    expect(page).toContain(">nobody</span>");
    expect(page).toContain("scheduled channel test");
    expect(page).not.toContain('<span class="badge ok">consume</span>');
  });
});

/** The breaker as the server saved it for other processes (it does so at most once a second). */
async function savedBreaker(id: number): Promise<string | undefined> {
  const [row] = await readRows<{ health: string }>(app.server.dataDir, "SELECT health FROM channels WHERE id = ?", id);
  return JSON.parse(row.health).breaker;
}

describe("apiyi channel list", () => {
  test("the same states, as the server last saved them (latency every minute)", async () => {
    await waitFor(
      async () => ((await savedBreaker(ids.broken)) === "open" ? true : undefined),
      "the saved breaker",
      5000,
    );
    const r = await cli(["channel", "list", "--data-dir", app.server.dataDir]);
    expect(r.code).toBe(0);
    const line = (name: string) => r.stdout.split("\n").find((l) => l.split("\t")[1] === name) ?? "";
    expect(line("serving")).toMatch(/\tlast-ok=\d{4}-\d\d-\d\dT[\d:]+Z\tp50=\d+ms\/3(\t|$)/);
    expect(line("rejected")).toContain("\tauto-disabled\t");
    expect(line("rejected")).toMatch(/\tlast-test=\S+ failed: key #1: the upstream answered 401/);
    expect(line("switched-off")).toContain("\tdisabled\t");
    expect(line("broken")).toMatch(/\tbreaker=open\t.*\topen-until=\d{4}-/);
    expect(line("poor")).toContain(
      "\tout-of-rotation=out of rotation: upstream balance 3.5 CNY below the threshold 10",
    );
    expect(line("poor")).toMatch(/\tbalance=3\.5 CNY \(\S+\)\tbalance-threshold=10$/);
    expect(line("half-keys")).toContain("\tkey-states=1:usable,2:rejected");
    expect(r.stdout).not.toContain(GOOD);
  });

  test("apiyi channel balance reads it from the CLI: the figure, then the line; exit 1 when it cannot", async () => {
    mock.set({ balance: 11 });
    const ok = await cli(["channel", "balance", "--id", String(ids.poor), "--data-dir", app.server.dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split("\n")[0]).toBe("11 CNY");
    expect(ok.stdout).not.toContain("out-of-rotation=");
    const none = await cli(["channel", "balance", "--id", String(ids.serving), "--data-dir", app.server.dataDir]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("balance_source");
    await gw.waitForChannel(ids.poor, (c) => c.state === "enabled"); // the server follows the CLI's write
  });
});
