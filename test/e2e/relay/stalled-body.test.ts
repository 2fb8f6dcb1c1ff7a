// A non-streamed reply whose body stalls after the headers: the idle limit ends it as a 502
// upstream_error in OpenAI's shape (not a 500), and the row records the failure.
import { afterAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, useServer, priceModels } from "../../support/server";

// headers and half a JSON body at once, then silence
const stalling = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  fetch: () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"id":"x","choices":['));
        },
      }),
      { headers: { "content-type": "application/json" } },
    ),
});
const app = useServer();
afterAll(() => stalling.stop(true));

test("a stalled JSON body fails as 502 upstream_error after timeout_idle_ms", async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  await priceModels(app.url, adminAuth, "stall-model");
  const base = `http://127.0.0.1:${stalling.port}/v1`;
  expectReply(
    await admin.post("/api/channel/", {
      name: "stall",
      base_url: base,
      key: "sk-up",
      models: "stall-model",
      timeout_idle_ms: 300,
    }),
    201,
  );
  const token = expectReply(await admin.post("/api/token/", { name: "stall", unlimited_quota: true }), 201);
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token.key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "stall-model", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(res.status).toBe(502);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("upstream_error");
  expect(body.error.message).not.toContain(String(stalling.port));
});
