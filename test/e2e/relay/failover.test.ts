// Routing, failover and channel health of the /v1 relay, end to end: a real server, the official
// `openai` client (no retries of its own), and the mock upstream behind every channel (one failure
// mode per channel through `urlFor`). Covers failover on 429/500/502/503/refused/slow first byte,
// fallback groups, one attempt per channel, max_attempts, 400 pass-through, upstream 401 handling
// (keys and channels taken out of rotation, re-enabled by an admin), the final error when every
// candidate fails, the breaker, and no upstream key or URL in any reply, log row or channel listing.
// Each test uses its own model name, so the channels of one test never serve another's calls.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI from "openai";
import { CHANNEL_STATUS, KEY_STATUS, LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { maskKey, startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, authHeaders, login, useServer, type Auth } from "../../support/server";

setDefaultTimeout(15_000);

const app = useServer();
let adminAuth: Auth;
let mock: MockUpstream;
/** a second mock that accepts one key only (for a channel with a good and a bad key) */
let strictMock: MockUpstream;
const STRICT_GOOD_KEY = `sk-up-strict-${crypto.randomUUID().replaceAll("-", "")}`;
/** a base URL nothing listens on (connection refused) */
let deadUrl = "";
let sdk: OpenAI;
let apiKey = "";

/** the raw text of every /v1 reply, log listing and channel listing this file saw (for the leak checks) */
const relayTexts: string[] = [];
const logTexts: string[] = [];
const channelTexts: string[] = [];
/** every upstream key this file gave a channel */
const upstreamKeys: string[] = [];

let serial = 0;
const newModel = () => `fo-model-${++serial}`;
const newKey = () => {
  const key = `sk-up-${crypto.randomUUID().replaceAll("-", "")}`;
  upstreamKeys.push(key);
  return key;
};

/** fetch for the SDK that keeps a copy of every reply's raw text without holding the reply up */
async function recordingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  res
    .clone()
    .text()
    .then(
      (t) => relayTexts.push(t),
      () => {},
    );
  return res;
}

/** An admin management call (cookie), raw text kept. */
async function admin(method: string, path: string, body?: unknown) {
  const headers = authHeaders(app.url, method, adminAuth);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(app.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (path.startsWith("/api/channel")) channelTexts.push(text);
  if (path.startsWith("/api/log")) logTexts.push(text);
  return { status: res.status, body: JSON.parse(text), headers: res.headers, text };
}

type ChannelOpts = {
  base_url: string;
  models: string[];
  group?: string[];
  priority?: number;
  key?: string;
  status?: 1 | 2;
  timeout_first_byte_ms?: number;
};
type Channel = { id: number; key: string; name: string };

async function addChannel(o: ChannelOpts): Promise<Channel> {
  const key = o.key ?? newKey();
  const name = `fo-chan-${++serial}`;
  const r = await admin("POST", "/api/channel/", {
    name,
    type: "openai",
    key,
    ...o,
    group: o.group ?? ["default"],
    priority: o.priority ?? 0,
  });
  const data = expectReply(r, 201);
  for (const model of data.models as string[])
    expectReply(await admin("POST", "/api/pricing/", { model, input: "1", output: "2" }), 201);
  return { id: data.id, key, name };
}

/** requests the mock got with this upstream key */
const hits = (key: string, m: MockUpstream = mock) =>
  m.requests.filter((r) => r.headers.authorization === `Bearer ${key}`).length;

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "hi" }] });

/** A successful SDK chat call: its text and request id. */
async function chatOk(model: string) {
  const { data, response } = await sdk.chat.completions.create(ask(model)).withResponse();
  return { text: data.choices[0].message.content, requestId: response.headers.get("x-request-id")! };
}

/** The typed error a call rejects with. */
async function chatError(model: string): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await sdk.chat.completions.create(ask(model));
  } catch (e) {
    expect(e).toBeInstanceOf(OpenAI.APIError);
    return e as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error(`chat on ${model} should have failed`);
}

/** A raw /v1 chat call: status, headers, parsed body, raw text (kept). */
async function rawChat(model: string) {
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(ask(model)),
  });
  const text = await res.text();
  relayTexts.push(text);
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

/** The log row of a request id (rows are written in batches: poll). */
async function logRow(requestId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const r = await admin("GET", `/api/log/?request_id=${encodeURIComponent(requestId)}`);
    const items = expectReply(r, 200).items;
    if (items.length > 0) {
      expect(items).toHaveLength(1);
      return items[0];
    }
    if (Date.now() > until) throw new Error(`no log row for request ${requestId}`);
    await Bun.sleep(20);
  }
}

const getChannel = async (id: number) => expectReply(await admin("GET", `/api/channel/${id}`), 200);

async function waitForChannel(id: number, ok: (c: any) => boolean) {
  const until = Date.now() + 5000;
  for (;;) {
    const c = await getChannel(id);
    if (ok(c)) return c;
    if (Date.now() > until) throw new Error(`channel ${id} did not reach the expected state: ${JSON.stringify(c)}`);
    await Bun.sleep(20);
  }
}

async function metricsText() {
  const res = await fetch(`${app.url}/metrics`, { headers: { cookie: adminAuth!.cookie! } });
  expect(res.status).toBe(200);
  return res.text();
}
const breakerState = (metrics: string, id: number) => {
  const m = new RegExp(`^apiyi_channel_breaker_state\\{channel="${id}"\\} (\\d+)$`, "m").exec(metrics);
  return m ? Number(m[1]) : null;
};

async function setMaxAttempts(n: number) {
  expectReply(await admin("PUT", "/api/setting", { max_attempts: n }), 200);
}

beforeAll(async () => {
  mock = startMockUpstream();
  strictMock = startMockUpstream({ keys: [STRICT_GOOD_KEY] });
  upstreamKeys.push(STRICT_GOOD_KEY);
  const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  deadUrl = `http://127.0.0.1:${dead.port}/v1`;
  await dead.stop(true);

  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  expectReply(await admin("POST", "/api/group/", { name: "fb" }), 201);
  const token = expectReply(
    await admin("POST", "/api/token/", { name: "failover", unlimited_quota: true, fallback_groups: ["fb"] }),
    201,
  );
  apiKey = token.key;
  sdk = new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0, fetch: recordingFetch });
});

afterAll(() => {
  mock?.stop();
  strictMock?.stop();
});

describe("failover to the next channel", () => {
  const cases: [string, () => string, number | null][] = [
    ["429", () => mock.urlFor("status=429,retryAfter=3"), 429],
    ["500", () => mock.urlFor("status=500"), 500],
    ["502", () => mock.urlFor("status=502"), 502],
    ["503", () => mock.urlFor("status=503"), 503],
    ["connection refused", () => deadUrl, null],
  ];
  for (const [what, url, status] of cases) {
    test(`a higher-priority channel failing with ${what} → served by the next one, both attempts logged`, async () => {
      const model = newModel();
      const bad = await addChannel({ base_url: url(), models: [model], priority: 10 });
      const good = await addChannel({ base_url: mock.url, models: [model], priority: 0 });

      const { text, requestId } = await chatOk(model);
      expect(text).toBe("Hello from the mock upstream!");
      if (status !== null) expect(hits(bad.key)).toBe(1);
      expect(hits(good.key)).toBe(1);

      const row = await logRow(requestId);
      expect(row).toMatchObject({
        type: 2,
        status_code: 200,
        channel_id: good.id,
        group: "default",
        model_name: model,
        error_code: "",
      });
      expect(row.attempts).toHaveLength(2);
      expect(row.attempts[0].channel_id).toBe(bad.id);
      if (status !== null) expect(row.attempts[0].status).toBe(status);
      else {
        expect(typeof row.attempts[0].status).toBe("number");
        expect(row.attempts[0].status === 200).toBe(false);
      }
      expect(row.attempts[1]).toMatchObject({ channel_id: good.id, status: 200 });
      for (const a of row.attempts) {
        expect(typeof a.ms).toBe("number");
        expect(a.ms).toBeGreaterThanOrEqual(0);
      }
    });
  }

  test("a first byte slower than the channel's timeout_first_byte_ms fails over", async () => {
    const model = newModel();
    const slow = await addChannel({
      base_url: mock.urlFor("slow_first_byte=2000"),
      models: [model],
      priority: 10,
      timeout_first_byte_ms: 300,
    });
    const good = await addChannel({ base_url: mock.url, models: [model] });

    const { text, requestId } = await chatOk(model);
    expect(text).toBe("Hello from the mock upstream!");
    expect(hits(slow.key)).toBe(1);
    expect(hits(good.key)).toBe(1);
    const row = await logRow(requestId);
    expect(row.channel_id).toBe(good.id);
    expect(row.attempts.map((a: any) => a.channel_id)).toEqual([slow.id, good.id]);
    expect(row.attempts[0].status === 200).toBe(false);
    expect(row.attempts[1].status).toBe(200);
  });
});

describe("groups", () => {
  test("the default group has only failing channels → a channel of the fallback group serves; the row names that group", async () => {
    const model = newModel();
    const d1 = await addChannel({ base_url: mock.urlFor("status=500"), models: [model], priority: 5 });
    const d2 = await addChannel({ base_url: mock.urlFor("status=503"), models: [model], priority: 0 });
    const fb = await addChannel({ base_url: mock.url, models: [model], group: ["fb"], priority: 100 });

    const { text, requestId } = await chatOk(model);
    expect(text).toBe("Hello from the mock upstream!");
    expect([hits(d1.key), hits(d2.key), hits(fb.key)]).toEqual([1, 1, 1]);
    const row = await logRow(requestId);
    expect(row).toMatchObject({ type: 2, status_code: 200, group: "fb", channel_id: fb.id });
    expect(row.attempts.map((a: any) => a.channel_id)).toEqual([d1.id, d2.id, fb.id]);
  });

  test("a channel in two of the token's groups is attempted once per call", async () => {
    const model = newModel();
    const both = await addChannel({
      base_url: mock.urlFor("status=500"),
      models: [model],
      group: ["default", "fb"],
      priority: 10,
    });
    const fb = await addChannel({ base_url: mock.url, models: [model], group: ["fb"], priority: 0 });

    const { requestId } = await chatOk(model);
    expect(hits(both.key)).toBe(1);
    expect(hits(fb.key)).toBe(1);
    const row = await logRow(requestId);
    expect(row.attempts.map((a: any) => a.channel_id)).toEqual([both.id, fb.id]);
    expect(row.group).toBe("fb");

    // and when it is the only channel of both groups: one attempt, then the call fails
    const alone = newModel();
    const only = await addChannel({ base_url: mock.urlFor("status=502"), models: [alone], group: ["default", "fb"] });
    const err = await chatError(alone);
    expect(err.status).toBe(502);
    expect(hits(only.key)).toBe(1);
    const failed = await logRow(err.headers!.get("x-request-id")!);
    expect(failed.attempts.map((a: any) => a.channel_id)).toEqual([only.id]);
  });

  test("max_attempts bounds the attempts of one call", async () => {
    const model = newModel();
    const failing = [];
    for (let p = 40; p > 0; p -= 10)
      failing.push(await addChannel({ base_url: mock.urlFor("status=500"), models: [model], priority: p }));
    const good = await addChannel({ base_url: mock.url, models: [model], priority: 0 });
    await setMaxAttempts(2);
    try {
      const err = await chatError(model);
      expect(err.status).toBe(502);
      expect(failing.map((c) => hits(c.key))).toEqual([1, 1, 0, 0]);
      expect(hits(good.key)).toBe(0);
      const row = await logRow(err.headers!.get("x-request-id")!);
      expect(row.type).toBe(LOG_TYPE.error);
      expect(row.attempts.map((a: any) => a.channel_id)).toEqual([failing[0].id, failing[1].id]);

      // five allowed: the four failing channels, then the healthy one
      await setMaxAttempts(5);
      const { requestId } = await chatOk(model);
      expect(hits(good.key)).toBe(1);
      expect((await logRow(requestId)).attempts).toHaveLength(5);
    } finally {
      await setMaxAttempts(4);
    }
  });
});

describe("errors the client sees", () => {
  test("an upstream 400 is passed on (status, OpenAI shape), no other channel tried; client 4xx never trip the breaker", async () => {
    const model = newModel();
    const bad = await addChannel({ base_url: mock.urlFor("status=400"), models: [model], priority: 10 });
    const other = await addChannel({ base_url: mock.url, models: [model], priority: 0 });

    const raw = await rawChat(model);
    expect(raw.status).toBe(400);
    expect(raw.headers.get("content-type") ?? "").toContain("application/json");
    expect(Object.keys(raw.body)).toEqual(["error"]);
    expect(Object.keys(raw.body.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(raw.body.error.message).toContain("temperature");
    expect(typeof raw.body.error.type).toBe("string");
    const row = await logRow(raw.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: 5, status_code: 400, channel_id: bad.id });
    expect(row.attempts).toHaveLength(1);
    expect(row.attempts[0]).toMatchObject({ channel_id: bad.id, status: 400 });

    // five more through the SDK (six client errors in all, more than the breaker's threshold)
    for (let i = 0; i < 5; i++) {
      const err = await chatError(model);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.status).toBe(400);
    }
    expect(hits(bad.key)).toBe(6);
    expect(hits(other.key)).toBe(0);
    expect(breakerState(await metricsText(), bad.id)).toBe(0);
    // the channel still gets requests
    await chatError(model);
    expect(hits(bad.key)).toBe(7);
    expect(hits(other.key)).toBe(0);
  });

  test("every candidate failed, the last with 429 → 429 rate_limit_exceeded with the upstream's retry-after", async () => {
    const model = newModel();
    const a = await addChannel({ base_url: mock.urlFor("status=500"), models: [model], priority: 10 });
    const b = await addChannel({ base_url: mock.urlFor("status=429,retryAfter=3"), models: [model], priority: 0 });

    const err = await chatError(model);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limit_exceeded");
    expect(err.headers!.get("retry-after")).toBe("3");
    expect([hits(a.key), hits(b.key)]).toEqual([1, 1]);

    const raw = await rawChat(model);
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("3");
    expect(raw.body.error.code).toBe("rate_limit_exceeded");
    expect(raw.body.error.type).toBe("rate_limit_error");
    for (const c of [a, b]) expect(raw.body.error.message).not.toContain(c.name);
    const row = await logRow(raw.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: 5, status_code: 429, error_code: "rate_limit_exceeded" });
    expect(row.attempts.map((x: any) => x.status)).toEqual([500, 429]);
  });

  test("every channel for the model disabled by an admin → 503 no_available_channel, nothing sent upstream", async () => {
    const model = newModel();
    const a = await addChannel({ base_url: mock.url, models: [model], status: 2 });
    const b = await addChannel({ base_url: mock.url, models: [model], group: ["fb"], status: 2 });

    const err = await chatError(model);
    expect(err.status).toBe(503);
    expect(err.code).toBe("no_available_channel");
    const raw = await rawChat(model);
    expect(raw.status).toBe(503);
    expect(raw.body.error.code).toBe("no_available_channel");
    expect(hits(a.key) + hits(b.key)).toBe(0);
    const row = await logRow(raw.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: 5, status_code: 503, error_code: "no_available_channel" });
  });

  test("every candidate failed otherwise → 502 upstream_error that names no upstream", async () => {
    const model = newModel();
    const a = await addChannel({ base_url: mock.urlFor("status=429"), models: [model], priority: 20 });
    const b = await addChannel({ base_url: mock.urlFor("status=503"), models: [model], priority: 10 });
    const c = await addChannel({ base_url: deadUrl, models: [model], group: ["fb"] });

    const err = await chatError(model);
    expect(err.status).toBe(502);
    expect(err.code).toBe("upstream_error");
    const raw = await rawChat(model);
    expect(raw.status).toBe(502);
    expect(raw.body.error.code).toBe("upstream_error");
    expect(raw.headers.get("retry-after")).toBeNull();
    for (const ch of [a, b, c]) expect(raw.text).not.toContain(ch.name);
    expect(raw.text).not.toContain("127.0.0.1");
    const row = await logRow(raw.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: 5, status_code: 502, error_code: "upstream_error" });
    expect(row.attempts.map((x: any) => x.channel_id)).toEqual([a.id, b.id, c.id]);
  });
});

describe("upstream 401", () => {
  test("never passed on: the next candidate serves, the channel whose only key was rejected is disabled (3) until an admin enables it", async () => {
    const model = newModel();
    const rejected = await addChannel({ base_url: mock.urlFor("unauthorized"), models: [model], priority: 10 });
    const good = await addChannel({ base_url: mock.url, models: [model], priority: 0 });

    const first = await chatOk(model);
    expect(first.text).toBe("Hello from the mock upstream!");
    expect(hits(rejected.key)).toBe(1);
    const row = await logRow(first.requestId);
    expect(row).toMatchObject({ type: 2, status_code: 200, channel_id: good.id });
    expect(row.attempts.map((a: any) => [a.channel_id, a.status])).toEqual([
      [rejected.id, 401],
      [good.id, 200],
    ]);

    const disabled = await waitForChannel(rejected.id, (c) => c.status === CHANNEL_STATUS.autoDisabled);
    expect(typeof disabled.status_reason).toBe("string");
    expect(disabled.status_reason.length).toBeGreaterThan(0);
    expect(disabled.key_states).toHaveLength(1);
    expect(disabled.key_states[0].status === KEY_STATUS.usable).toBe(false);
    expect(disabled.key_states[0].reason.length).toBeGreaterThan(0);

    // out of rotation: the next calls do not reach it
    for (let i = 0; i < 2; i++) await chatOk(model);
    expect(hits(rejected.key)).toBe(1);
    expect(hits(good.key)).toBe(3);

    // an admin enables it again: back in rotation (and, still rejected, out again)
    const enabled = expectReply(
      await admin("PUT", "/api/channel/?status_only=true", { id: rejected.id, status: 1 }),
      200,
    );
    expect(enabled.status).toBe(CHANNEL_STATUS.enabled);
    expect(enabled.status_reason).toBe("");
    expect(enabled.key_states[0].status).toBe(KEY_STATUS.usable);
    await chatOk(model);
    expect(hits(rejected.key)).toBe(2);
    await waitForChannel(rejected.id, (c) => c.status === CHANNEL_STATUS.autoDisabled);
  });

  test("one rejected key of two leaves rotation; the channel stays enabled and serves with the other", async () => {
    const model = newModel();
    const badKey = newKey();
    const strict = await addChannel({
      base_url: strictMock.url,
      models: [model],
      priority: 10,
      key: `${badKey}\n${STRICT_GOOD_KEY}`,
    });
    const backup = await addChannel({ base_url: mock.url, models: [model], priority: 0 });

    const served: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { text, requestId } = await chatOk(model);
      expect(text).toBe("Hello from the mock upstream!");
      served.push((await logRow(requestId)).channel_id);
    }
    expect(hits(badKey, strictMock)).toBe(1);
    expect(hits(STRICT_GOOD_KEY, strictMock)).toBe(served.filter((id) => id === strict.id).length);
    expect(served.filter((id) => id === backup.id)).toHaveLength(1);
    expect(served.slice(-3)).toEqual([strict.id, strict.id, strict.id]);

    const c = await waitForChannel(strict.id, (ch) => ch.key_states[0].status !== KEY_STATUS.usable);
    expect(c.status).toBe(CHANNEL_STATUS.enabled);
    expect(c.key_count).toBe(2);
    expect(c.key_states[0].reason.length).toBeGreaterThan(0);
    expect(c.key_states[1]).toMatchObject({ index: 1, status: KEY_STATUS.usable });
  });
});

describe("breaker", () => {
  test("after 5 failures the channel is skipped while a healthy one serves; /metrics shows it open", async () => {
    const model = newModel();
    const flaky = await addChannel({ base_url: mock.urlFor("status=500"), models: [model], priority: 10 });
    const good = await addChannel({ base_url: mock.url, models: [model], priority: 0 });

    expect(breakerState(await metricsText(), flaky.id)).toBe(0);
    for (let i = 0; i < 5; i++) await chatOk(model);
    expect(hits(flaky.key)).toBe(5);
    expect(breakerState(await metricsText(), flaky.id)).toBe(2);

    for (let i = 0; i < 3; i++) {
      const { requestId } = await chatOk(model);
      const row = await logRow(requestId);
      expect(row.attempts.map((a: any) => a.channel_id)).toEqual([good.id]);
    }
    expect(hits(flaky.key)).toBe(5);
    expect(hits(good.key)).toBe(8);
    const metrics = await metricsText();
    expect(breakerState(metrics, flaky.id)).toBe(2);
    expect(breakerState(metrics, good.id)).toBe(0);
  });

  test("the only channel's breaker open → 503 no_available_channel without contacting it", async () => {
    const model = newModel();
    const only = await addChannel({ base_url: mock.urlFor("status=500"), models: [model] });
    for (let i = 0; i < 5; i++) expect((await chatError(model)).status).toBe(502);
    expect(hits(only.key)).toBe(5);
    const err = await chatError(model);
    expect(err.status).toBe(503);
    expect(err.code).toBe("no_available_channel");
    expect(hits(only.key)).toBe(5);
    expect(breakerState(await metricsText(), only.id)).toBe(2);
  });
});

describe("secrets", () => {
  test("no reply, log row or channel listing carries an upstream key, its masked form, or an upstream URL", async () => {
    // every log row of this file and the channel listing, as raw text
    for (let p = 1; ; p++) {
      const r = await admin("GET", `/api/log/?p=${p}&size=100`);
      const data = expectReply(r, 200);
      if (p * 100 >= data.total) break;
    }
    const list = await admin("GET", "/api/channel/?size=100");
    const channels = expectReply(list, 200).items as any[];
    expect(channels.length).toBeGreaterThan(10);

    expect(relayTexts.length).toBeGreaterThan(20);
    expect(upstreamKeys.length).toBeGreaterThan(10);
    const secrets = upstreamKeys.flatMap((k) => [k, maskKey(k)]);
    const urls = [mock.origin, strictMock.origin, new URL(deadUrl).origin].flatMap((o) => [o, new URL(o).host]);
    for (const text of [...relayTexts, ...logTexts, ...channelTexts]) {
      for (const s of secrets) expect(text).not.toContain(s);
    }
    for (const text of relayTexts) {
      for (const u of urls) expect(text).not.toContain(u);
    }
    // admins see a failure's cause with the upstream's host:port ("connection refused to host:port"),
    // never a base URL; channel replies show the base URL an admin entered, but no reason or key
    // state repeats it
    const baseUrls = [mock.url, strictMock.url, deadUrl];
    for (const text of logTexts) for (const u of baseUrls) expect(text).not.toContain(u);
    for (const c of channels) {
      const { base_url: _, health: __, ...rest } = c;
      const text = JSON.stringify(rest);
      for (const u of urls) expect(text).not.toContain(u);
      for (const u of baseUrls) expect(JSON.stringify(c.health)).not.toContain(u);
    }
    // the mock's 401 text names the key's fragment and the mock's URL: neither made it into a reason
    const reasons = channels
      .flatMap((c) => [c.status_reason, ...c.key_states.map((k: any) => k.reason)])
      .filter(Boolean);
    expect(reasons.length).toBeGreaterThan(0);
  });
});
