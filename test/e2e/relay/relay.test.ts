// The /v1 relay's happy paths over real HTTP against a real server, with the mock upstream as the only
// upstream and the official `openai` client as the client: chat (non-stream and SSE, with and without
// the client asking for usage), completions, embeddings, GET /v1/models(/:id) showing exactly what a
// key can reach through its groups and whitelist, model mapping, the channel's upstream keys (Bearer,
// round-robin, never the client's sk- key), and the log row each call leaves (tokens as the upstream
// reported them, or counted with o200k_base when it reported none).
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import OpenAI, { NotFoundError } from "openai";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, priceModels } from "../../support/server";

setDefaultTimeout(20_000);

const REPLY = "Hello from the mock upstream!";
const K1 = "sk-upstream-relay-key-one-1111";
const K2 = "sk-upstream-relay-key-two-2222";
const USAGE = {
  prompt_tokens: 10,
  completion_tokens: 5,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 3 },
};
const LOG_DEADLINE_MS = 1000;

const MAIN_MODELS = ["gpt-4o-mini", "gpt-4o", "alias-model", "gpt-3.5-turbo-instruct", "text-embedding-3-small"];

const app = useServer();
let mock: MockUpstream;

type Api = ReturnType<typeof client>;
let alice: Awaited<ReturnType<typeof makeUser>>;
const channels: Record<string, number> = {};
const tokens: Record<string, { id: number; key: string; name: string }> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sdk = (apiKey = tokens.plain.key) => new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0 });
const ask = (model = "gpt-4o-mini", extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
  ({
    model,
    messages: [{ role: "user", content: "Say hello." }],
    ...extra,
  }) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
const askStream = (model = "gpt-4o-mini", extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming> = {}) =>
  ({ ...ask(model), ...extra, stream: true }) as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
const lastUpstream = () => mock.requests[mock.requests.length - 1];

/** Alice's one log row for `requestId`, polled for (rows are written in batches); exactly one must exist. */
async function logRow(requestId: string): Promise<any> {
  const until = Date.now() + LOG_DEADLINE_MS;
  for (;;) {
    const data = expectReply(
      await alice.api.get(`/api/log/self?request_id=${encodeURIComponent(requestId)}&pageSize=100`),
      200,
    );
    const rows = (data.items as any[]).filter((r) => r.request_id === requestId);
    if (rows.length > 0 || Date.now() > until) {
      expect(rows.length).toBe(1);
      return rows[0];
    }
    await sleep(50);
  }
}

type RowWant = {
  token: keyof typeof tokens;
  model: string;
  upstreamModel?: string;
  group?: string;
  channel?: keyof typeof channels;
  endpoint: RegExp;
  stream: boolean;
  prompt: number;
  completion: number;
  cached: number;
};

/** A consume row (type 2) with every field the issue lists, as this call must have left it. */
function expectConsumeRow(row: any, want: RowWant) {
  const t = tokens[want.token];
  expect(row).toMatchObject({
    type: LOG_TYPE.consume,
    user_id: alice.id,
    username: "alice",
    token_id: t.id,
    token_name: t.name,
    model_name: want.model,
    upstream_model: want.upstreamModel ?? want.model,
    group: want.group ?? "default",
    channel_id: channels[want.channel ?? "main"],
    is_stream: want.stream,
    prompt_tokens: want.prompt,
    completion_tokens: want.completion,
    cached_tokens: want.cached,
    // priced at $1 / $2 per 1M tokens (cached at the input price), group multiplier 1: ceil(µUSD ÷ 2)
    quota: Math.ceil((want.prompt * 1 + want.completion * 2) / 2),
    status_code: 200,
  });
  expect(row.endpoint).toMatch(want.endpoint);
  expect(typeof row.duration_ms).toBe("number");
  expect(row.duration_ms).toBeGreaterThanOrEqual(0);
  if ("ttft_ms" in row) expect(row.ttft_ms).toBeGreaterThanOrEqual(0);
  if ("error_code" in row) expect(row.error_code).toBe("");
  if ("ip" in row) expect(row.ip).toBe("127.0.0.1");
  if ("attempts" in row) {
    expect(row.attempts.length).toBe(1);
    expect(row.attempts[0]).toMatchObject({ channel_id: channels[want.channel ?? "main"], status: 200 });
  }
}

/** Reads an SSE body to its end: the data payloads in order. */
async function sseEvents(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((e) => e.trim() !== "")
    .map((e) => e.replace(/^data: /, ""));
}

beforeAll(async () => {
  mock = startMockUpstream({ keys: [K1, K2], cachedTokens: 3, models: ["gpt-4o-mini"] });
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin: Api = client(app.url, adminAuth);
  for (const name of ["vip", "backup"]) expectReply(await admin.post("/api/group/", { name }), 201);
  const channel = async (name: string, body: Record<string, unknown>) => {
    const c = expectReply(
      await admin.post("/api/channel/", { name, type: "openai", base_url: mock.url, key: K1, ...body }),
      201,
    );
    await priceModels(app.url, adminAuth, [...c.models, ...Object.keys(c.model_mapping ?? {})]);
    channels[name] = c.id;
  };
  await channel("main", {
    key: `${K1}\n${K2}`,
    models: MAIN_MODELS,
    model_mapping: { "alias-model": "gpt-4o" },
    group: "default",
  });
  await channel("vip", { models: ["vip-model", "shared-model"], group: "vip" });
  await channel("backup", { models: ["backup-model", "gpt-4o"], group: "backup" });
  await channel("off", { models: ["ghost-model"], group: "default", status: 2 });

  alice = await makeUser(app.url, adminAuth, "alice");
  expectReply(await admin.post(`/api/user/${alice.id}/topup`, { quota: 1_000_000 }), 200);
  const token = async (name: string, body: Record<string, unknown> = {}) => {
    const t = expectReply(await alice.api.post("/api/token/", { name, unlimited_quota: true, ...body }), 201);
    tokens[name] = { id: t.id, key: t.key, name };
  };
  await token("plain");
  await token("fallback", { fallback_groups: ["backup"] });
  await token("whitelist", {
    fallback_groups: ["backup"],
    models: ["gpt-4o", "backup-model", "vip-model", "not-served"],
  });
  await token("vip", { group: "vip" });
});

describe("chat completions", () => {
  test("non-stream: the mock's content and usage, x-request-id, one log row", async () => {
    const { data, response, request_id } = await sdk().chat.completions.create(ask()).withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0].message).toMatchObject({ role: "assistant", content: REPLY });
    expect(data.choices[0].finish_reason).toBe("stop");
    expect(data.usage).toEqual(USAGE);
    expect(request_id).toBeTruthy();
    expect(response.headers.get("x-request-id")).toBe(request_id);
    expectConsumeRow(await logRow(request_id!), {
      token: "plain",
      model: "gpt-4o-mini",
      endpoint: /chat/,
      stream: false,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
  });

  test("stream: the assembled text is the mock's reply; no usage chunk unless asked, yet include_usage is forced upstream", async () => {
    const before = mock.requests.length;
    const { data: stream, response, request_id } = await sdk().chat.completions.create(askStream()).withResponse();
    expect(response.headers.get("x-request-id")).toBe(request_id);
    let text = "";
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(text).toBe(REPLY);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect(chunk.usage ?? null).toBeNull();
    }
    expect(mock.requests.length).toBe(before + 1);
    expect(lastUpstream().body.stream).toBe(true);
    expect(lastUpstream().body.stream_options).toEqual({ include_usage: true });
    // the row has the usage the client did not see
    expectConsumeRow(await logRow(request_id!), {
      token: "plain",
      model: "gpt-4o-mini",
      endpoint: /chat/,
      stream: true,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
  });

  test("stream with stream_options.include_usage: the usage chunk arrives unchanged", async () => {
    const stream = await sdk().chat.completions.create(
      askStream("gpt-4o-mini", { stream_options: { include_usage: true } }),
    );
    let text = "";
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      chunks.push(chunk);
    }
    expect(text).toBe(REPLY);
    const usageChunks = chunks.filter((c) => c.usage);
    expect(usageChunks.length).toBe(1);
    expect(usageChunks[0]).toBe(chunks[chunks.length - 1]);
    expect(usageChunks[0].choices).toEqual([]);
    expect(usageChunks[0].usage).toEqual(USAGE);
    // the upstream's own chunk: same id and model as the content chunks
    expect(usageChunks[0].id).toBe(chunks[0].id);
    expect(usageChunks[0].model).toBe(chunks[0].model);
    expect(lastUpstream().body.stream_options).toEqual({ include_usage: true });
  });

  test("SSE response headers, event by event, ending with [DONE] (raw fetch)", async () => {
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.plain.key}`, "content-type": "application/json" },
      body: JSON.stringify(askStream()),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toStartWith("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const events = await sseEvents(res);
    expect(events[events.length - 1]).toBe("[DONE]");
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(parsed.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe(REPLY);
    for (const c of parsed) expect(c.choices.length).toBeGreaterThan(0);
  });
});

describe("completions", () => {
  test("non-stream: text and usage as the mock's", async () => {
    const { data, request_id } = await sdk()
      .completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Say hello." })
      .withResponse();
    expect(data.choices[0].text).toBe(REPLY);
    expect(data.usage).toEqual(USAGE);
    expect(lastUpstream().path).toBe("/v1/completions");
    const row = await logRow(request_id!);
    expectConsumeRow(row, {
      token: "plain",
      model: "gpt-3.5-turbo-instruct",
      endpoint: /completions/,
      stream: false,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
    expect(row.endpoint).not.toMatch(/chat/);
  });

  test("stream: assembled text, no usage-only chunk, include_usage forced upstream", async () => {
    const { data: stream, request_id } = await sdk()
      .completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Say hello.", stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect(chunk.usage ?? null).toBeNull();
      text += chunk.choices[0].text;
    }
    expect(text).toBe(REPLY);
    expect(lastUpstream().path).toBe("/v1/completions");
    expect(lastUpstream().body.stream_options).toEqual({ include_usage: true });
    expectConsumeRow(await logRow(request_id!), {
      token: "plain",
      model: "gpt-3.5-turbo-instruct",
      endpoint: /completions/,
      stream: true,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
  });
});

describe("embeddings", () => {
  test("vectors come back and the usage is counted", async () => {
    const { data, request_id } = await sdk()
      .embeddings.create({ model: "text-embedding-3-small", input: ["hello", "world"] })
      .withResponse();
    expect(data.object).toBe("list");
    expect(data.data.length).toBe(2);
    for (const [i, e] of data.data.entries()) {
      expect(e.index).toBe(i);
      expect(e.embedding.length).toBe(4);
    }
    expect(data.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
    expect(lastUpstream().path).toBe("/v1/embeddings");
    expect(lastUpstream().body.input).toEqual(["hello", "world"]);
    expectConsumeRow(await logRow(request_id!), {
      token: "plain",
      model: "text-embedding-3-small",
      endpoint: /embedding/,
      stream: false,
      prompt: 10,
      completion: 0,
      cached: 0,
    });
  });
});

describe("GET /v1/models", () => {
  const ids = async (key: string) => (await sdk(key).models.list()).data.map((m) => m.id).sort();

  test("the default group's models (a disabled channel's are not reachable)", async () => {
    expect(await ids(tokens.plain.key)).toEqual([...MAIN_MODELS].sort());
  });

  test("default plus fallback groups", async () => {
    expect(await ids(tokens.fallback.key)).toEqual([...MAIN_MODELS, "backup-model"].sort());
  });

  test("the whitelist narrows it (a whitelisted model no group serves is not listed)", async () => {
    expect(await ids(tokens.whitelist.key)).toEqual(["backup-model", "gpt-4o"]);
  });

  test("another default group", async () => {
    expect(await ids(tokens.vip.key)).toEqual(["shared-model", "vip-model"]);
  });

  test("OpenAI's list shape, with x-request-id (raw fetch)", async () => {
    const res = await fetch(`${app.url}/v1/models`, { headers: { authorization: `Bearer ${tokens.whitelist.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = await res.json();
    expect(body.object).toBe("list");
    for (const m of body.data) {
      expect(m).toMatchObject({ object: "model", owned_by: expect.any(String), created: expect.any(Number) });
    }
    expect(mock.requests.filter((r) => r.path === "/v1/models").length).toBe(0);
  });

  test("GET /v1/models/:id: a reachable model, and 404 for an unreachable one", async () => {
    const m = await sdk(tokens.fallback.key).models.retrieve("backup-model");
    expect(m).toMatchObject({ id: "backup-model", object: "model" });
    for (const [key, id] of [
      [tokens.plain.key, "backup-model"], // served only in a group the key does not have
      [tokens.plain.key, "vip-model"],
      [tokens.plain.key, "ghost-model"], // its only channel is disabled
      [tokens.whitelist.key, "gpt-4o-mini"], // served, but not whitelisted
      [tokens.plain.key, "no-such-model"],
    ]) {
      const err = await sdk(key)
        .models.retrieve(id)
        .then(
          () => null,
          (e) => e,
        );
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.code).toBe("model_not_found");
      expect(err.requestID).toBeTruthy();
    }
  });
});

describe("model mapping and upstream keys", () => {
  test("the client's model name is mapped: the mock received the upstream name; the row records both", async () => {
    const before = mock.requests.length;
    const { data, request_id } = await sdk()
      .chat.completions.create(ask("alias-model", { temperature: 0.5, max_tokens: 7 }))
      .withResponse();
    expect(data.choices[0].message.content).toBe(REPLY);
    expect(mock.requests.length).toBe(before + 1);
    expect(lastUpstream().body).toMatchObject({
      model: "gpt-4o",
      temperature: 0.5,
      max_tokens: 7,
      messages: [{ role: "user", content: "Say hello." }],
    });
    expectConsumeRow(await logRow(request_id!), {
      token: "plain",
      model: "alias-model",
      upstreamModel: "gpt-4o",
      endpoint: /chat/,
      stream: false,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
  });

  test("the upstream gets the channel's key as Bearer, never the client's sk- key (echo)", async () => {
    mock.set({ mode: "echo" });
    try {
      const key = tokens.plain.key;
      const data = await sdk(key).chat.completions.create(ask("gpt-4o-mini", { user: "end-user-7" }));
      const echoed = JSON.parse(data.choices[0].message.content!);
      expect([`Bearer ${K1}`, `Bearer ${K2}`]).toContain(echoed.headers.authorization);
      expect(echoed.body).toMatchObject({ model: "gpt-4o-mini", user: "end-user-7" });
      expect(JSON.stringify(echoed)).not.toContain(key);
      expect(JSON.stringify(lastUpstream())).not.toContain(key);
      expect(echoed.headers["x-api-key"]).toBeUndefined();
    } finally {
      mock.set({ mode: "ok" });
    }
  });

  test("the channel's upstream keys are used round-robin", async () => {
    const before = mock.requests.length;
    for (let i = 0; i < 4; i++) await sdk().chat.completions.create(ask());
    const used = mock.requests.slice(before).map((r) => r.headers.authorization);
    expect(used.length).toBe(4);
    expect(new Set(used)).toEqual(new Set([`Bearer ${K1}`, `Bearer ${K2}`]));
    for (let i = 1; i < used.length; i++) expect(used[i]).not.toBe(used[i - 1]);
  });
});

describe("log rows", () => {
  test("one row per call, each with its own request id", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await sdk().chat.completions.create(ask()).withResponse()).request_id!);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids)
      expectConsumeRow(await logRow(id), {
        token: "plain",
        model: "gpt-4o-mini",
        endpoint: /chat/,
        stream: false,
        prompt: 10,
        completion: 5,
        cached: 3,
      });
    // a few batch intervals later there is still exactly one row each
    await sleep(300);
    for (const id of ids) await logRow(id);
  });

  test("a call served by a fallback group records that group and its channel", async () => {
    const { request_id } = await sdk(tokens.fallback.key).chat.completions.create(ask("backup-model")).withResponse();
    expectConsumeRow(await logRow(request_id!), {
      token: "fallback",
      model: "backup-model",
      group: "backup",
      channel: "backup",
      endpoint: /chat/,
      stream: false,
      prompt: 10,
      completion: 5,
      cached: 3,
    });
  });

  test("a stream whose upstream sends no usage: completion counted from the delivered text, prompt > 0", async () => {
    mock.set({ mode: "no_usage" });
    try {
      const { data: stream, request_id } = await sdk()
        .chat.completions.create(askStream("gpt-4o-mini", { stream_options: { include_usage: true } }))
        .withResponse();
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe(REPLY);
      const row = await logRow(request_id!);
      expect(row).toMatchObject({
        type: 2,
        is_stream: true,
        status_code: 200,
        model_name: "gpt-4o-mini",
        cached_tokens: 0,
      });
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(row.completion_tokens).toBe(countTokens(REPLY));
      expect(row.prompt_tokens).toBeGreaterThan(0);
    } finally {
      mock.set({ mode: "ok" });
    }
  });

  test("a non-stream reply without usage is counted too", async () => {
    mock.set({ mode: "no_usage" });
    try {
      const { data, request_id } = await sdk().chat.completions.create(ask()).withResponse();
      expect(data.choices[0].message.content).toBe(REPLY);
      const row = await logRow(request_id!);
      expect(row).toMatchObject({ type: 2, is_stream: false, status_code: 200 });
      expect(row.completion_tokens).toBe(countTokens(REPLY));
      expect(row.prompt_tokens).toBeGreaterThan(0);
    } finally {
      mock.set({ mode: "ok" });
    }
  });
});
