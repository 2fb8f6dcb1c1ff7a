// Channel health for admins: the breaker state and recent failures, in the API's channel view and
// on /admin/channels.
import { afterAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, priceModels, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["h-model"] });
const app = useServer();
afterAll(() => mock.stop());

test("failures show as recent failures, then as an open breaker", async () => {
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, auth);
  expectReply(await admin.put("/api/setting", { breaker_failures: 3 }), 200);
  const ch = expectReply(
    await admin.post("/api/channel/", {
      name: "flaky",
      base_url: mock.urlFor("status=502"),
      key: "sk-f",
      models: "h-model",
    }),
    201,
  );
  expect(ch.health).toMatchObject({ breaker: "closed", recent_failures: 0 });
  await priceModels(app.url, auth, "h-model");
  const token = expectReply(await admin.post("/api/token/", { name: "h", unlimited_quota: true }), 201);
  const chat = () =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "h-model", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
    });
  await chat();
  expect(expectReply(await admin.get(`/api/channel/${ch.id}`), 200).health).toMatchObject({
    breaker: "closed",
    recent_failures: 1,
  });
  await chat();
  await chat();
  expect(expectReply(await admin.get(`/api/channel/${ch.id}`), 200).health.breaker).toBe("open");
  const page = await (await fetch(`${app.url}/admin/channels`, { headers: { cookie: auth.cookie } })).text();
  expect(page).toContain("breaker open");
});
