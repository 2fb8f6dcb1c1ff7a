// The admin alert "a channel's breaker has been open longer than alert_breaker_open_minutes", through a
// real server on a test clock (testClock: moved forward by POST /api/test/clock, a route that exists
// only under NODE_ENV=test): the upstream fails until the channel's breaker opens, the clock passes the
// minutes, and the server's own periodic check (no request triggers it) sends exactly one alert to the
// admin webhook on 127.0.0.1 (admin URLs may be private: no test setting is needed). The breaker closes
// on a passing probe and opens again: within alert_admin_window_minutes the second opening's alert is
// held back by the limit (logged as suppressed), so the receiver still has exactly one.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { type Gateway, gatewayAdmin } from "../../support/gateway";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { startReceiver, waitFor } from "../../support/receiver";
import { chatCall, testClock, useServer } from "../../support/server";

setDefaultTimeout(30_000);

const app = useServer({ env: testClock() });
const MODEL = "breaker-alert-model";
const MINUTES = 5;
let mock: MockUpstream;
let receiver: ReturnType<typeof startReceiver>;
let gw: Gateway;

beforeAll(async () => {
  mock = startMockUpstream();
  receiver = startReceiver();
  gw = await gatewayAdmin(app.url);
});

afterAll(() => {
  mock?.stop();
  receiver?.stop();
});

const call = async () => {
  const r = await chatCall(app.url, gw.key, MODEL);
  await r.text();
  return r.status;
};

/** The send log's breaker_open rows about a channel, once `ok` holds for them. */
const breakerSends = (channelId: number, ok: (rows: any[]) => boolean, what: string) =>
  waitFor(async () => {
    const rows = (expectReply(await gw.admin.get("/api/alert/"), 200) as any[]).filter(
      (r) => r.kind === "breaker_open" && r.subject === `channel:${channelId}`,
    );
    return ok(rows) ? rows : undefined;
  }, what);

test("a breaker open longer than N minutes: one admin alert from the periodic check; none again within the window", async () => {
  const path = "/admin-breaker";
  expectReply(
    await gw.admin.put("/api/setting", {
      breaker_failures: 2,
      alert_breaker_open_minutes: MINUTES,
      alert_admin_url: receiver.url + path,
      alert_admin_type: "webhook",
      alert_admin_limit: 1,
      alert_admin_window_minutes: 60,
    }),
    200,
  );
  const ch = await gw.addChannel({ name: "flaky-breaker", type: "openai", base_url: mock.url, models: [MODEL] });

  // the upstream fails until the breaker opens
  mock.set({ mode: "status", status: 502 });
  expect([await call(), await call()]).toEqual([502, 502]);
  expect((await gw.channel(ch.id)).health.breaker).toBe("open");

  // open, but not yet for N minutes: the check (every 200 ms on a test clock) has nothing to say
  await gw.advanceClock((MINUTES - 1) * 60);
  expect((await gw.channel(ch.id)).health.breaker).toBe("half_open"); // the cooldown (30 s) is over
  // past N minutes: the running server's own check sends it, no request needed
  await gw.advanceClock(2 * 60);
  const hits = await waitFor(() => (receiver.at(path).length ? receiver.at(path) : undefined), "the breaker alert");
  expect(hits).toHaveLength(1);
  const body = JSON.parse(hits[0].body);
  expect(body).toMatchObject({
    type: "breaker_open",
    title: "Channel breaker open",
    values: [ch.id, "flaky-breaker"],
    content: `channel ${ch.id} (flaky-breaker): its breaker has been open for ${MINUTES + 1} minutes`,
  });
  expect(hits[0].headers.get("content-type")).toContain("application/json");
  await breakerSends(ch.id, (rows) => rows.some((r) => r.status === "delivered"), "the delivered row");

  // a passing probe closes the breaker; it opens again and stays open past N minutes, within the window
  mock.set({ mode: "ok" });
  expect(await call()).toBe(200);
  expect((await gw.channel(ch.id)).health.breaker).toBe("closed");
  mock.set({ mode: "status", status: 502 });
  expect([await call(), await call()]).toEqual([502, 502]);
  await gw.advanceClock((MINUTES + 1) * 60);
  const rows = await breakerSends(ch.id, (r) => r.some((x) => x.status === "suppressed"), "the suppressed row");
  expect(rows.map((r) => r.status).sort()).toEqual(["delivered", "suppressed"]);
  expect(rows.find((r) => r.status === "suppressed").last_error).toBe("limit: 1 per 60 min");
  expect(receiver.at(path)).toHaveLength(1);
});
