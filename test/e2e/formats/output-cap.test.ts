// A channel's max_output_tokens over HTTP: Claude Code's max_tokens 64000 reaches a capped chat
// upstream (translated) and a capped anthropic upstream (passed through) lowered to the cap; a
// Gemini ask is lowered in generationConfig; an ask under the cap goes as the client sent it.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let key = "";
const last = () => mock.requests[mock.requests.length - 1];

beforeAll(async () => {
  mock = startMockUpstream({});
  const auth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, auth);
  const add = async (type: string, base_url: string, model: string) =>
    expectReply(
      await admin.post("/api/channel/", {
        name: model,
        type,
        key: "k",
        base_url,
        models: [model],
        max_output_tokens: 8192,
      }),
      201,
    );
  await add("openai", mock.url, "capped-chat");
  await add("anthropic", mock.url, "capped-claude");
  await add("gemini", mock.geminiUrl, "capped-gemini");
  await priceModels(app.url, auth, ["capped-chat", "capped-claude", "capped-gemini"]);
  const user = await makeUser(app.url, auth, "capper");
  expectReply(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_000_000 }), 200);
  key = expectReply(await user.api.post("/api/token/", { name: "c", unlimited_quota: true }), 201).key;
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const claudeCode = (model: string, max_tokens = 64000) =>
  post("/v1/messages", { model, max_tokens, messages: [{ role: "user", content: "hi" }] });

describe("max_output_tokens", () => {
  test("Anthropic client → chat channel: max_tokens 64000 arrives as 8192", async () => {
    expect((await claudeCode("capped-chat")).status).toBe(200);
    expect(last().body.max_tokens).toBe(8192);
  });

  test("Anthropic client → anthropic channel (pass-through): lowered too, the rest untouched", async () => {
    expect((await claudeCode("capped-claude")).status).toBe(200);
    expect(last().body).toEqual({
      model: "capped-claude",
      max_tokens: 8192,
      messages: [{ role: "user", content: "hi" }],
    });
  });

  test("Gemini client: generationConfig.maxOutputTokens lowered", async () => {
    const r = await post("/v1beta/models/capped-gemini:generateContent", {
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      generationConfig: { maxOutputTokens: 65536 },
    });
    expect(r.status).toBe(200);
    expect(last().body.generationConfig.maxOutputTokens).toBe(8192);
  });

  test("an ask under the cap goes as sent", async () => {
    expect((await claudeCode("capped-claude", 1000)).status).toBe(200);
    expect(last().body.max_tokens).toBe(1000);
  });
});
