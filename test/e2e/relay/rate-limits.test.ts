// Rate limits over real HTTP (a real server, the mock upstream behind it): requests per minute on a
// token under a burst, calls in flight, tokens per minute with long prompts, a user's limit across
// their tokens, a group's default and what overrides it, the 429 in each surface's shape with
// retry-after, the x-ratelimit-* (and Anthropic's anthropic-ratelimit-*) headers on answers, and
// that refused calls count nowhere; after the window (the server's test clock moved forward, no
// sleeping), calls pass again. Windows moving on in detail are unit-tested (test/core/rate-limit.test.ts).
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ON_POSTGRES } from "../../support/backend";
import { expectReply } from "../../support/expect";
import { type Gateway, gatewayAdmin } from "../../support/gateway";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { chatCall, cli, makeUser, testClock, useServer } from "../../support/server";

setDefaultTimeout(30_000);

const app = useServer({ env: testClock() }); // real time, which a test can move forward
let mock: MockUpstream;
let gw: Gateway;

/** A token of the admin with these fields (limits, group, quota…); returns its id and key. */
async function token(fields: Record<string, unknown>) {
  const t = expectReply(
    await gw.admin.post("/api/token/", {
      name: `rl-${crypto.randomUUID().slice(0, 8)}`,
      unlimited_quota: true,
      ...fields,
    }),
    201,
  );
  return { id: t.id as number, key: t.key as string };
}

/** Reads what is left of a reply (some were read already). */
const drain = (r: Response) => (r.bodyUsed ? undefined : r.text());

const upstreamCalls = (model: string) => mock.requests.filter((r) => r.model === model).length;

beforeAll(async () => {
  mock = startMockUpstream();
  gw = await gatewayAdmin(app.url);
  expectReply(await gw.admin.post("/api/group/", { name: "limited", multiplier: 1, rpm_limit: 2 }), 201);
  await gw.addChannel({
    name: "rl",
    type: "openai",
    base_url: mock.url,
    models: ["rl-model", "rl-tpm", "rl-group", "rl-user", "claude-rl"],
    group: ["default", "limited"],
  });
});

describe("requests per minute", () => {
  test("30 concurrent calls on a token with 10 RPM: exactly 10 admitted; the rest 429 with retry-after and the headers", async () => {
    const t = await token({ rpm_limit: 10 });
    const replies = await Promise.all(Array.from({ length: 30 }, () => chatCall(app.url, t.key, "rl-model")));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect([ok.length, refused.length]).toEqual([10, 20]);
    expect(upstreamCalls("rl-model")).toBe(10);
    const r = refused[0];
    const body = await r.json();
    expect(body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(body.error.message).toContain("this API key's limit of 10 requests per minute is reached");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(61);
    expect(r.headers.get("x-ratelimit-limit-requests")).toBe("10");
    expect(r.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(r.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+s$/);
    // the answers that went through say how many are left
    const remaining = ok.map((x) => Number(x.headers.get("x-ratelimit-remaining-requests"))).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await Promise.all(replies.map(drain));
  });

  const windows = [
    { what: "2 RPM: the 3rd", fields: { rpm_limit: 2 }, admitted: 2, names: "requests per minute", most: 61 },
    { what: "1 a day: the 2nd", fields: { rpd_limit: 1 }, admitted: 1, names: "requests per day", most: 86_460 },
  ];
  for (const w of windows)
    test(`after the window, calls pass again: ${w.what} is refused until retry-after has passed`, async () => {
      const t = await token(w.fields);
      for (let i = 0; i < w.admitted; i++) {
        const r = await chatCall(app.url, t.key, "rl-model");
        expect(r.status).toBe(200);
        await r.text();
      }
      const refused = await chatCall(app.url, t.key, "rl-model");
      expect(refused.status).toBe(429);
      const { error } = await refused.json();
      expect(error.code).toBe("rate_limit_exceeded");
      expect(error.message).toContain(w.names);
      const wait = Number(refused.headers.get("retry-after"));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(w.most);
      await gw.advanceClock(wait); // the server's test clock: no sleeping
      const again = await chatCall(app.url, t.key, "rl-model");
      expect(again.status).toBe(200);
      expect(again.headers.get("x-ratelimit-remaining-requests")).toBe(String(w.admitted - 1)); // this call only
      await again.text();
    });

  test("a token without limits gets no rate-limit headers", async () => {
    const t = await token({});
    const r = await chatCall(app.url, t.key, "rl-model");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-ratelimit-limit-requests")).toBeNull();
    await r.text();
  });

  test("calls refused before admission (no quota left) count nowhere", async () => {
    const t = await token({ rpm_limit: 1, unlimited_quota: false, remain_quota: 1 });
    for (let i = 0; i < 3; i++) {
      const r = await chatCall(app.url, t.key, "rl-model");
      expect(r.status).toBe(429);
      expect((await r.json()).error.code).toBe("insufficient_quota");
    }
    expectReply(await gw.admin.put("/api/token/", { id: t.id, unlimited_quota: true }), 200);
    const r = await chatCall(app.url, t.key, "rl-model");
    expect(r.status).toBe(200);
    await r.text();
  });
});

describe("calls in flight", () => {
  test("3 allowed, 10 at once: 3 reach the upstream, 7 are refused at once (never queued)", async () => {
    const t = await token({ max_parallel_requests: 3 });
    const base = mock.urlFor("slow_first_byte=400");
    const ch = await gw.addChannel({ name: "slow", type: "openai", base_url: base, models: ["rl-slow"] });
    const replies = await Promise.all(Array.from({ length: 10 }, () => chatCall(app.url, t.key, "rl-slow")));
    expect(replies.filter((r) => r.status === 200).length).toBe(3);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBe(7);
    expect((await refused[0].json()).error.message).toContain("limit of 3 calls at once is reached");
    expect(upstreamCalls("rl-slow")).toBe(3);
    await Promise.all(replies.map(drain));
    // once they have ended, calls go through again
    const again = await chatCall(app.url, t.key, "rl-slow");
    expect(again.status).toBe(200);
    await again.text();
    expectReply(await gw.admin.del(`/api/channel/${ch.id}`), 200);
  });
});

describe("tokens per minute", () => {
  test("long prompts: a burst is admitted up to the limit at its bounds, and corrected to what was used", async () => {
    const t = await token({ tpm_limit: 20_000 });
    const prompt = "lorem ipsum dolor sit amet ".repeat(400); // ~10.8 KB: a byte bound of ~10.8k tokens
    const body = { messages: [{ role: "user", content: prompt }], max_tokens: 100 };
    const replies = await Promise.all(Array.from({ length: 6 }, () => chatCall(app.url, t.key, "rl-tpm", { body })));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    // the byte bound of the first fits; the others are admitted at their counted prompts while they fit
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(ok.length + refused.length).toBe(6);
    const during = ok.map((r) => Number(r.headers.get("x-ratelimit-remaining-tokens")));
    for (const left of during) expect(left).toBeGreaterThanOrEqual(0);
    expect(ok.every((r) => r.headers.get("x-ratelimit-limit-tokens") === "20000")).toBe(true);
    if (refused.length) expect((await refused[0].json()).error.message).toContain("tokens per minute");
    await Promise.all(replies.map(drain));
    // each admitted call used 15 tokens (the mock's usage): the window now holds far less than its bounds
    const after = await chatCall(app.url, t.key, "rl-tpm", { body: { max_tokens: 100 } });
    expect(after.status).toBe(200);
    expect(Number(after.headers.get("x-ratelimit-remaining-tokens"))).toBeGreaterThan(Math.max(...during));
    await after.text();
  });

  test("a call whose bound alone is over the limit is told to ask for less (no retry-after)", async () => {
    const t = await token({ tpm_limit: 50 });
    const r = await chatCall(app.url, t.key, "rl-tpm", { body: { max_tokens: 500 } });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBeNull();
    expect(r.headers.get("x-should-retry")).toBe("false");
    expect((await r.json()).error.message).toContain("lower max_tokens or shorten the prompt");
  });
});

describe("whose limit", () => {
  test("a user's limit covers all their tokens together", async () => {
    const u = await makeUser(app.url, gw.auth, `rl${crypto.randomUUID().slice(0, 6)}`);
    expectReply(await gw.admin.put("/api/user/", { id: u.id, unlimited: true, rpm_limit: 3 }), 200);
    const me = u.api;
    const keys = [];
    for (const name of ["a", "b"])
      keys.push(expectReply(await me.post("/api/token/", { name, unlimited_quota: true }), 201).key);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await chatCall(app.url, keys[i % 2], "rl-user"));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect((await replies[3].json()).error.message).toContain("your account's limit of 3 requests per minute");
  });

  test("a group's default limits its tokens; a token's own limit overrides it", async () => {
    const inGroup = await token({ group: "limited" });
    const own = await token({ group: "limited", rpm_limit: 5 });
    const a = [];
    for (let i = 0; i < 3; i++) a.push((await chatCall(app.url, inGroup.key, "rl-group")).status);
    expect(a).toEqual([200, 200, 429]);
    const b = [];
    for (let i = 0; i < 3; i++) b.push((await chatCall(app.url, own.key, "rl-group")).status);
    expect(b).toEqual([200, 200, 200]);
  });

  test("the limits show in the token's, the user's and the group's views", async () => {
    const t = await token({ rpm_limit: 7, tpm_limit: 8, rpd_limit: 9, max_parallel_requests: 2 });
    expect(expectReply(await gw.admin.get(`/api/token/${t.id}`), 200)).toMatchObject({
      rpm_limit: 7,
      tpm_limit: 8,
      rpd_limit: 9,
      max_parallel_requests: 2,
    });
    const groups = expectReply(await gw.admin.get("/api/group/"), 200).items;
    expect(groups.find((g: any) => g.name === "limited")).toMatchObject({ rpm_limit: 2, tpm_limit: 0 });
    const bad = await gw.admin.put("/api/token/", { id: t.id, rpm_limit: -1 });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain("rpm_limit");
  });
});

describe("the CLI", () => {
  test("token create --rpm-limit … makes a limited key the running server enforces at once", async () => {
    const r = await cli([
      "token",
      "create",
      "--user",
      "admin",
      "--name",
      "cli-limited",
      "--rpm-limit",
      "4",
      "--max-parallel",
      "2",
      "--data-dir",
      app.server.dataDir,
    ]);
    expect(r.code).toBe(0);
    const key = r.stdout.trim();
    // SQLite's server sees the CLI's write at its next call; PostgreSQL's when the write's NOTIFY is heard
    // (milliseconds: the listing of models, which no limit counts, says when)
    const until = Date.now() + 2000;
    while (ON_POSTGRES && Date.now() < until) {
      const models = await fetch(`${app.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      await models.arrayBuffer();
      if (models.status === 200) break;
      await Bun.sleep(20);
    }
    const reply = await chatCall(app.url, key, "rl-model");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-ratelimit-limit-requests")).toBe("4");
    await reply.text();
  });
});

describe("each surface", () => {
  test("Anthropic: the 429 in Anthropic's shape, and anthropic-ratelimit-* headers with RFC 3339 resets", async () => {
    const t = await token({ rpm_limit: 1 });
    const send = () =>
      fetch(`${app.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": t.key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-rl", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.headers.get("anthropic-ratelimit-requests-limit")).toBe("1");
    expect(first.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    expect(first.headers.get("anthropic-ratelimit-requests-reset")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await first.text();
    const second = await send();
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
