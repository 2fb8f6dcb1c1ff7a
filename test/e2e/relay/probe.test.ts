// POST /api/channel/:id/test: one minimal call through the channel, with status and latency; the
// upstream key is used but never shown, and a failing upstream is reported, not thrown. The call's
// limit suits the upstream's model: OpenAI's reasoning models get max_completion_tokens.
import { afterAll, expect, test } from "bun:test";
import { REASONING_ROOM } from "../../../src/core/hold";
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

test("a model mapped to an OpenAI reasoning model is asked as that model accepts: max_completion_tokens", async () => {
  const admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  const ch = expectReply(
    await admin.post("/api/channel/", {
      name: "reasoner",
      base_url: mock.urlFor("ok,reasoningModels=1"),
      key: "sk-up-probe-1",
      models: "cheap-thinker",
      model_mapping: { "cheap-thinker": "o4-mini" },
    }),
    201,
  );
  const r = expectReply(await admin.post(`/api/channel/${ch.id}/test`, {}), 200);
  expect(r).toMatchObject({ ok: true, status: 200, model: "cheap-thinker" });
  const sent = mock.requests.at(-1)!.body;
  expect(sent).toMatchObject({ model: "o4-mini", max_completion_tokens: REASONING_ROOM });
  expect(sent).not.toHaveProperty("max_tokens");
});
