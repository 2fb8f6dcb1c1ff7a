// What a channel write tells the admin it did not ask for (issue 10, items 17 and 18):
// - models without a price: the channel is still created, and the API reply, the console's toast and
//   the channel's view name them and say how to price them (every call to them is refused until then);
// - a base URL pasted with an endpoint path (…/v1/chat/completions, …/v1/messages,
//   …/v1beta/models/x:generateContent, /openai/deployments/…): the type's own endpoint is cut off and the
//   reply says so; another type's endpoint is refused with what to do instead. A channel saved that way
//   calls the upstream once, at the right path (not …/chat/completions/chat/completions).
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectInvalid, expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, client, login, priceModels, useServer, type Auth } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let auth: Auth;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  auth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, auth);
});

let serial = 0;
const body = (over: Record<string, unknown>) => ({
  name: `warn-${++serial}`,
  key: `sk-w-${crypto.randomUUID()}`,
  models: "gpt-4o",
  base_url: "https://api.example.com/v1",
  ...over,
});

describe("models without a price", () => {
  test("the channel is created; the reply names the models and how to price them; gone once priced", async () => {
    const c = expectReply(await admin.post("/api/channel/", body({ models: "gpt-4o,unpriced-a,unpriced-b" })), 201);
    expect(c.unpriced_models).toEqual(["unpriced-a", "unpriced-b"]);
    expect(c.warnings).toHaveLength(1);
    for (const part of [
      "unpriced-a, unpriced-b",
      "model_price_not_set",
      "apiyi price set --model unpriced-a",
      "/admin/pricing",
    ])
      expect(c.warnings[0]).toContain(part);
    expect(expectReply(await admin.get(`/api/channel/${c.id}`), 200).unpriced_models).toEqual([
      "unpriced-a",
      "unpriced-b",
    ]);

    await priceModels(app.url, auth, "unpriced-a");
    const after = expectReply(await admin.get(`/api/channel/${c.id}`), 200);
    expect(after.unpriced_models).toEqual(["unpriced-b"]);
    const priced = expectReply(await admin.post("/api/channel/", body({ models: "gpt-4o,unpriced-a" })), 201);
    expect({ unpriced: priced.unpriced_models, warnings: priced.warnings }).toEqual({ unpriced: [], warnings: [] });
  });

  test("the warning names the price catalog: how to apply its price, or that it has none", async () => {
    expectReply(await admin.del("/api/pricing/o1"), 200); // a catalog model, now without a price
    const c = expectReply(await admin.post("/api/channel/", body({ models: "o1,unpriced-c" })), 201);
    expect(c.unpriced_models).toEqual(["o1", "unpriced-c"]);
    expect(c.warnings[0]).toContain("the price catalog has o1: apiyi price catalog --apply o1");
    const none = expectReply(await admin.post("/api/channel/", body({ models: "unpriced-d" })), 201);
    expect(none.warnings[0]).toContain("the price catalog does not have it");
  });

  test("the console's create says so in its toast, and the row shows it", async () => {
    const page = await (await fetch(`${app.url}/token`, { headers: { cookie: auth!.cookie! } })).text();
    const csrf = /data-csrf="([0-9a-f]+)"/.exec(page)![1];
    const res = await fetch(`${app.url}/admin/channels`, {
      method: "POST",
      headers: {
        cookie: auth!.cookie!,
        "x-csrf-token": csrf,
        origin: app.url,
        "hx-request": "true",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        name: "console-unpriced",
        type: "openai",
        base_url: "https://api.example.com/v1",
        key: "sk-c",
        models: "console-free-model",
        group: "default",
      }),
    });
    const toast = JSON.parse(res.headers.get("hx-trigger") ?? "{}").toast;
    expect(toast.message).toStartWith("Channel created. Warning: no price for the model console-free-model");
    expect(toast.message).toContain("apiyi price set --model console-free-model");
    expect(await res.text()).toContain("1 without a price");
  });
});

describe("a base URL that ends in an endpoint path", () => {
  const CUT: [string, string, string, string][] = [
    ["openai", "https://api.example.com/v1/chat/completions", "https://api.example.com/v1", "/chat/completions"],
    ["openai", "https://api.example.com/v1/chat/completions/", "https://api.example.com/v1", "/chat/completions"],
    ["openai", "https://api.example.com/v1/embeddings", "https://api.example.com/v1", "/embeddings"],
    ["openai", "https://api.example.com/v1/responses", "https://api.example.com/v1", "/responses"],
    ["openai", "https://api.example.com/v1/images/generations", "https://api.example.com/v1", "/images/generations"],
    [
      "openai",
      "https://api.groq.com/openai/v1/chat/completions",
      "https://api.groq.com/openai/v1",
      "/chat/completions",
    ],
    // DeepSeek serves /chat/completions at its root: nothing is added back
    ["openai", "https://api.deepseek.com/chat/completions", "https://api.deepseek.com", "/chat/completions"],
    ["anthropic", "https://api.anthropic.com/v1/messages", "https://api.anthropic.com/v1", "/messages"],
    [
      "anthropic",
      "https://api.anthropic.com/v1/messages/count_tokens",
      "https://api.anthropic.com/v1",
      "/messages/count_tokens",
    ],
    [
      "gemini",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
      "https://generativelanguage.googleapis.com/v1beta",
      "/models/gemini-2.5-flash:generateContent",
    ],
    [
      "azure",
      "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions",
      "https://res.openai.azure.com",
      "/openai/deployments/gpt-4o/chat/completions",
    ],
    [
      "dashscope",
      "https://dashscope.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis",
      "https://dashscope.aliyuncs.com",
      "/api/v1/services/aigc/video-generation/video-synthesis",
    ],
  ];
  test("the type's own endpoint is cut off, and the reply says so", async () => {
    for (const [type, given, stored, cut] of CUT) {
      const c = expectReply(
        await admin.post(
          "/api/channel/",
          body({ type, base_url: given, ...(type === "azure" ? { api_version: "2024-10-21" } : {}) }),
        ),
        201,
      );
      expect({ given, stored: c.base_url }).toEqual({ given, stored });
      expect(c.warnings).toEqual([`base_url ended in ${cut}, an endpoint path apiyi adds itself; it was removed`]);
    }
    const plain = expectReply(await admin.post("/api/channel/", body({})), 201);
    const u = expectReply(
      await admin.put("/api/channel/", { id: plain.id, base_url: "https://api.example.com/v1/completions" }),
      200,
    );
    expect({ url: u.base_url, warnings: u.warnings }).toEqual({
      url: "https://api.example.com/v1",
      warnings: ["base_url ended in /completions, an endpoint path apiyi adds itself; it was removed"],
    });
  });

  test("another type's endpoint is refused with what to do instead; nothing is written", async () => {
    const REFUSED: [string, string, string][] = [
      ["openai", "https://api.anthropic.com/v1/messages", "choose type anthropic"],
      ["openai", "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions", "choose type azure"],
      [
        "openai",
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
        "choose type gemini",
      ],
      ["anthropic", "https://api.example.com/v1/chat/completions", "choose type openai"],
      ["gemini", "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions", "choose type openai"],
      [
        "openai",
        "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis",
        "choose type dashscope",
      ],
      // DashScope's OpenAI-compatible mode is an openai channel
      ["dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions", "choose type openai"],
    ];
    const before = expectReply(await admin.get("/api/channel/?size=1"), 200).total;
    for (const [type, base_url, hint] of REFUSED) {
      const r = await admin.post("/api/channel/", body({ type, base_url }));
      expectInvalid(r, "base_url");
      expect(r.body.message).toContain(hint);
    }
    expect(expectReply(await admin.get("/api/channel/?size=1"), 200).total).toBe(before);
  });

  test("a channel saved with …/v1/chat/completions calls the upstream at /v1/chat/completions", async () => {
    const mock = startMockUpstream();
    try {
      await priceModels(app.url, auth, "endpoint-model");
      const token = expectReply(await admin.post("/api/token/", { name: "ep", unlimited_quota: true }), 201);
      expectReply(
        await admin.post("/api/channel/", body({ models: "endpoint-model", base_url: `${mock.url}/chat/completions` })),
        201,
      );
      const res = await chatCall(app.url, token.key, "endpoint-model");
      expect(res.status).toBe(200);
      expect(mock.requests.map((r) => r.path)).toEqual(["/v1/chat/completions"]);
    } finally {
      mock.stop();
    }
  });
});
