// The hold and the output limit (issue 10, item 11), end to end through a real server and the mock
// upstream (which, with honorLimit, produces at most the limit it is sent, as real upstreams do):
// a small balance is served with its output limit lowered to what it pays for, instead of a false
// "quota used up"; a large max_tokens is held in full; a call without a limit is sent the hold's;
// whatever the upstream is asked for is covered by the hold, so nothing falls short. Translation,
// the channel's own cap, Gemini's generationConfig, reasoning calls and the refusal's message too.
import { beforeAll, afterAll, describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, client, login, makeUser, priceModels, useServer, type Auth } from "../../support/server";

const app = useServer();
let mock: MockUpstream;
let admin: Auth;
let serial = 0;

/** the mock produces 1,000,000 output tokens unless the request's limit is lower */
const GREEDY = "ok,completionTokens=1000000,honorLimit=1";
/** gpt-4o's prices: $2.50 in, $10 out per 1M tokens (5 units per output token) */
const GPT4O = { input: "2.5", output: "10" };
const M = { chat: "lim-4o", claude: "lim-claude", gemini: "lim-gemini", capped: "lim-capped" };
/** the prompt "hi" as the hold bounds it: counted (1 token) when the balance is short, else by its
 * bytes (2: free to know, every token is at least one byte); plus the framing (16 + 4 per turn) */
const PROMPT_BOUND = countTokens("hi") + 20;
const BYTE_BOUND = Buffer.byteLength("hi") + 20;
/** ceil((prompt × input + n × output) / 2e12) at multiplier 1, prices in µUSD per 1M */
const units = (prompt: number, output: number, p = { input: 2_500_000, output: 10_000_000 }) =>
  Math.ceil((prompt * p.input + output * p.output) / 2_000_000);
/** the most output tokens `balance` units cover next to the prompt bound */
const affordable = (balance: number, p = { input: 2_500_000, output: 10_000_000 }) =>
  Math.floor((balance * 2_000_000 - PROMPT_BOUND * p.input) / p.output);

beforeAll(async () => {
  mock = startMockUpstream();
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const api = client(app.url, admin);
  const add = async (model: string, body: Record<string, unknown>) =>
    expectReply(await api.post("/api/channel/", { name: model, key: `sk-up-${model}`, models: [model], ...body }), 201);
  await add(M.chat, { type: "openai", base_url: mock.urlFor(GREEDY) });
  await add(M.claude, { type: "anthropic", base_url: mock.urlFor(GREEDY) });
  await add(M.gemini, { type: "gemini", base_url: mock.urlFor(GREEDY, "/v1beta") });
  await add(M.capped, { type: "openai", base_url: mock.urlFor(GREEDY), max_output_tokens: 500 });
  await priceModels(app.url, admin, [M.chat, M.gemini, M.capped], GPT4O);
  await priceModels(app.url, admin, M.claude, { input: "3", output: "15" });
});
afterAll(() => mock?.stop());

/** A user with `balance` units and a token (limited to `quota`, or unlimited). */
async function account(balance: number, quota?: number) {
  const u = await makeUser(app.url, admin, `lim-user-${++serial}`);
  expectReply(await call(app.url, "POST", `/api/user/${u.id}/topup`, { quota: balance }, admin), 200);
  const body = quota === undefined ? { name: "t", unlimited_quota: true } : { name: "t", remain_quota: quota };
  const t = expectReply(await u.api.post("/api/token/", body), 201);
  return { id: u.id, key: t.key as string, tokenId: t.id as number };
}

const post = (key: string, path: string, body: unknown) =>
  fetch(app.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const chat = (key: string, model: string, extra: Record<string, unknown> = {}) =>
  post(key, "/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }], ...extra });
/** the body the upstream received last */
const sent = () => mock.requests.at(-1)!.body;

async function logRow(requestId: string | null) {
  const until = Date.now() + 5000;
  for (;;) {
    const items = expectReply(
      await call(app.url, "GET", `/api/log/?request_id=${encodeURIComponent(requestId ?? "")}`, undefined, admin),
      200,
    ).items;
    if (items.length > 0)
      return { ...items[0], other: typeof items[0].other === "string" ? JSON.parse(items[0].other) : items[0].other };
    if (Date.now() > until) throw new Error(`no log row for ${requestId}`);
    await Bun.sleep(20);
  }
}

const balanceOf = async (userId: number) =>
  expectReply(await call(app.url, "GET", `/api/user/${userId}`, undefined, admin), 200).quota as number;

describe("a small balance is served with a lowered limit, not told its quota is used up", () => {
  test("$0.01 left on the key, a gpt-4o call without max_tokens: 200, sent with the limit $0.01 pays for", async () => {
    const acct = await account(1_000_000, 5_000);
    const res = await chat(acct.key, M.chat);
    expect(res.status).toBe(200);
    const limit = affordable(5_000);
    expect(limit).toBeGreaterThan(900);
    expect(sent().max_completion_tokens).toBe(limit);
    const row = await logRow(res.headers.get("x-request-id"));
    expect(row.other.output_limit).toEqual({ tokens: limit, asked: null, reason: "balance" });
    // the whole hold fits the $0.01; the upstream made what it was allowed; nothing fell short
    expect(row.other.hold).toBe(units(PROMPT_BOUND, limit));
    expect(row.other.hold).toBeLessThanOrEqual(5_000);
    expect(row).toMatchObject({ completion_tokens: limit, quota: units(10, limit) });
    expect(row.other.shortfall).toBe(0);
  });

  test("a stream too: the lowered limit goes in the streamed request", async () => {
    const acct = await account(5_000);
    const res = await chat(acct.key, M.chat, { stream: true });
    expect(res.status).toBe(200);
    await res.text();
    expect(sent().max_completion_tokens).toBe(affordable(5_000));
    expect(await balanceOf(acct.id)).toBeGreaterThanOrEqual(0);
  });

  test("max_tokens 100000 on a $0.50 balance: lowered to what it pays for, sent so, no shortfall", async () => {
    const acct = await account(250_000);
    const res = await chat(acct.key, M.chat, { max_tokens: 100_000 });
    expect(res.status).toBe(200);
    const limit = affordable(250_000);
    expect(sent().max_tokens).toBe(limit);
    const row = await logRow(res.headers.get("x-request-id"));
    expect(row.other.output_limit).toEqual({ tokens: limit, asked: 100_000, reason: "balance" });
    expect(row.other.shortfall).toBe(0);
    expect(row.quota).toBeLessThanOrEqual(row.other.hold);
    expect(await balanceOf(acct.id)).toBe(250_000 - row.quota);
  });

  test("Gemini, native: generationConfig.maxOutputTokens is added, lowered", async () => {
    const acct = await account(5_000);
    const res = await post(acct.key, `/v1beta/models/${M.gemini}:generateContent`, {
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
    });
    expect(res.status).toBe(200);
    expect(sent().generationConfig).toEqual({ maxOutputTokens: affordable(5_000) });
  });

  test("translated: a chat client without a limit reaches an Anthropic upstream with max_tokens lowered", async () => {
    const acct = await account(5_000);
    const claude = { input: 3_000_000, output: 15_000_000 };
    const res = await chat(acct.key, M.claude);
    expect(res.status).toBe(200);
    expect(sent().max_tokens).toBe(affordable(5_000, claude));
  });

  test("translated: an Anthropic client's max_tokens 64000 reaches a chat upstream lowered", async () => {
    const acct = await account(5_000);
    const res = await post(acct.key, "/v1/messages", {
      model: M.chat,
      max_tokens: 64_000,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(200);
    const body = sent();
    expect(Math.max(body.max_tokens ?? 0, body.max_completion_tokens ?? 0)).toBe(affordable(5_000));
  });
});

describe("what is asked for is held, and what is held is the limit sent", () => {
  test("max_tokens 100000 holds 100000; an upstream told to make 1,000,000 tokens makes 100000; nothing falls short", async () => {
    const acct = await account(1_000_000);
    const res = await chat(acct.key, M.chat, { max_tokens: 100_000 });
    expect(res.status).toBe(200);
    expect(sent().max_tokens).toBe(100_000);
    const row = await logRow(res.headers.get("x-request-id"));
    expect(row.other.hold).toBe(units(BYTE_BOUND, 100_000));
    expect(row.other.output_limit).toBeUndefined(); // the call's own ask stood
    expect(row).toMatchObject({ completion_tokens: 100_000, quota: units(10, 100_000) });
    expect(row.other.shortfall).toBe(0);
  });

  test("no max_tokens: the hold cap (8,192) is held and sent as max_completion_tokens", async () => {
    const acct = await account(1_000_000);
    const res = await chat(acct.key, M.chat);
    expect(res.status).toBe(200);
    expect(sent().max_completion_tokens).toBe(8192);
    const row = await logRow(res.headers.get("x-request-id"));
    expect(row.other.output_limit).toEqual({ tokens: 8192, asked: null, reason: "hold_cap" });
    expect(row).toMatchObject({ completion_tokens: 8192 });
    expect(row.other.shortfall).toBe(0);
  });

  test("the channel's max_output_tokens below the hold's limit: the smaller goes", async () => {
    const acct = await account(1_000_000);
    expect((await chat(acct.key, M.capped)).status).toBe(200);
    expect(sent().max_completion_tokens).toBe(500);
  });

  test("an unlimited key of an unlimited owner holds nothing and is sent as it came", async () => {
    const key = expectReply(
      await call(app.url, "POST", "/api/token/", { name: `admin-${++serial}`, unlimited_quota: true }, admin),
      201,
    ).key;
    expect((await chat(key, M.chat)).status).toBe(200);
    const body = sent();
    expect([body.max_tokens, body.max_completion_tokens]).toEqual([undefined, undefined]);
  });
});

describe("refusals tell the truth", () => {
  test("a key with $0.00004 left: what is left and what the call needs at least, not 'used up'", async () => {
    const acct = await account(1_000_000, 20);
    const seen = mock.requests.length;
    const res = await chat(acct.key, M.chat);
    expect(res.status).toBe(429);
    expect(res.headers.get("x-should-retry")).toBe("false");
    const { error } = await res.json();
    expect(error.code).toBe("insufficient_quota");
    const needs = units(PROMPT_BOUND, 16);
    expect(error.message).toBe(
      `this API key has $0.00004 of quota left, and this call needs at least $${(needs * 2) / 1_000_000} (a prompt of at most ${PROMPT_BOUND} tokens and 16 output tokens); raise the key's quota in the console`,
    );
    expect(mock.requests.length).toBe(seen);
  });

  test("an owner's balance: said as the balance", async () => {
    const acct = await account(20);
    const { error } = await (await chat(acct.key, M.chat)).json();
    expect(error.message).toStartWith("your balance is $0.00004, and this call needs at least $");
    expect(error.message).toEndWith("top up to continue");
  });

  test("a reasoning call the balance cannot give room to think is refused, not sent broken", async () => {
    const acct = await account(5_000); // $0.01: about 660 Claude output tokens, 995 gpt-4o ones
    const seen = mock.requests.length;
    const thinking = await post(acct.key, "/v1/messages", {
      model: M.claude,
      max_tokens: 16_000,
      thinking: { type: "enabled", budget_tokens: 4000 },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(thinking.status).toBe(429);
    expect((await thinking.json()).error.message).toContain("4016 output tokens, 4000 of them to think");
    const effort = await chat(acct.key, M.chat, { reasoning_effort: "high" });
    expect(effort.status).toBe(429);
    expect((await effort.json()).error.message).toContain("1040 output tokens, 1024 of them to think");
    expect(mock.requests.length).toBe(seen);
    // with room to think, the same Claude call goes, its max_tokens lowered above the budget
    const rich = await account(100_000);
    const ok = await post(rich.key, "/v1/messages", {
      model: M.claude,
      max_tokens: 16_000,
      thinking: { type: "enabled", budget_tokens: 4000 },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(ok.status).toBe(200);
    expect(sent().max_tokens).toBe(affordable(100_000, { input: 3_000_000, output: 15_000_000 }));
    expect(sent().max_tokens).toBeGreaterThan(4000);
  });
});
