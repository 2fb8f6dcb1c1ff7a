// A client that hangs up while the upstream is still thinking is not the channel's fault: the
// breaker does not count it, and the channel keeps serving afterwards.
import { afterAll, expect, test } from "bun:test";
import { expectReply } from "../support/expect";
import { startMockUpstream } from "../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, useServer, priceModels } from "../support/server";

const mock = startMockUpstream({ models: ["slow-model"] });
const app = useServer();
afterAll(() => mock.stop());

test("six clients hanging up before the first byte do not open the breaker", async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  await priceModels(app.url, adminAuth, "slow-model");
  expectReply(await admin.post("/api/channel/", { name: "slow", base_url: mock.urlFor("slow_first_byte=1500"), key: "sk-up", models: "slow-model" }), 201);
  const token = expectReply(await admin.post("/api/token/", { name: "impatient", unlimited_quota: true }), 201);
  const send = (signal?: AbortSignal) =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "slow-model", messages: [{ role: "user", content: "hi" }] }),
      signal,
    });
  for (let i = 0; i < 6; i++) {
    const controller = new AbortController();
    const pending = send(controller.signal).catch(() => "aborted");
    await mock.waitFor(() => mock.requests.length > i, 2000);
    controller.abort();
    expect(await pending).toBe("aborted");
  }
  await mock.waitFor(() => mock.aborted >= 6, 3000);
  const ok = await send();
  expect(ok.status).toBe(200);
  const metrics = await fetch(`${app.url}/metrics`, { headers: { cookie: (await login(app.url, "admin", ADMIN_PASSWORD)).cookie } });
  expect(await metrics.text()).not.toMatch(/apiyi_upstream_failures_total\{channel="\d+",reason="network"\}/);
});
