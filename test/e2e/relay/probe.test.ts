// POST /api/channel/:id/test: one minimal call through the channel, with status and latency; the
// upstream key is used but never shown, and a failing upstream is reported, not thrown.
import { afterAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, useServer } from "../../support/server";

const mock = startMockUpstream({ models: ["probe-model"], keys: ["sk-up-probe-1"] });
const app = useServer();
afterAll(() => mock.stop());

test("a healthy channel answers ok with its status and latency, using the mapped model", async () => {
  const admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  const ch = expectReply(
    await admin.post("/api/channel/", {
      name: "p",
      base_url: mock.url,
      key: "sk-up-probe-1",
      models: "alias",
      model_mapping: { alias: "probe-model" },
    }),
    201,
  );
  const r = await admin.post(`/api/channel/${ch.id}/test`, {});
  const data = expectReply(r, 200);
  expect(data).toMatchObject({ ok: true, status: 200, model: "alias", message: "ok" });
  expect(data.latency_ms).toBeGreaterThanOrEqual(0);
  expect(mock.requests.at(-1)!.body.model).toBe("probe-model");
  expect(mock.requests.at(-1)!.headers.authorization).toBe("Bearer sk-up-probe-1");
  expect(JSON.stringify(r.body)).not.toContain("sk-up-probe-1");
});

test("a rejected key is reported without the upstream's key fragment or URL", async () => {
  const admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  const ch = expectReply(
    await admin.post("/api/channel/", {
      name: "bad",
      base_url: mock.url,
      key: "sk-up-wrong-key",
      models: "probe-model",
    }),
    201,
  );
  const r = await admin.post(`/api/channel/${ch.id}/test`, { model: "probe-model" });
  expect(expectReply(r, 200)).toMatchObject({ ok: false, status: 401 });
  const text = JSON.stringify(r.body);
  expect(text).not.toContain("sk-up");
  expect(text).not.toContain(new URL(mock.url).port);
  expect((await admin.post("/api/channel/999999/test", {})).status).toBe(404);
});
