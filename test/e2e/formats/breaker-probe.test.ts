// A half-open breaker gives its single probe only to a call that is really sent and reports how it
// went: a call that cannot be translated for the channel, or a count_tokens, never takes the probe
// (else the channel would stay out of rotation until a restart); a probe that ends without a verdict
// on the channel (the upstream refused the request with a 4xx) is given back.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let admin: ReturnType<typeof client>;
let auth: Awaited<ReturnType<typeof login>>;
let key = "";

beforeAll(async () => {
  mock = startMockUpstream({});
  auth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, auth);
  expectReply(await admin.put("/api/setting", { breaker_failures: 1, breaker_cooldown_seconds: 1 }), 200);
  const user = await makeUser(app.url, auth, "prober");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_000_000 }), 200);
  key = expectReply(await user.api.post("/api/token/", { name: "p", unlimited_quota: true }), 201).key;
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const chat = (model: string) => post("/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }] });

/** A chat-only channel for `model` whose breaker is open, then half-open (cooldown 1 s). */
async function halfOpen(model: string) {
  expectReply(
    await admin.post("/api/channel/", { name: model, type: "openai", key: "k", base_url: mock.url, models: [model] }),
    201,
  );
  await priceModels(app.url, auth, [model]);
  mock.set({ mode: "status", status: 500 });
  expect((await chat(model)).status).toBe(502); // one failure opens it
  mock.set({ mode: "ok" });
  expect((await chat(model)).status).toBe(503); // open: not contacted
  await Bun.sleep(1100);
}

describe("the half-open probe", () => {
  test("a Responses call the channel cannot take (a web_search tool) leaves the probe to the next call", async () => {
    await halfOpen("probe-a");
    expect(
      (await post("/v1/responses", { model: "probe-a", input: "hi", tools: [{ type: "web_search" }] })).status,
    ).toBe(400);
    expect((await chat("probe-a")).status).toBe(200);
    expect((await chat("probe-a")).status).toBe(200); // closed again
  });

  test("count_tokens on a half-open channel counts locally and leaves the probe", async () => {
    await halfOpen("probe-b");
    const r = await fetch(`${app.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ model: "probe-b", messages: [{ role: "user", content: "hello world" }] }),
    });
    expect(await r.json()).toEqual({ input_tokens: 2 });
    expect((await chat("probe-b")).status).toBe(200);
  });

  test("a probe answered with a 400 (the request's fault) is given back to the next call", async () => {
    await halfOpen("probe-c");
    mock.set({ mode: "status", status: 400 });
    expect((await chat("probe-c")).status).toBe(400);
    mock.set({ mode: "ok" });
    expect((await chat("probe-c")).status).toBe(200);
  });
});
