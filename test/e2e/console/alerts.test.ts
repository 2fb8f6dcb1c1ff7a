// Alerts in the console over HTTP: the low-balance banner shows on the user's pages while the balance
// is below their threshold (and not above it); /account saves the threshold in $ and the webhook (a
// private address refused inline, a generated secret shown once), and lists the user's sends;
// /admin/settings lists everyone's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { startReceiver, waitFor } from "../../support/receiver";
import { ADMIN_PASSWORD, chatCall, client, login, makeUser, priceModels, useServer } from "../../support/server";

const app = useServer();
let mock: MockUpstream;
let receiver: ReturnType<typeof startReceiver>;
let admin: Awaited<ReturnType<typeof login>>;
let dora: Awaited<ReturnType<typeof makeUser>>;

const { page, act } = consoleHttp(app);

const BANNER = 'id="low-balance-banner"';

beforeAll(async () => {
  mock = startMockUpstream({ models: [] });
  receiver = startReceiver();
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  dora = await makeUser(app.url, admin, "dora", "dora-pass-1");
  expectReply(await client(app.url, admin).post(`/api/user/${dora.id}/topup`, { quota: 1_250_000 }), 200); // $2.50
});

afterAll(() => {
  mock?.stop();
  receiver?.stop();
});

test("the banner shows on the user's pages while the balance is below the threshold", async () => {
  const who = dora.auth;
  expect((await page("/account", who)).text).not.toContain(BANNER);
  const saved = await act("POST", "/account/alerts", { threshold_usd: "3", notify_type: "none", webhook_url: "" }, who);
  expect(saved.status).toBe(200);
  expect(saved.text).toContain('value="3"'); // in the reader's currency, as typed
  for (const path of ["/account", "/token"]) {
    const html = (await page(path, who)).text;
    expect(html).toContain(BANNER);
    expect(html).toContain("Your balance is $2.50, below your alert threshold of $3.00");
  }
  expect((await page("/account", admin)).text).not.toContain(BANNER); // someone else's threshold
  await act("POST", "/account/alerts", { threshold_usd: "1", notify_type: "none", webhook_url: "" }, who);
  expect((await page("/account", who)).text).not.toContain(BANNER);
});

test("a private webhook is refused inline; a generated secret is shown once", async () => {
  const who = dora.auth;
  const refused = await act(
    "POST",
    "/account/alerts",
    { threshold_usd: "1", notify_type: "webhook", webhook_url: "http://192.168.0.10/hook" },
    who,
  );
  expect(refused.text).toContain('role="alert"');
  expect(refused.text).toContain("public address");
  const bad = await act("POST", "/account/alerts", { threshold_usd: "one", notify_type: "none" }, who);
  expect(bad.text).toContain("give an amount in $");

  expectReply(await client(app.url, admin).put("/api/setting", { alerts_allow_loopback_for_tests: true }), 200);
  const ok = await act(
    "POST",
    "/account/alerts",
    { threshold_usd: "2.4", notify_type: "webhook", webhook_url: `${receiver.url}/dora` },
    who,
  );
  const secret = /id="webhook-secret">([0-9A-Za-z]+)</.exec(ok.text)?.[1];
  expect(secret?.length).toBe(40);
  expect((await page("/account", who)).text).not.toContain(secret!);
});

test("the send log: the user's own on /account, everyone's on /admin/settings", async () => {
  const model = "console-alert-model";
  await priceModels(app.url, admin, model, { per_call: "0.2" }); // 100,000 units = $0.20 a call
  const ch = { name: "console-alerts", base_url: mock.url, key: "sk-up-c", models: [model] };
  expectReply(await client(app.url, admin).post("/api/channel/", ch), 201);
  const key = expectReply(await dora.api.post("/api/token/", { name: "k", unlimited_quota: true }), 201).key;
  const r = await chatCall(app.url, key, model); // $2.50 → $2.30, below $2.40
  expect(r.status).toBe(200);
  await r.text();
  await waitFor(() => (receiver.at("/dora").length ? true : undefined), "the alert");
  const mine = await waitFor(async () => {
    const html = (await page("/account", dora.auth)).text;
    return html.includes('class="alert-status delivered"') ? html : undefined;
  }, "the delivered row on /account");
  expect(mine).toContain("Your alert sends (last 50)");
  expect(mine).toContain(`webhook · ${new URL(receiver.url).host}`);
  expect(mine.slice(mine.indexOf(`id="alert-sends"`))).not.toContain("/dora"); // the host only
  const all = (await page("/admin/settings", admin)).text;
  expect(all).toContain("Alert sends (everyone&#x27;s, last 50)");
  expect(all).toContain("<td>dora</td>");
  expect(all).toContain("alerts_allow_loopback_for_tests");
});
