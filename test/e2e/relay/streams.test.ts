// Streaming through the /v1 relay, end to end (real server, real HTTP, the mock upstream as the only
// upstream, the official `openai` client where a client is meant): chunks passed on as they are
// produced, an upstream cut or idle stream ending in an error event (metered, typed as an error), a
// client disconnect aborting the upstream within 1 s, a 2,000-chunk stream arriving intact, SIGTERM
// letting an open stream finish with its log row flushed, and GET /metrics (who may read it, what it shows).
import { beforeAll, beforeEach, afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import OpenAI from "openai";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { splitText, startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  call,
  login,
  makeUser,
  removeDir,
  startServer,
  tempDir,
  useServer,
  type Auth,
  priceModels,
} from "../../support/server";

setDefaultTimeout(20_000);

const METRICS_TOKEN = "scrape-token-for-tests-0123456789";
const app = useServer({ env: { APIYI_METRICS_TOKEN: METRICS_TOKEN } });
/** the mock's reply: long enough to be cut into 2,000 non-empty pieces */
const REPLY = Array.from({ length: 800 }, (_, i) => `word${i}`).join(" ");
let mock: MockUpstream;
let adminAuth: Auth;
let apiKey = "";
let sdk: OpenAI;

let serial = 0;
const newModel = () => `st-model-${++serial}`;

type ChannelOpts = { base_url: string; models: string[]; timeout_idle_ms?: number; timeout_first_byte_ms?: number };

async function addChannel(base: string, auth: Auth, o: ChannelOpts) {
  const key = `sk-up-${crypto.randomUUID().replaceAll("-", "")}`;
  const r = await call(
    base,
    "POST",
    "/api/channel/",
    { name: `st-chan-${++serial}`, type: "openai", key, group: ["default"], ...o },
    auth,
  );
  await priceModels(base, auth, o.models);
  return { id: expectReply(r, 201).id as number, key };
}

/** the mock's record of the (first) request made with this upstream key */
const upstreamRequest = (key: string) => mock.requests.find((r) => r.headers.authorization === `Bearer ${key}`);

const streamAsk = (model: string) => ({
  model,
  messages: [{ role: "user" as const, content: "hi" }],
  stream: true as const,
});

/** A raw streaming chat call read to its end: the data payloads in order. */
async function rawStream(base: string, key: string, model: string) {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(streamAsk(model)),
  });
  expect(res.status).toBe(200);
  const events = parseEvents(await res.text());
  return { res, events, requestId: res.headers.get("x-request-id")! };
}

function parseEvents(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((e) => e.trim() !== "")
    .map((e) => {
      expect(e.startsWith("data: ")).toBe(true);
      return e.slice("data: ".length);
    });
}

const contentOf = (payload: string): string => {
  if (payload === "[DONE]") return "";
  return JSON.parse(payload).choices?.[0]?.delta?.content ?? "";
};

async function logRow(base: string, auth: Auth, requestId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const r = await call(base, "GET", `/api/log/?request_id=${encodeURIComponent(requestId)}`, undefined, auth);
    const items = expectReply(r, 200).items;
    if (items.length > 0) return items[0];
    if (Date.now() > until) throw new Error(`no log row for request ${requestId}`);
    await Bun.sleep(20);
  }
}

beforeAll(async () => {
  mock = startMockUpstream({ reply: REPLY });
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const token = expectReply(
    await call(app.url, "POST", "/api/token/", { name: "streams", unlimited_quota: true }, adminAuth),
    201,
  );
  apiKey = token.key;
  sdk = new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0 });
});
afterAll(() => mock?.stop());
beforeEach(() => mock.reset());

describe("streaming", () => {
  test("chunks reach the client as the upstream produces them", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, {
      base_url: mock.urlFor("ok,intervalMs=200,chunks=5"),
      models: [model],
    });

    const { data: stream, response } = await sdk.chat.completions.create(streamAsk(model)).withResponse();
    expect(response.headers.get("content-type") ?? "").toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    /** how many events the mock had written when each content chunk was read */
    const sentWhenRead: number[] = [];
    let text = "";
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta?.content;
      if (!piece) continue;
      sentWhenRead.push(upstreamRequest(ch.key)!.sent);
      text += piece;
    }
    expect(text).toBe(REPLY);
    expect(sentWhenRead).toHaveLength(5);
    // the upstream writes 9 events (role, 5 contents, finish, usage, [DONE]); the first content chunk
    // (its 2nd event) was read while the later ones were still to be produced
    const total = upstreamRequest(ch.key)!.sent;
    expect(total).toBe(9);
    expect(sentWhenRead[0]).toBeLessThan(total);
    expect(sentWhenRead[0]).toBeLessThan(6); // before the last content chunk was produced
    for (let i = 1; i < 5; i++) expect(sentWhenRead[i]).toBeGreaterThan(sentWhenRead[i - 1]);

    const row = await logRow(app.url, adminAuth, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      type: 2,
      is_stream: true,
      status_code: 200,
      error_code: "",
      channel_id: ch.id,
      completion_tokens: 5,
    });
  });

  test("a client disconnect mid-stream aborts the upstream within 1 s; the row records what was delivered", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, {
      base_url: mock.urlFor("ok,intervalMs=200,chunks=100"),
      models: [model],
    });

    const { data: stream, response } = await sdk.chat.completions.create(streamAsk(model)).withResponse();
    let got = "";
    for await (const chunk of stream) {
      got += chunk.choices[0]?.delta?.content ?? "";
      if (got) break;
    }
    stream.controller.abort();
    expect(got.length).toBeGreaterThan(0);
    await mock.waitFor(() => mock.aborted > 0, 1000);
    const sent = upstreamRequest(ch.key)!.sent;
    expect(sent).toBeLessThan(10);

    const row = await logRow(app.url, adminAuth, response.headers.get("x-request-id")!);
    expect(row.error_code).toBe("client_disconnected");
    expect(row.is_stream).toBe(true);
    expect(row.channel_id).toBe(ch.id);
    expect(row.completion_tokens).toBeGreaterThanOrEqual(countTokens(got));
    expect(row.completion_tokens).toBeLessThan(countTokens(REPLY));
  });

  test("an upstream cut after K chunks → K content chunks, an error event, no [DONE]; metered and typed as an error", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, { base_url: mock.urlFor("cut_after=2,chunks=5"), models: [model] });
    const delivered = splitText(REPLY, 5).slice(0, 2).join("");

    const raw = await rawStream(app.url, apiKey, model);
    expect(raw.events).not.toContain("[DONE]");
    const contents = raw.events.slice(0, -1).map(contentOf).filter(Boolean);
    expect(contents.join("")).toBe(delivered);
    expect(contents).toHaveLength(2);
    const last = JSON.parse(raw.events.at(-1)!);
    expect(Object.keys(last)).toEqual(["error"]);
    expect(typeof last.error.message).toBe("string");
    expect(last.error.code).toBe("upstream_stream_interrupted");
    expect(raw.events.slice(0, -1).every((e) => !("error" in JSON.parse(e)))).toBe(true);

    const row = await logRow(app.url, adminAuth, raw.requestId);
    expect(row).toMatchObject({
      type: LOG_TYPE.error,
      is_stream: true,
      error_code: "upstream_stream_interrupted",
      channel_id: ch.id,
    });
    // billed for the prompt and what was delivered ($1 / $2 per 1M tokens), never for the error text
    expect(row.quota).toBe(Math.ceil((row.prompt_tokens * 1 + row.completion_tokens * 2) / 2));
    expect(row.completion_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBe(countTokens(delivered));

    // the SDK raises while iterating, after the delivered chunks
    const { data: stream, response } = await sdk.chat.completions.create(streamAsk(model)).withResponse();
    const pieces: string[] = [];
    let error: unknown = null;
    try {
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta?.content;
        if (piece) pieces.push(piece);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(pieces.join("")).toBe(delivered);
    const sdkRow = await logRow(app.url, adminAuth, response.headers.get("x-request-id")!);
    expect(sdkRow).toMatchObject({
      type: LOG_TYPE.error,
      error_code: "upstream_stream_interrupted",
      completion_tokens: countTokens(delivered),
    });
  });

  test("a cut stream whose prompt quotes a special token (<|endoftext|>) is metered and logged: the text counts as text", async () => {
    // counting such a prompt threw before, so the cut stream's row and settlement never came
    const model = newModel();
    await addChannel(app.url, adminAuth, { base_url: mock.urlFor("cut_after=2,chunks=5"), models: [model] });
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model,
        messages: [{ role: "user", content: "what does <|endoftext|> mean? and <|im_end|>?" }],
        stream: true,
      }),
    });
    expect(res.status).toBe(200);
    expect(parseEvents(await res.text()).at(-1)).toContain("upstream_stream_interrupted");
    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.error, error_code: "upstream_stream_interrupted" });
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBe(countTokens(splitText(REPLY, 5).slice(0, 2).join("")));
  });

  test("a stream idle past the channel's timeout_idle_ms ends with an error event", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, {
      base_url: mock.urlFor("ok,intervalMs=2000,chunks=3"),
      models: [model],
      timeout_idle_ms: 300,
    });

    const raw = await rawStream(app.url, apiKey, model);
    expect(raw.events).not.toContain("[DONE]");
    const contents = raw.events.slice(0, -1).map(contentOf).filter(Boolean);
    expect(contents).toEqual(splitText(REPLY, 3).slice(0, 1));
    const last = JSON.parse(raw.events.at(-1)!);
    expect(Object.keys(last)).toEqual(["error"]);
    expect(typeof last.error.message).toBe("string");
    expect(typeof last.error.code).toBe("string");
    // the gateway gave up: the upstream did not get to send its later chunks
    expect(upstreamRequest(ch.key)!.sent).toBeLessThan(4);

    const row = await logRow(app.url, adminAuth, raw.requestId);
    expect(row).toMatchObject({ type: LOG_TYPE.error, is_stream: true, channel_id: ch.id });
    expect(row.error_code.length).toBeGreaterThan(0);
    expect(row.completion_tokens).toBe(countTokens(contents.join("")));
  });

  test("a 2,000-chunk stream arrives complete and intact", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, { base_url: mock.urlFor("ok,chunks=2000"), models: [model] });

    const raw = await rawStream(app.url, apiKey, model);
    expect(raw.events.at(-1)).toBe("[DONE]");
    const payloads = raw.events.slice(0, -1).map((e) => JSON.parse(e));
    // role, 2,000 contents, finish; the usage-only event stays hidden (the client did not ask for it)
    expect(payloads).toHaveLength(2002);
    expect(payloads.every((p) => Array.isArray(p.choices) && p.choices.length === 1)).toBe(true);
    const contents = payloads.map((p) => p.choices[0].delta?.content ?? "").filter(Boolean);
    expect(contents).toHaveLength(2000);
    expect(contents.join("")).toBe(REPLY);
    expect(upstreamRequest(ch.key)!.sent).toBe(2004);

    const row = await logRow(app.url, adminAuth, raw.requestId);
    expect(row).toMatchObject({ type: LOG_TYPE.consume, error_code: "", completion_tokens: 5, prompt_tokens: 10 });
  });
});

describe("shutdown", () => {
  /** A raw stream being read: `started` resolves at its first content chunk, `finished` with its events. */
  async function openStream(base: string, key: string, model: string) {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(streamAsk(model)),
    });
    expect(res.status).toBe(200);
    let started!: () => void;
    const startedP = new Promise<void>((ok) => (started = ok));
    const finished = (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (parseEvents(text.slice(0, text.lastIndexOf("\n\n") + 2)).some((e) => contentOf(e) !== "")) started();
      }
      started();
      return parseEvents(text);
    })();
    return { requestId: res.headers.get("x-request-id")!, started: startedP, finished };
  }

  test("SIGTERM while streams are open: they finish, exit 0, their log rows are there after a restart", async () => {
    const dataDir = tempDir("apiyi-streams-");
    let restarted: Awaited<ReturnType<typeof startServer>> | undefined;
    const first = await startServer({ dataDir });
    try {
      const auth = await login(first.url, "admin", ADMIN_PASSWORD);
      const token = expectReply(
        await call(first.url, "POST", "/api/token/", { name: "sigterm", unlimited_quota: true }, auth),
        201,
      );
      const withUsage = newModel();
      const noUsage = newModel();
      const a = await addChannel(first.url, auth, {
        base_url: mock.urlFor("ok,intervalMs=150,chunks=10"),
        models: [withUsage],
      });
      const b = await addChannel(first.url, auth, {
        base_url: mock.urlFor("no_usage,intervalMs=150,chunks=10"),
        models: [noUsage],
      });

      // two streams open: one whose upstream reports usage, one whose tokens are counted at its end
      const sA = await openStream(first.url, token.key, withUsage);
      const sB = await openStream(first.url, token.key, noUsage);
      await Promise.all([sA.started, sB.started]);
      expect(upstreamRequest(a.key)!.sent).toBeLessThan(12);
      expect(upstreamRequest(b.key)!.sent).toBeLessThan(12);
      first.proc.kill("SIGTERM");

      for (const s of [sA, sB]) {
        const events = await s.finished;
        expect(events.at(-1)).toBe("[DONE]");
        expect(events.map(contentOf).join("")).toBe(REPLY);
      }
      expect(await first.proc.exited).toBe(0);

      restarted = await startServer({ dataDir });
      const auth2 = await login(restarted.url, "admin", ADMIN_PASSWORD);
      const rowA = await logRow(restarted.url, auth2, sA.requestId);
      expect(rowA).toMatchObject({
        type: 2,
        is_stream: true,
        status_code: 200,
        error_code: "",
        channel_id: a.id,
        completion_tokens: 5,
        prompt_tokens: 10,
      });
      const rowB = await logRow(restarted.url, auth2, sB.requestId);
      expect(rowB).toMatchObject({ type: 2, is_stream: true, status_code: 200, error_code: "", channel_id: b.id });
      expect(rowB.completion_tokens).toBe(countTokens(REPLY));
      expect(rowB.prompt_tokens).toBe(countTokens("hi"));
    } finally {
      await first.stop();
      await restarted?.stop();
      removeDir(dataDir);
    }
  });
});

describe("GET /metrics", () => {
  test("needs an admin (session or access token) or the scrape token; 401 otherwise", async () => {
    const user = await makeUser(app.url, adminAuth, "metrics-user");
    const userToken = expectReply(await call(app.url, "POST", "/api/user/token", {}, user.auth), 200)
      .access_token as string;
    const adminToken = expectReply(await call(app.url, "POST", "/api/user/token", {}, adminAuth), 200)
      .access_token as string;
    const get = (headers: Record<string, string>) => fetch(`${app.url}/metrics`, { headers });

    const refused: Record<string, string>[] = [
      {},
      { cookie: user.auth!.cookie! },
      { authorization: `Bearer ${userToken}` },
      { authorization: `Bearer ${METRICS_TOKEN}x` },
      { authorization: `Bearer ${apiKey}` },
      { cookie: "apiyi_session=not-a-session" },
    ];
    for (const headers of refused) {
      const res = await get(headers);
      expect({ headers, status: res.status }).toEqual({ headers, status: 401 });
      expect(await res.text()).not.toContain("apiyi_requests_total");
    }
    const allowed: Record<string, string>[] = [
      { cookie: adminAuth!.cookie! },
      { authorization: `Bearer ${adminToken}` },
      { authorization: adminToken },
      { authorization: `Bearer ${METRICS_TOKEN}` },
    ];
    for (const headers of allowed) {
      const res = await get(headers);
      expect({ headers, status: res.status }).toEqual({ headers, status: 200 });
      expect(res.headers.get("content-type") ?? "").toContain("text/plain");
      expect(await res.text()).toContain("apiyi_requests_total");
    }
  });

  test("shows requests by endpoint/model/group/status, latency and TTFT histograms, attempts, log queue depth", async () => {
    const model = newModel();
    const ch = await addChannel(app.url, adminAuth, { base_url: mock.url, models: [model] });
    await sdk.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
    for await (const _ of await sdk.chat.completions.create(streamAsk(model))) void _;

    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines = text.split("\n");
    const requests = lines.find((l) => l.startsWith("apiyi_requests_total{") && l.includes(`model="${model}"`));
    expect(requests).toBeDefined();
    expect(requests!).toMatch(/endpoint="[^"]+"/);
    expect(requests!).toContain('group="default"');
    expect(requests!).toContain('status="200"');
    expect(Number(requests!.split(" ").at(-1))).toBe(2);
    expect(text).toMatch(/^apiyi_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^apiyi_time_to_first_token_seconds_bucket\{[^}]*le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toMatch(new RegExp(`^apiyi_upstream_attempts_total\\{channel="${ch.id}"\\} 2$`, "m"));
    expect(text).toMatch(/^apiyi_log_queue_depth \d+$/m);
    expect(text).toMatch(new RegExp(`^apiyi_channel_breaker_state\\{channel="${ch.id}"\\} 0$`, "m"));
  });
});
