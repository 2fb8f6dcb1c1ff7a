// Billing exactness (issue 4), over real HTTP with the mock upstream and the official `openai` client:
// quota races against a token's limit and a user's balance (exactly as many calls as the money covers,
// Σ logged costs = what left the balance), group multipliers (the serving group's, fallback included),
// the four billing modes × usage/per-call/both-priced models, exact integer costs (cached prices, ceil
// rounding, no floating point), images billed per image, and unlimited users / unlimited tokens.
// Expected unit values are worked out by hand here: 500,000 units = $1, i.e. 0.5 unit per micro-USD.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI, { APIError } from "openai";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, type Auth } from "../../support/server";

const LOG_DEADLINE_MS = 2000;
/** per_call "0.002" USD → 0.002 × 500,000 = 1,000 units at multiplier 1 */
const CALL_PRICE = "0.002";
const CALL_UNITS = 1000;
const RACE_CALLS = 200;
const AFFORDABLE = 50;

const app = useServer();
let mock: MockUpstream;
let adminAuth: Auth;
let admin: ReturnType<typeof client>;
let serial = 0;

type Api = ReturnType<typeof client>;
type User = Awaited<ReturnType<typeof makeUser>>;
type Outcome = {
  ok: boolean;
  status: number | undefined;
  code: string | null | undefined;
  message: string;
  shouldRetry: string | null;
  requestId: string | null;
  data?: any;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sdk = (apiKey: string) => new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0 });
const ask = (model: string, extra: Record<string, unknown> = {}) =>
  ({
    model,
    messages: [{ role: "user", content: "Say hello." }],
    ...extra,
  }) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
const upstreamCalls = (model: string) => mock.requests.filter((r) => r.body?.model === model).length;
const sum = (rows: any[]) => rows.reduce((a, r) => a + r.quota, 0);

/** Runs one SDK call and turns its result or its APIError into an outcome (never throws on HTTP errors). */
async function attempt(run: () => Promise<{ data: any; response: Response }>): Promise<Outcome> {
  try {
    const { data, response } = await run();
    return {
      ok: true,
      status: response.status,
      code: null,
      message: "",
      shouldRetry: null,
      requestId: response.headers.get("x-request-id"),
      data,
    };
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return {
      ok: false,
      status: e.status,
      code: e.code,
      message: e.message,
      shouldRetry: e.headers?.get("x-should-retry") ?? null,
      requestId: e.headers?.get("x-request-id") ?? null,
    };
  }
}
const chat = (c: OpenAI, model: string, extra: Record<string, unknown> = {}) =>
  attempt(() => c.chat.completions.create(ask(model, extra)).withResponse());

async function addChannel(models: string[], o: { base_url?: string; group?: string[] } = {}) {
  const body = {
    name: `bill-${++serial}`,
    type: "openai",
    base_url: o.base_url ?? mock.url,
    key: "sk-upstream-billing",
    models,
    group: o.group ?? ["default"],
  };
  return expectReply(await admin.post("/api/channel/", body), 201);
}
async function setPrice(model: string, price: Record<string, unknown>) {
  return expectReply(await admin.post("/api/pricing/", { model, ...price }), 201);
}
async function newUser(name: string, opts: { unlimited?: boolean; topUp?: number } = {}): Promise<User> {
  const u = await makeUser(app.url, adminAuth, name);
  if (opts.topUp) expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: opts.topUp }), 200);
  if (opts.unlimited) expectReply(await admin.put("/api/user/", { id: u.id, unlimited: true }), 200);
  return u;
}
async function newToken(u: User, body: Record<string, unknown>): Promise<{ id: number; key: string }> {
  const t = expectReply(await u.api.post("/api/token/", { name: `t-${++serial}`, ...body }), 201);
  return { id: t.id, key: t.key };
}
const getToken = async (u: User, id: number) => expectReply(await u.api.get(`/api/token/${id}`), 200);
const getSelf = async (u: User) => expectReply(await u.api.get("/api/user/self"), 200);

/** Every one of the user's log rows, all pages (100 a page). */
async function allRows(api: Api): Promise<any[]> {
  const rows: any[] = [];
  for (let p = 1; ; p++) {
    const data = expectReply(await api.get(`/api/log/self?p=${p}&pageSize=100`), 200);
    rows.push(...data.items);
    if (data.items.length === 0 || rows.length >= data.total) return rows;
  }
}

/** The rows matching `pick`, once `want` of them exist (polled with a deadline, rows are written in
 * batches); the first read, right after the calls, must already see all of them (the API flushes). */
async function settledRows(api: Api, pick: (r: any) => boolean, want: number): Promise<any[]> {
  const first = (await allRows(api)).filter(pick);
  let rows = first;
  const until = Date.now() + LOG_DEADLINE_MS;
  while (rows.length < want && Date.now() < until) {
    await sleep(50);
    rows = (await allRows(api)).filter(pick);
  }
  expect(rows.length).toBe(want);
  expect(first.length).toBe(want);
  return rows;
}

/** The one row of a call, by its x-request-id. */
async function rowOf(api: Api, requestId: string | null): Promise<any> {
  expect(requestId).toBeTruthy();
  const until = Date.now() + LOG_DEADLINE_MS;
  for (;;) {
    const data = expectReply(
      await api.get(`/api/log/self?request_id=${encodeURIComponent(requestId!)}&pageSize=100`),
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

function expectInsufficient(o: Outcome) {
  expect({ status: o.status, code: o.code, shouldRetry: o.shouldRetry }).toEqual({
    status: 429,
    code: "insufficient_quota",
    shouldRetry: "false",
  });
}

/** A successful call's consume row: billed `kind` for exactly `quota` units. */
async function expectBilled(
  api: Api,
  o: Outcome,
  want: { kind: "usage" | "per_call"; quota: number; group?: string; multiplier?: string },
) {
  expect({ status: o.status, code: o.code, message: o.message }).toEqual({ status: 200, code: null, message: "" });
  const row = await rowOf(api, o.requestId);
  expect(row).toMatchObject({ type: 2, status_code: 200, quota: want.quota, group: want.group ?? "default" });
  expect(row.other).toMatchObject({
    billing: want.kind,
    cost: want.quota,
    group: want.group ?? "default",
    group_multiplier: want.multiplier ?? "1",
    shortfall: 0,
  });
  expect(row.other.refund).toBe(row.other.hold - want.quota);
  return row;
}

beforeAll(async () => {
  mock = startMockUpstream({ models: [] });
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "half", multiplier: "0.5" }), 201);
  expectReply(await admin.post("/api/group/", { name: "dear", multiplier: 1.4 }), 201);
});

afterAll(() => {
  mock?.stop();
});

describe("quota races", () => {
  test(`token quota race: ${RACE_CALLS} concurrent calls against a token covering ${AFFORDABLE} → exactly ${AFFORDABLE} served and billed`, async () => {
    const model = "race-token-call";
    await addChannel([model]);
    await setPrice(model, { per_call: CALL_PRICE });
    const owner = await newUser("race-token-owner", { unlimited: true });
    const initial = AFFORDABLE * CALL_UNITS;
    const tok = await newToken(owner, { remain_quota: initial });
    const c = sdk(tok.key);

    const outcomes = await Promise.all(Array.from({ length: RACE_CALLS }, () => chat(c, model)));

    const ok = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    expect(ok.length).toBe(AFFORDABLE);
    expect(refused.length).toBe(RACE_CALLS - AFFORDABLE);
    for (const o of ok) expect(o.status).toBe(200);
    for (const o of refused) expectInsufficient(o);
    expect(upstreamCalls(model)).toBe(AFFORDABLE);

    const t = await getToken(owner, tok.id);
    expect(t.remain_quota).toBeGreaterThanOrEqual(0);
    const rows = await settledRows(owner.api, (r) => r.token_id === tok.id, RACE_CALLS);
    const consumed = rows.filter((r) => r.type === LOG_TYPE.consume);
    const errors = rows.filter((r) => r.type !== LOG_TYPE.consume);
    expect(consumed.length).toBe(AFFORDABLE);
    for (const r of consumed)
      expect({ quota: r.quota, billing: r.other.billing }).toEqual({ quota: CALL_UNITS, billing: "per_call" });
    expect(errors.length).toBe(RACE_CALLS - AFFORDABLE);
    for (const r of errors)
      expect({ quota: r.quota, error_code: r.error_code, status_code: r.status_code }).toEqual({
        quota: 0,
        error_code: "insufficient_quota",
        status_code: 429,
      });
    expect(sum(rows)).toBe(AFFORDABLE * CALL_UNITS);
    expect(initial - t.remain_quota).toBe(sum(rows));
    expect(t.used_quota).toBe(sum(rows));
    // the owner is unlimited: their balance is untouched, their usage counted
    const self = await getSelf(owner);
    expect(self.quota).toBe(0);
    expect(self.used_quota).toBe(sum(rows));
  });

  test(`user balance race: ${RACE_CALLS} concurrent calls over 3 unlimited tokens against a balance covering ${AFFORDABLE}`, async () => {
    const model = "race-user-call";
    await addChannel([model]);
    await setPrice(model, { per_call: CALL_PRICE });
    const initial = AFFORDABLE * CALL_UNITS;
    const u = await newUser("race-balance-owner", { topUp: initial });
    expect(await getSelf(u)).toMatchObject({ quota: initial, used_quota: 0, unlimited: false });
    const toks = [
      await newToken(u, { unlimited_quota: true }),
      await newToken(u, { unlimited_quota: true }),
      await newToken(u, { unlimited_quota: true }),
    ];
    const clients = toks.map((t) => sdk(t.key));

    const outcomes = await Promise.all(Array.from({ length: RACE_CALLS }, (_, i) => chat(clients[i % 3], model)));

    const ok = outcomes.filter((o) => o.ok);
    expect(ok.length).toBe(AFFORDABLE);
    for (const o of ok) expect(o.status).toBe(200);
    for (const o of outcomes.filter((o) => !o.ok)) expectInsufficient(o);
    expect(upstreamCalls(model)).toBe(AFFORDABLE);

    const self = await getSelf(u);
    expect(self.quota).toBeGreaterThanOrEqual(0);
    const ids = new Set(toks.map((t) => t.id));
    const rows = await settledRows(u.api, (r) => ids.has(r.token_id), RACE_CALLS);
    expect(rows.filter((r) => r.type === LOG_TYPE.consume).length).toBe(AFFORDABLE);
    for (const r of rows.filter((r) => r.type !== LOG_TYPE.consume))
      expect({ quota: r.quota, error_code: r.error_code }).toEqual({ quota: 0, error_code: "insufficient_quota" });
    expect(sum(rows)).toBe(AFFORDABLE * CALL_UNITS);
    expect(initial - self.quota).toBe(sum(rows));
    expect(self.used_quota).toBe(sum(rows));
    // per token: its used quota is the sum of its rows; unlimited tokens keep their remaining quota
    let usedByTokens = 0;
    for (const tk of toks) {
      const t = await getToken(u, tk.id);
      expect(t.used_quota).toBe(sum(rows.filter((r) => r.token_id === tk.id)));
      expect(t.remain_quota).toBe(0);
      usedByTokens += t.used_quota;
    }
    expect(usedByTokens).toBe(sum(rows));
    // the top-up is a row of its own
    const topUps = (await allRows(u.api)).filter((r) => r.type === LOG_TYPE.topup);
    expect(topUps.map((r) => r.quota)).toEqual([initial]);
  });
});

describe("group multipliers", () => {
  // usage: prompt 10 / completion 5 at $3 / $15 per 1M → 10×3 + 5×15 = 105 µUSD = 52.5 units at ×1
  //   ×0.5 → 26.25 → 27;  ×1.4 → 73.5 → 74
  // per call: $0.000101 = 50.5 units at ×1;  ×0.5 → 25.25 → 26;  ×1.4 → 70.7 → 71
  let u: User;
  let tok: { id: number; key: string };
  const initial = 10_000_000;

  beforeAll(async () => {
    for (const m of ["mult-usage-direct", "mult-usage-fallback"]) await setPrice(m, { input: "3", output: "15" });
    for (const m of ["mult-call-direct", "mult-call-fallback"]) await setPrice(m, { per_call: "0.000101" });
    await addChannel(["mult-usage-direct", "mult-call-direct"], { group: ["half"] });
    await addChannel(["mult-usage-fallback", "mult-call-fallback"], {
      group: ["half"],
      base_url: mock.urlFor("status=500"),
    });
    await addChannel(["mult-usage-fallback", "mult-call-fallback"], { group: ["dear"] });
    u = await newUser("multiplier-user", { unlimited: true });
    tok = await newToken(u, { remain_quota: initial, group: "half", fallback_groups: ["dear"] });
  });

  test("served by the default group → billed at its multiplier (0.5)", async () => {
    const c = sdk(tok.key);
    const usage = await chat(c, "mult-usage-direct");
    const row = await expectBilled(u.api, usage, { kind: "usage", quota: 27, group: "half", multiplier: "0.5" });
    expect(row.other.usage).toEqual({ prompt: 10, completion: 5, cached: 0 });
    expect(row.attempts.length).toBe(1);
    await expectBilled(u.api, await chat(c, "mult-call-direct"), {
      kind: "per_call",
      quota: 26,
      group: "half",
      multiplier: "0.5",
    });
  });

  test("default group's only channel fails (500) → served by the fallback group and billed at ITS multiplier (1.4)", async () => {
    const c = sdk(tok.key);
    const usage = await chat(c, "mult-usage-fallback");
    const row = await expectBilled(u.api, usage, { kind: "usage", quota: 74, group: "dear", multiplier: "1.4" });
    expect(row.attempts.map((a: any) => a.status)).toEqual([500, 200]);
    const perCall = await chat(c, "mult-call-fallback");
    const row2 = await expectBilled(u.api, perCall, { kind: "per_call", quota: 71, group: "dear", multiplier: "1.4" });
    expect(row2.attempts.map((a: any) => a.status)).toEqual([500, 200]);
  });

  test("the token was charged exactly the sum of the rows", async () => {
    const t = await getToken(u, tok.id);
    const rows = await settledRows(u.api, (r) => r.token_id === tok.id, 4);
    expect(sum(rows)).toBe(27 + 26 + 74 + 71);
    expect(initial - t.remain_quota).toBe(sum(rows));
    expect(t.used_quota).toBe(sum(rows));
  });
});

describe("billing modes", () => {
  // usage prices $1 / $2 per 1M, the mock reports prompt 10 / completion 5: 10 + 10 = 20 µUSD = 10 units;
  // per call $0.002 = 1,000 units; group "default" at ×1
  const MODELS = {
    usage: "mode-usage-only",
    call: "mode-call-only",
    both: "mode-both",
    none: "mode-unpriced",
  } as const;
  const USAGE_UNITS = 10;
  const MODES = ["usage", "per_call", "usage_first", "per_call_first"] as const;
  type Mode = (typeof MODES)[number];
  type Want = "usage" | "per_call" | "refuse";
  const EXPECT: Record<Mode, Record<"usage" | "call" | "both", Want>> = {
    usage: { usage: "usage", call: "refuse", both: "usage" },
    per_call: { usage: "refuse", call: "per_call", both: "per_call" },
    usage_first: { usage: "usage", call: "per_call", both: "usage" },
    per_call_first: { usage: "usage", call: "per_call", both: "per_call" },
  };
  const initial = 1_000_000;
  let u: User;
  const toks = {} as Record<Mode, { id: number; key: string }>;

  beforeAll(async () => {
    await setPrice(MODELS.usage, { input: "1", output: "2" });
    await setPrice(MODELS.call, { per_call: CALL_PRICE });
    await setPrice(MODELS.both, { input: 1, output: 2, per_call: CALL_PRICE });
    await addChannel(Object.values(MODELS));
    u = await newUser("modes-user", { unlimited: true });
    for (const mode of MODES) toks[mode] = await newToken(u, { remain_quota: initial, billing_mode: mode });
  });

  /** A refusal: 403 with the code, nothing forwarded, nothing charged, a 0-cost row. */
  async function expectRefused(tok: { id: number; key: string }, model: string, code: string, mentions: string[]) {
    const before = await getToken(u, tok.id);
    const seen = upstreamCalls(model);
    const o = await chat(sdk(tok.key), model);
    expect({ status: o.status, code: o.code }).toEqual({ status: 403, code });
    for (const m of mentions) expect(o.message).toContain(m);
    expect(upstreamCalls(model)).toBe(seen);
    const after = await getToken(u, tok.id);
    expect({ remain: after.remain_quota, used: after.used_quota }).toEqual({
      remain: before.remain_quota,
      used: before.used_quota,
    });
    const row = await rowOf(u.api, o.requestId);
    expect({ quota: row.quota, error_code: row.error_code, status_code: row.status_code }).toEqual({
      quota: 0,
      error_code: code,
      status_code: 403,
    });
  }

  for (const mode of MODES) {
    for (const kind of ["usage", "call", "both"] as const) {
      const want = EXPECT[mode][kind];
      test(`mode ${mode} × ${kind === "call" ? "per-call-only" : kind === "usage" ? "usage-only" : "both-priced"} model → ${want === "refuse" ? "403 billing_mode_unsupported" : `billed ${want}`}`, async () => {
        const model = MODELS[kind];
        const tok = toks[mode];
        if (want === "refuse") return expectRefused(tok, model, "billing_mode_unsupported", [model, `"${mode}"`]);
        const before = await getToken(u, tok.id);
        const seen = upstreamCalls(model);
        const o = await chat(sdk(tok.key), model);
        const quota = want === "usage" ? USAGE_UNITS : CALL_UNITS;
        await expectBilled(u.api, o, { kind: want, quota });
        expect(upstreamCalls(model)).toBe(seen + 1);
        const after = await getToken(u, tok.id);
        expect(before.remain_quota - after.remain_quota).toBe(quota);
        expect(after.used_quota - before.used_quota).toBe(quota);
      });
    }
    test(`mode ${mode} × a model with no price → 403 model_price_not_set`, () =>
      expectRefused(toks[mode], MODELS.none, "model_price_not_set", [MODELS.none]));
  }

  test("each token's used quota and remaining quota match its rows", async () => {
    for (const mode of MODES) {
      const t = await getToken(u, toks[mode].id);
      const rows = await settledRows(u.api, (r) => r.token_id === toks[mode].id, 4);
      expect(initial - t.remain_quota).toBe(sum(rows));
      expect(t.used_quota).toBe(sum(rows));
    }
  });

  const listed = async (key: string) =>
    (await sdk(key).models.list()).data
      .map((m) => m.id)
      .filter((id) => (Object.values(MODELS) as string[]).includes(id))
      .sort();

  test("/v1/models lists only the models the key's mode can bill", async () => {
    expect(await listed(toks.usage.key)).toEqual([MODELS.both, MODELS.usage].sort());
    expect(await listed(toks.per_call.key)).toEqual([MODELS.both, MODELS.call].sort());
    expect(await listed(toks.usage_first.key)).toEqual([MODELS.both, MODELS.call, MODELS.usage].sort());
    expect(await listed(toks.per_call_first.key)).toEqual([MODELS.both, MODELS.call, MODELS.usage].sort());
  });

  test("changing a token's mode (PUT /api/token/) takes effect on the next call and in /v1/models", async () => {
    const tok = await newToken(u, { remain_quota: initial, billing_mode: "usage" });
    const c = sdk(tok.key);
    const setMode = async (billing_mode: Mode) =>
      expect(expectReply(await u.api.put("/api/token/", { id: tok.id, billing_mode }), 200).billing_mode).toBe(
        billing_mode,
      );

    await expectRefused(tok, MODELS.call, "billing_mode_unsupported", [MODELS.call, '"usage"']);
    await expectBilled(u.api, await chat(c, MODELS.both), { kind: "usage", quota: USAGE_UNITS });

    await setMode("per_call");
    expect(await listed(tok.key)).toEqual([MODELS.both, MODELS.call].sort());
    await expectBilled(u.api, await chat(c, MODELS.call), { kind: "per_call", quota: CALL_UNITS });
    await expectBilled(u.api, await chat(c, MODELS.both), { kind: "per_call", quota: CALL_UNITS });
    await expectRefused(tok, MODELS.usage, "billing_mode_unsupported", [MODELS.usage, '"per_call"']);

    await setMode("usage_first");
    await expectBilled(u.api, await chat(c, MODELS.both), { kind: "usage", quota: USAGE_UNITS });
    await setMode("per_call_first");
    await expectBilled(u.api, await chat(c, MODELS.both), { kind: "per_call", quota: CALL_UNITS });

    const t = await getToken(u, tok.id);
    const charged = USAGE_UNITS + CALL_UNITS + CALL_UNITS + USAGE_UNITS + CALL_UNITS;
    expect(initial - t.remain_quota).toBe(charged);
    expect(t.used_quota).toBe(charged);
  });
});

describe("edge prices", () => {
  let u: User;
  let c: OpenAI;

  beforeAll(async () => {
    u = await newUser("edge-user", { unlimited: true });
    c = sdk((await newToken(u, { unlimited_quota: true })).key);
    await setPrice("edge-cached", { input: "3", cached_input: "0.3", output: "7" });
    await setPrice("edge-nocached", { input: "3", output: "7" });
    await addChannel(["edge-cached", "edge-nocached"], {
      base_url: mock.urlFor("ok,promptTokens=100,completionTokens=10,cachedTokens=40"),
    });
    await setPrice("edge-tiny", { input: "0.000001", output: "0.000001" });
    await setPrice("edge-tiny-call", { per_call: "0.000001" });
    await addChannel(["edge-tiny", "edge-tiny-call"], {
      base_url: mock.urlFor("ok,promptTokens=1,completionTokens=0"),
    });
    await setPrice("edge-110-text", { input: "1.10", output: "1.10" });
    await setPrice("edge-110-number", { input: 1.1, output: 1.1 });
    await addChannel(["edge-110-text", "edge-110-number"], {
      base_url: mock.urlFor("ok,promptTokens=100,completionTokens=0"),
    });
    await setPrice("edge-110-460", { input: "1.10", output: "1.10" });
    await addChannel(["edge-110-460"], { base_url: mock.urlFor("ok,promptTokens=460,completionTokens=0") });
    expectReply(await admin.post("/api/group/", { name: "eleven", multiplier: "1.1" }), 201);
    await setPrice("edge-250-m11", { input: "2.5", output: "2.5" });
    await addChannel(["edge-250-m11"], {
      base_url: mock.urlFor("ok,promptTokens=40,completionTokens=0"),
      group: ["eleven"],
    });
    await setPrice("edge-image", { per_call: "0.04" });
    await addChannel(["edge-image"]);
  });

  test("cached tokens are billed at the cached-input price", async () => {
    // 60 uncached × $3 + 40 cached × $0.3 + 10 completion × $7 = 180 + 12 + 70 = 262 µUSD = 131 units
    const row = await expectBilled(u.api, await chat(c, "edge-cached"), { kind: "usage", quota: 131 });
    expect({ prompt: row.prompt_tokens, cached: row.cached_tokens, completion: row.completion_tokens }).toEqual({
      prompt: 100,
      cached: 40,
      completion: 10,
    });
    expect(row.other.usage).toEqual({ prompt: 100, cached: 40, completion: 10 });
    expect(row.other.prices).toMatchObject({ input: "3", cached_input: "0.3", output: "7" });
  });

  test("a model without a cached-input price bills cached tokens at the input price", async () => {
    // 100 × $3 + 10 × $7 = 370 µUSD = 185 units
    const row = await expectBilled(u.api, await chat(c, "edge-nocached"), { kind: "usage", quota: 185 });
    expect(row.cached_tokens).toBe(40);
    expect(row.other.prices).toMatchObject({ input: "3", cached_input: "3", output: "7" });
  });

  test("ceil rounding: a 1-token call on a tiny non-zero price costs 1 unit, never 0", async () => {
    // 1 × $0.000001 per 1M = 1e-12 USD = 5e-7 units → 1
    const row = await expectBilled(u.api, await chat(c, "edge-tiny"), { kind: "usage", quota: 1 });
    expect({ prompt: row.prompt_tokens, completion: row.completion_tokens }).toEqual({ prompt: 1, completion: 0 });
    // per call $0.000001 = 0.5 unit → 1
    await expectBilled(u.api, await chat(c, "edge-tiny-call"), { kind: "per_call", quota: 1 });
  });

  test("100 tokens at $1.10 per 1M cost exactly 55 units, not 56 (and 460 tokens exactly 253): no floating point", async () => {
    await expectBilled(u.api, await chat(c, "edge-110-text"), { kind: "usage", quota: 55 });
    await expectBilled(u.api, await chat(c, "edge-110-number"), { kind: "usage", quota: 55 });
    // 460 × $1.10 = 506 µUSD = 253 units exactly (in floats, 460 × 1.1 / 1e6 × 500,000 is 253.00000000000003)
    await expectBilled(u.api, await chat(c, "edge-110-460"), { kind: "usage", quota: 253 });
  });

  test("a decimal group multiplier stays exact: 40 tokens at $2.5 per 1M × 1.1 = exactly 55 units", async () => {
    // 40 × $2.5 = 100 µUSD = 50 units; × 1.1 = 55 (in floats 55.00000000000001 → 56)
    const tok = await newToken(u, { unlimited_quota: true, group: "eleven" });
    await expectBilled(u.api, await chat(sdk(tok.key), "edge-250-m11"), {
      kind: "usage",
      quota: 55,
      group: "eleven",
      multiplier: "1.1",
    });
  });

  test("POST /v1/images/generations with n=3 on a per-call model is billed 3 × per_call", async () => {
    const seen = upstreamCalls("edge-image");
    const o = await attempt(() =>
      c.images.generate({ model: "edge-image", prompt: "a lighthouse at dawn", n: 3 }).withResponse(),
    );
    expect({ status: o.status, message: o.message }).toEqual({ status: 200, message: "" });
    expect(o.data.data.length).toBe(3);
    expect(upstreamCalls("edge-image")).toBe(seen + 1);
    expect(mock.requests.filter((r) => r.body?.model === "edge-image").at(-1)).toMatchObject({
      path: "/v1/images/generations",
      body: { n: 3 },
    });
    // $0.04 = 20,000 units per image
    const row = await expectBilled(u.api, o, { kind: "per_call", quota: 60_000 });
    expect(row.other.n).toBe(3);
  });
});

describe("unlimited users and unlimited tokens", () => {
  // usage prices $1 / $2 per 1M, prompt 10 / completion 5 → 10 units
  const model = "unlimited-usage";

  beforeAll(async () => {
    await setPrice(model, { input: "1", output: "2" });
    await addChannel([model]);
  });

  test("an unlimited user's calls are costed and logged; used quota grows, balance untouched; the token limit still applies", async () => {
    const u = await newUser("unlimited-user", { topUp: 1000, unlimited: true });
    // the limit must cover a usage hold: prompt bound + 8,192 output tokens × $2 ≈ 8,200 units
    const tok = await newToken(u, { remain_quota: 100_000 });
    const c = sdk(tok.key);
    for (let i = 0; i < 3; i++) await expectBilled(u.api, await chat(c, model), { kind: "usage", quota: 10 });
    const self = await getSelf(u);
    expect(self).toMatchObject({ unlimited: true, quota: 1000, used_quota: 30 });
    const t = await getToken(u, tok.id);
    expect({ remain: t.remain_quota, used: t.used_quota }).toEqual({ remain: 99_970, used: 30 });
    const rows = await settledRows(u.api, (r) => r.token_id === tok.id, 3);
    for (const r of rows) expect(r.quota).toBeGreaterThan(0);
    expect(sum(rows)).toBe(30);
  });

  test("an unlimited token skips its own limit but the user's balance applies (balance 0 → 429)", async () => {
    const u = await newUser("unlimited-token-user");
    expect(await getSelf(u)).toMatchObject({ quota: 0, unlimited: false });
    const tok = await newToken(u, { unlimited_quota: true });
    const c = sdk(tok.key);
    const seen = upstreamCalls(model);
    const refused = await chat(c, model);
    expectInsufficient(refused);
    expect(upstreamCalls(model)).toBe(seen);
    const row = await rowOf(u.api, refused.requestId);
    expect({ quota: row.quota, error_code: row.error_code }).toEqual({ quota: 0, error_code: "insufficient_quota" });
    expect((await getSelf(u)).quota).toBe(0);

    expectReply(await admin.post(`/api/user/${u.id}/topup`, { quota: 100_000 }), 200);
    await expectBilled(u.api, await chat(c, model), { kind: "usage", quota: 10 });
    expect(upstreamCalls(model)).toBe(seen + 1);
    expect(await getSelf(u)).toMatchObject({ quota: 99_990, used_quota: 10 });
    const t = await getToken(u, tok.id);
    expect({ remain: t.remain_quota, used: t.used_quota, unlimited: t.unlimited_quota }).toEqual({
      remain: 0,
      used: 10,
      unlimited: true,
    });
  });
});
