// Each SDK against the upstream that speaks its format natively: the body goes as the client sent
// it (only the model mapped), the vendor's headers reach the upstream, the upstream's own key is
// used, counting uses the upstream's counter, and Anthropic cache reads/writes are billed at their
// own prices.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { callCount, logRows, modelOf, sdks, setupFormats } from "../../support/formats";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let env: Awaited<ReturnType<typeof setupFormats>>;
const last = () => mock.requests[mock.requests.length - 1];

beforeAll(async () => {
  mock = startMockUpstream({ promptTokens: 1000, completionTokens: 40 });
  env = await setupFormats(app.url, mock);
});

describe("@anthropic-ai/sdk → anthropic channel (pass-through)", () => {
  test("beta fields, anthropic-version and anthropic-beta reach the upstream untouched; its own key is used", async () => {
    const { anthropic } = sdks(app.url, env.key);
    const body = {
      model: modelOf("anthropic"),
      max_tokens: 1024,
      thinking: { type: "adaptive" },
      context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
      system: [{ type: "text" as const, text: "You are terse.", cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "hi" }],
    };
    const r = await anthropic.messages.create(body as any, {
      headers: {
        "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14",
        "anthropic-version": "2099-01-01",
      },
      query: { beta: "true" },
    });
    expect(r.content[0]).toMatchObject({ type: "text", text: "Hello from the mock upstream!" });
    const up = last();
    expect(up.path).toBe("/v1/messages");
    expect(up.body).toEqual(body);
    expect(up.headers["anthropic-beta"]).toBe("claude-code-20250219,interleaved-thinking-2025-05-14");
    expect(up.headers["anthropic-version"]).toBe("2099-01-01"); // forwarded, never validated
    expect(up.headers["x-api-key"]).toBe("up-key-anthropic-secret-0001");
    expect(JSON.stringify(up.headers)).not.toContain(env.key);
  });

  test("the key in x-api-key, in Bearer, or in both; without anthropic-version the upstream gets 2023-06-01", async () => {
    const ways: Record<string, string>[] = [
      { "x-api-key": env.key },
      { authorization: `Bearer ${env.key}` },
      { "x-api-key": env.key, authorization: `Bearer ${env.key}` },
    ];
    for (const headers of ways) {
      const r = await fetch(`${app.url}/v1/messages?beta=true`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({
          model: modelOf("anthropic"),
          max_tokens: 10,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(r.status).toBe(200);
      expect(last().headers["anthropic-version"]).toBe("2023-06-01");
    }
  });

  test("stream: message_start … message_stop, usage from both ends", async () => {
    const { anthropic } = sdks(app.url, env.key);
    const events: string[] = [];
    const s = anthropic.messages.stream({
      model: modelOf("anthropic"),
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    s.on("streamEvent", (e) => events.push(e.type));
    const m = await s.finalMessage();
    expect(events[0]).toBe("message_start");
    expect(events.at(-1)).toBe("message_stop");
    expect(m.usage).toMatchObject({ input_tokens: 1000, output_tokens: 40 });
    const [row] = await logRows(env.user.api, 1);
    expect(row).toMatchObject({ prompt_tokens: 1000, completion_tokens: 40, is_stream: true });
  });

  test("count_tokens (with ?beta=true) uses the upstream's counter and is not billed", async () => {
    const before = await callCount(env.user.api);
    const { anthropic } = sdks(app.url, env.key);
    const r = await anthropic.messages.countTokens({
      model: modelOf("anthropic"),
      messages: [{ role: "user", content: "hello" }],
    });
    expect(r.input_tokens).toBe(1000);
    expect(last().path).toBe("/v1/messages/count_tokens");
    const raw = await fetch(`${app.url}/v1/messages/count_tokens?beta=true`, {
      method: "POST",
      headers: { "x-api-key": env.key, "content-type": "application/json" },
      body: JSON.stringify({ model: modelOf("anthropic"), messages: [{ role: "user", content: "hello" }] }),
    });
    expect(await raw.json()).toEqual({ input_tokens: 1000 });
    await Bun.sleep(300);
    expect(await callCount(env.user.api)).toBe(before);
  });

  test("count_tokens on a channel without a counter counts locally (o200k)", async () => {
    const { anthropic } = sdks(app.url, env.key);
    const r = await anthropic.messages.countTokens({
      model: modelOf("openai"),
      messages: [{ role: "user", content: "hello world" }],
    });
    expect(r.input_tokens).toBe(2);
  });

  test("cache reads and writes are billed at cached_input and cache_write", async () => {
    await priceModels(app.url, env.auth, [modelOf("anthropic")], {
      input: "3",
      output: "15",
      cached_input: "0.3",
      cache_write: "3.75",
    });
    mock.set({ cachedTokens: 600, cacheWriteTokens: 300 });
    try {
      const { anthropic } = sdks(app.url, env.key);
      const m = await anthropic.messages.create({
        model: modelOf("anthropic"),
        max_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
      });
      expect(m.usage).toMatchObject({
        input_tokens: 100,
        cache_read_input_tokens: 600,
        cache_creation_input_tokens: 300,
        output_tokens: 40,
      });
      const [row] = await logRows(env.user.api, 1);
      // 100 × $3 + 600 × $0.30 + 300 × $3.75 + 40 × $15 per 1M = 300 + 180 + 1125 + 600 = 2205 µUSD → 1102.5 → 1103 units
      expect(row).toMatchObject({ prompt_tokens: 1000, cached_tokens: 600, quota: 1103 });
      // the console's log shows the writes next to the reads
      const page = await (await fetch(`${app.url}/log`, { headers: { cookie: env.user.auth.cookie! } })).text();
      expect(page).toContain('<span>600</span><small class="muted cache-write"');
      expect(page).toContain(" +300 written");
    } finally {
      mock.set({ cachedTokens: undefined, cacheWriteTokens: undefined });
    }
  });
});

describe("openai SDK → Responses", () => {
  test("an openai channel that speaks Responses gets the body untouched, unknown tool types included", async () => {
    const { openai } = sdks(app.url, env.key);
    const body = {
      model: modelOf("openai-responses"),
      input: [
        { type: "message", role: "developer", content: "be brief" },
        { type: "message", role: "user", content: "hi" },
      ],
      tools: [
        { type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark", definition: "start: /.+/" } },
        { type: "web_search" },
      ],
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "codex-session-1",
    };
    const r = await openai.responses.create(body as any);
    expect(r.output_text).toBe("Hello from the mock upstream!");
    expect(last().path).toBe("/v1/responses");
    // untouched but for the output limit the hold covers, which a call that names none is sent with
    expect(last().body).toEqual({ ...body, max_output_tokens: 8192 });
  });

  test("the same tools on a chat-only channel: a 400 that names the tool type", async () => {
    const { openai } = sdks(app.url, env.key);
    const err = await openai.responses
      .create({ model: modelOf("openai"), input: "hi", tools: [{ type: "web_search" }] } as any)
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.message).toContain("web_search");
  });
});

describe("@google/genai → gemini channel", () => {
  test("generateContent, stream and countTokens; the key goes upstream as x-goog-api-key", async () => {
    const { google } = sdks(app.url, env.key);
    const r = await google.models.generateContent({ model: modelOf("gemini"), contents: "hi" });
    expect(r.text).toBe("Hello from the mock upstream!");
    expect(last().path).toBe(`/v1beta/models/${modelOf("gemini")}:generateContent`);
    expect(last().headers["x-goog-api-key"]).toBe("up-key-gemini-secret-0001");
    let text = "";
    for await (const chunk of await google.models.generateContentStream({ model: modelOf("gemini"), contents: "hi" }))
      text += chunk.text ?? "";
    expect(text).toBe("Hello from the mock upstream!");
    expect(last().query).toContain("alt=sse");
    const count = await google.models.countTokens({ model: modelOf("gemini"), contents: "hi" });
    expect(count.totalTokens).toBe(1000);
  });

  test("the key as ?key= works too; GET /v1beta/models lists what the key reaches", async () => {
    const r = await fetch(`${app.url}/v1beta/models?key=${env.key}`);
    expect(r.status).toBe(200);
    const names = ((await r.json()) as any).models.map((m: any) => m.name);
    expect(names).toContain(`models/${modelOf("gemini")}`);
  });
});

describe("GET /v1/models in each client's shape", () => {
  test("OpenAI's list by default, Anthropic's when anthropic-version is sent", async () => {
    const openaiShape = (await (
      await fetch(`${app.url}/v1/models`, { headers: { authorization: `Bearer ${env.key}` } })
    ).json()) as any;
    expect(openaiShape.object).toBe("list");
    const { anthropic } = sdks(app.url, env.key);
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id)).toContain(modelOf("anthropic"));
    expect(page.data[0].type).toBe("model");
  });
});

describe("the channel test (POST /api/channel/:id/test) speaks each channel's own format", () => {
  for (const [kind, path] of [
    ["anthropic", "/v1/messages"],
    ["gemini", `/v1beta/models/${modelOf("gemini")}:generateContent`],
    ["azure", `/openai/deployments/${modelOf("azure")}/chat/completions`],
    ["openai-responses", "/v1/chat/completions"],
  ] as const) {
    test(kind, async () => {
      const r = expectReply(await env.admin.post(`/api/channel/${env.channelIds[kind]}/test`, {}), 200);
      expect(r).toMatchObject({ ok: true, status: 200, model: modelOf(kind) });
      expect(last().path).toBe(path);
    });
  }
});
