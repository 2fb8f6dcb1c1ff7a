// Money as users see it, after real billed calls through the mock upstream: the balance and used
// quota of GET /api/user/self, each token's used and remaining quota in GET /api/token/, the cost and
// the JSON `other` (billing, prices, group multiplier, usage, hold, refund) of each /api/log/self row,
// top-ups (type 1) and admin adjustments (type 3) as rows, and the usage_daily rollups in the SQLite
// file (read-only, after a GET that flushes the ledger) agreeing with the rows they sum.
import { beforeAll, afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import { ON_POSTGRES, readRows } from "../../support/backend";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let mock: MockUpstream;
let admin: ReturnType<typeof client>;
let carol: Awaited<ReturnType<typeof makeUser>>;

const TOPUP = 2_000_000;
const ADJUST = -1_000;
const CHAT_PRICE = { input: "1.1", output: "4.4", cached_input: "0.275" };
const IMG_PRICE = { per_call: "0.04" };
const VIP_MULTIPLIER = "1.5";

type Tok = { id: number; key: string; remain: number; unlimited: boolean };
const tokens: Record<"limited" | "open" | "vip", Tok> = {} as never;
let startQuota = 0;
let adminKey = "";

/** "1.1" → 1,100,000 (exact, by string) */
const micros = (usd: string | null | undefined) => {
  if (usd === null || usd === undefined) return 0n;
  const [w, f = ""] = usd.split(".");
  return BigInt(w) * 1_000_000n + BigInt(f.padEnd(6, "0"));
};
const ceilDiv = (n: bigint, d: bigint) => Number((n + d - 1n) / d);

/** The formula, computed here on its own: ceil((uncached×in + cached×cached + out×out) / 1e6 × 500,000 × m). */
function usageCost(u: { prompt: number; cached: number; completion: number }, p: typeof CHAT_PRICE, m = "1") {
  const sum =
    BigInt(u.prompt - u.cached) * micros(p.input) +
    BigInt(u.cached) * micros(p.cached_input) +
    BigInt(u.completion) * micros(p.output);
  return ceilDiv(sum * 500_000n * micros(m), 10n ** 18n);
}
const perCallCost = (p: typeof IMG_PRICE, n: number, m = "1") =>
  ceilDiv(micros(p.per_call) * BigInt(n) * 500_000n * micros(m), 10n ** 12n);

type Usage = { prompt: number; cached: number; completion: number };
type Done = {
  requestId: string;
  token: keyof typeof tokens | "admin";
  model: string;
  group: string;
  cost: number;
  usage: Usage | null;
  kind: "usage" | "per_call";
  m: string;
  /** the upstream reported more prompt tokens than the prompt can have: the cost exceeds the hold */
  beyondHold: boolean;
};

/** A prompt long enough (≈2,400 bytes) that the local bound covers the mock's reported prompt counts. */
const LONG_PROMPT = "How much does this cost? ".repeat(100);
const done: Done[] = [];

async function chat(key: string, opts: { stream?: boolean; model?: string; content?: string } = {}) {
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: opts.model ?? "bill-model",
      stream: opts.stream ?? false,
      max_tokens: 600,
      messages: [{ role: "user", content: opts.content ?? LONG_PROMPT }],
    }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`chat: ${res.status} ${text}`);
  return res.headers.get("x-request-id")!;
}

async function billedChat(
  token: keyof typeof tokens | "admin",
  usage: Usage,
  opts: { stream?: boolean; group?: string; m?: string; content?: string } = {},
) {
  mock.set({ promptTokens: usage.prompt, completionTokens: usage.completion, cachedTokens: usage.cached || undefined });
  const key = token === "admin" ? adminKey : tokens[token].key;
  const requestId = await chat(key, opts);
  const m = opts.m ?? "1";
  done.push({
    requestId,
    token,
    model: "bill-model",
    group: opts.group ?? "default",
    cost: usageCost(usage, CHAT_PRICE, m),
    usage,
    kind: "usage",
    m,
    beyondHold: opts.content !== undefined,
  });
}

async function billedImages(token: keyof typeof tokens, n: number) {
  const res = await fetch(`${app.url}/v1/images/generations`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[token].key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "img-model", prompt: "a receipt", n }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`images: ${res.status} ${text}`);
  done.push({
    requestId: res.headers.get("x-request-id")!,
    token,
    model: "img-model",
    group: "default",
    cost: perCallCost(IMG_PRICE, n),
    usage: null,
    kind: "per_call",
    m: "1",
    beyondHold: false,
  });
}

const carolCalls = () => done.filter((d) => d.token !== "admin");
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function carolLogs(query = ""): Promise<any[]> {
  const data = expectReply(await carol.api.get(`/api/log/self?pageSize=100${query}`), 200);
  expect(data.total).toBeLessThanOrEqual(100);
  return data.items;
}

beforeAll(async () => {
  mock = startMockUpstream({ models: ["bill-model", "img-model"] });
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "vip", multiplier: VIP_MULTIPLIER }), 201);
  expectReply(
    await admin.post("/api/channel/", {
      name: "main",
      base_url: mock.url,
      key: "sk-up-views",
      models: ["bill-model", "img-model"],
      group: ["default", "vip"],
    }),
    201,
  );
  await priceModels(app.url, adminAuth, "bill-model", CHAT_PRICE);
  await priceModels(app.url, adminAuth, "img-model", IMG_PRICE);

  carol = await makeUser(app.url, adminAuth, "carol");
  startQuota = expectReply(await carol.api.get("/api/user/self"), 200).quota;
  expectReply(await admin.post(`/api/user/${carol.id}/topup`, { quota: TOPUP }), 200);
  expectReply(await admin.post(`/api/user/${carol.id}/adjust`, { delta: ADJUST, reason: "goodwill correction" }), 200);

  const make = async (name: keyof typeof tokens, body: Record<string, unknown>) => {
    const t = expectReply(await carol.api.post("/api/token/", { name, ...body }), 201);
    tokens[name] = { id: t.id, key: t.key, remain: t.remain_quota, unlimited: t.unlimited_quota };
  };
  await make("limited", { remain_quota: 300_000, unlimited_quota: false });
  await make("open", { unlimited_quota: true });
  await make("vip", { remain_quota: 100_000, unlimited_quota: false, group: "vip" });
  adminKey = expectReply(await admin.post("/api/token/", { name: "admin-calls", unlimited_quota: true }), 201).key;

  await billedChat("limited", { prompt: 1000, cached: 0, completion: 500 }); // 1,650 units
  await billedChat("limited", { prompt: 2000, cached: 1200, completion: 333 }); // 1,337.6 → 1,338
  await billedChat("limited", { prompt: 7, cached: 0, completion: 3 }, { stream: true }); // 10.45 → 11
  await billedChat("open", { prompt: 10, cached: 0, completion: 5 }); // 16.5 → 17
  // "hi" cannot be 5,000 tokens: the hold (bounded by the prompt's bytes) is below the cost; the
  // balance covers the excess, so it is charged in full
  await billedChat("open", { prompt: 5000, cached: 0, completion: 10 }, { content: "hi" }); // 2,772
  await billedImages("open", 2); // $0.08 = 40,000
  await billedChat("vip", { prompt: 1000, cached: 0, completion: 500 }, { group: "vip", m: VIP_MULTIPLIER }); // 2,475
  await billedChat("admin", { prompt: 100, cached: 0, completion: 100 }); // 275
});

afterAll(() => mock?.stop());

describe("costs", () => {
  test("the test's own formula gives the issue's figures", () => {
    expect(done.map((d) => d.cost)).toEqual([1_650, 1_338, 11, 17, 2_772, 40_000, 2_475, 275]);
  });
});

describe("GET /api/user/self", () => {
  test("the balance is start + top-up + adjustment − Σ costs; used_quota is Σ costs", async () => {
    const me = expectReply(await carol.api.get("/api/user/self"), 200);
    const spent = sum(carolCalls().map((d) => d.cost));
    expect(me.quota).toBe(startQuota + TOPUP + ADJUST - spent);
    expect(me.used_quota).toBe(spent);
    expect(me.request_count).toBe(carolCalls().length);
  });

  test("an unlimited account (the first admin): the balance does not move, used_quota still grows", async () => {
    const before = expectReply(await admin.get("/api/user/self"), 200);
    expect(before.unlimited).toBe(true);
    const adminCost = sum(done.filter((d) => d.token === "admin").map((d) => d.cost));
    expect(before.used_quota).toBe(adminCost);
    await billedChat("admin", { prompt: 1, cached: 0, completion: 1 });
    const after = expectReply(await admin.get("/api/user/self"), 200);
    expect(after.quota).toBe(before.quota);
    expect(after.used_quota).toBe(before.used_quota + done[done.length - 1].cost);
    expect(done[done.length - 1].cost).toBeGreaterThan(0);
  });
});

describe("GET /api/token/", () => {
  test("each token shows its used quota and what remains of its limit", async () => {
    const items = expectReply(await carol.api.get("/api/token/?pageSize=100"), 200).items as any[];
    const byId = new Map(items.map((t) => [t.id, t]));
    for (const [name, t] of Object.entries(tokens) as [keyof typeof tokens, Tok][]) {
      const used = sum(done.filter((d) => d.token === name).map((d) => d.cost));
      expect(used).toBeGreaterThan(0);
      const view = byId.get(t.id);
      expect(view).toMatchObject({
        name,
        used_quota: used,
        unlimited_quota: t.unlimited,
        remain_quota: t.unlimited ? t.remain : t.remain - used,
      });
      expect(view.request_count).toBe(done.filter((d) => d.token === name).length);
    }
    expect(byId.get(tokens.limited.id).remain_quota).toBe(300_000 - 1_650 - 1_338 - 11);
    expect(byId.get(tokens.vip.id).remain_quota).toBe(100_000 - 2_475);
    // carol's untouched default token
    const def = items.find((t) => t.name === "default");
    expect(def).toMatchObject({ used_quota: 0 });
  });
});

describe("GET /api/log/self", () => {
  test("each consume row carries its cost and how it came about in `other`", async () => {
    const rows = await carolLogs("&type=2");
    expect(rows.length).toBe(carolCalls().length);
    for (const d of carolCalls()) {
      const row = rows.find((r) => r.request_id === d.requestId);
      expect(row).toBeDefined();
      expect(row).toMatchObject({
        type: LOG_TYPE.consume,
        user_id: carol.id,
        token_id: tokens[d.token as keyof typeof tokens].id,
        model_name: d.model,
        group: d.group,
        quota: d.cost,
      });
      const o = row.other;
      expect(o.billing).toBe(d.kind);
      expect(o.group_multiplier).toBe(d.m);
      if (d.kind === "usage") {
        expect(o.prices).toMatchObject({
          input: CHAT_PRICE.input,
          output: CHAT_PRICE.output,
          cached_input: CHAT_PRICE.cached_input,
          per_call: null,
        });
        expect(o.usage).toEqual(d.usage);
        expect({ prompt: row.prompt_tokens, cached: row.cached_tokens, completion: row.completion_tokens }).toEqual(
          d.usage!,
        );
      } else {
        expect(o.prices).toMatchObject({ input: null, output: null, per_call: IMG_PRICE.per_call });
      }
      expect(typeof o.hold).toBe("number");
      if (d.beyondHold) {
        // charged beyond the hold (the balance had it): nothing to give back, no shortfall
        expect(o.hold).toBeLessThan(d.cost);
        expect(o.refund).toBe(0);
      } else {
        // the hold bounded the cost; what was not spent went back
        expect(o.hold).toBeGreaterThanOrEqual(d.cost);
        expect(o.refund).toBe(o.hold - d.cost);
      }
      expect(o.shortfall).toBe(0);
    }
    // the per-call hold is exactly the price × n
    const img = rows.find((r) => r.model_name === "img-model");
    expect(img.other.hold).toBe(40_000);
    expect(img.other.refund).toBe(0);
  });

  test("the top-up (type 1) and the admin adjustment (type 3) are rows with their amounts", async () => {
    const topups = await carolLogs("&type=1");
    expect(topups.length).toBe(1);
    expect(topups[0]).toMatchObject({ type: LOG_TYPE.topup, user_id: carol.id, quota: TOPUP });
    const adjustments = await carolLogs("&type=3");
    expect(adjustments.length).toBe(1);
    expect(adjustments[0]).toMatchObject({ type: LOG_TYPE.admin, user_id: carol.id, quota: ADJUST });
    expect(adjustments[0].content).toContain("goodwill correction");
    // unfiltered, they are among carol's rows, and carol sees no one else's
    const all = await carolLogs();
    expect(all.map((r) => r.type).sort()).toEqual([1, 3, ...carolCalls().map(() => 2)].sort());
    expect(all.every((r) => r.user_id === carol.id)).toBe(true);
  });

  test("the balance reconciles with the rows: start + Σ top-ups/adjustments − Σ costs", async () => {
    const all = await carolLogs();
    const moves = sum(all.filter((r) => r.type === LOG_TYPE.topup || r.type === LOG_TYPE.admin).map((r) => r.quota));
    const costs = sum(all.filter((r) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error).map((r) => r.quota));
    const me = expectReply(await carol.api.get("/api/user/self"), 200);
    expect(me.quota).toBe(startQuota + moves - costs);
    expect(me.used_quota).toBe(costs);
  });
});

describe("usage_daily rollups", () => {
  type Rollup = {
    day: string;
    user_id: number;
    token_id: number;
    model: string;
    group: string;
    calls: number;
    prompt_tokens: number;
    cached_tokens: number;
    completion_tokens: number;
    quota: number;
  };

  const readRollups = () =>
    readRows<Rollup>(
      app.server.dataDir,
      `SELECT day, user_id, token_id, model, "group", calls, prompt_tokens, cached_tokens, completion_tokens, quota FROM usage_daily`,
    );

  test("per (day, user, token, model, group): Σ quota = Σ logged costs; calls and tokens match the rows", async () => {
    const all = await carolLogs(); // this GET also flushes the ledger
    const callRows = all.filter((r) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error);
    const rollups = (await readRollups()).filter((r) => r.user_id === carol.id);

    const keyOf = (day: string, token: number, model: string, group: string) =>
      JSON.stringify([day, token, model, group]);
    const want = new Map<
      string,
      { calls: number; prompt: number; cached: number; completion: number; quota: number }
    >();
    for (const r of callRows) {
      const k = keyOf(new Date(r.created_at_ms).toISOString().slice(0, 10), r.token_id, r.model_name, r.group);
      const w = want.get(k) ?? { calls: 0, prompt: 0, cached: 0, completion: 0, quota: 0 };
      w.calls++;
      w.prompt += r.prompt_tokens;
      w.cached += r.cached_tokens;
      w.completion += r.completion_tokens;
      w.quota += r.quota;
      want.set(k, w);
    }
    const got = new Map(
      rollups.map((r) => [
        keyOf(r.day, r.token_id, r.model, r.group),
        {
          calls: r.calls,
          prompt: r.prompt_tokens,
          cached: r.cached_tokens,
          completion: r.completion_tokens,
          quota: r.quota,
        },
      ]),
    );
    expect(got).toEqual(want);
    // limited × bill-model, open × bill-model, open × img-model, vip × bill-model in the vip group
    expect(got.size).toBe(4);

    const loggedCost = sum(callRows.map((r) => r.quota));
    expect(sum(rollups.map((r) => r.quota))).toBe(loggedCost);
    expect(loggedCost).toBe(sum(carolCalls().map((d) => d.cost)));
    expect(sum(rollups.map((r) => r.calls))).toBe(callRows.length);
    expect(sum(rollups.map((r) => r.prompt_tokens))).toBe(sum(callRows.map((r) => r.prompt_tokens)));
    expect(sum(rollups.map((r) => r.completion_tokens))).toBe(sum(callRows.map((r) => r.completion_tokens)));
    // the rollup of the vip group is at its multiplier
    expect(rollups.find((r) => r.group === "vip")!.quota).toBe(2_475);
    // and it agrees with the balance
    const me = expectReply(await carol.api.get("/api/user/self"), 200);
    expect(me.used_quota).toBe(loggedCost);
  });

  test("the unlimited admin's calls are rolled up at their cost too", async () => {
    const adminId = expectReply(await admin.get("/api/user/self"), 200).id; // the GET flushes
    const mine = (await readRollups()).filter((r) => r.user_id === adminId);
    const adminCalls = done.filter((d) => d.token === "admin");
    expect(sum(mine.map((r) => r.calls))).toBe(adminCalls.length);
    expect(sum(mine.map((r) => r.quota))).toBe(sum(adminCalls.map((d) => d.cost)));
  });
});

describe("a cost beyond the hold and beyond the balance", () => {
  test("is charged only as far as the balance goes; the row records the shortfall; the balance stops at 0", async () => {
    const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
    const dave = await makeUser(app.url, adminAuth, "dave");
    const start = expectReply(await dave.api.get("/api/user/self"), 200).quota;
    expectReply(await admin.post(`/api/user/${dave.id}/topup`, { quota: 3_000 }), 200);
    const key = expectReply(await dave.api.post("/api/token/", { name: "short", unlimited_quota: true }), 201)
      .key as string;

    // "hi" is held as a few tokens; the upstream reports 10,000: $0.011044 = 5,522 units against 3,000 + start
    const usage = { prompt: 10_000, cached: 0, completion: 10 };
    mock.set({ promptTokens: usage.prompt, completionTokens: usage.completion, cachedTokens: undefined });
    const requestId = await chat(key, { content: "hi" });
    const cost = usageCost(usage, CHAT_PRICE);
    expect(cost).toBe(5_522);
    const balance = start + 3_000;

    const me = expectReply(await dave.api.get("/api/user/self"), 200);
    const rows = expectReply(await dave.api.get(`/api/log/self?type=2&request_id=${requestId}`), 200).items as any[];
    expect(rows.length).toBe(1);
    if (ON_POSTGRES) {
      // beyond its hold a call is charged only what its instance's lease has free (README, PostgreSQL: "One
      // difference in billing"): never more than the balance, the rest a shortfall, every unit accounted
      const charged = rows[0].quota as number;
      expect(charged).toBeGreaterThanOrEqual(rows[0].other.hold);
      expect(charged).toBeLessThanOrEqual(balance);
      expect(rows[0].other).toMatchObject({ refund: 0, shortfall: cost - charged });
      expect({ quota: me.quota, used: me.used_quota }).toEqual({ quota: balance - charged, used: charged });
      return;
    }
    expect(me.quota).toBe(Math.max(0, balance - cost));
    expect(me.used_quota).toBe(Math.min(balance, cost));

    expect(rows[0].quota).toBe(Math.min(balance, cost));
    expect(rows[0].other).toMatchObject({ billing: "usage", refund: 0, shortfall: Math.max(0, cost - balance) });
    expect(rows[0].other.hold).toBeLessThan(cost);

    const t = (expectReply(await dave.api.get("/api/token/"), 200).items as any[]).find((x) => x.name === "short");
    expect(t.used_quota).toBe(Math.min(balance, cost));

    // nothing left: the next call is refused before the upstream, and the balance stays at 0
    expect(balance).toBeLessThan(cost);
    {
      const seen = mock.requests.length;
      const res = await fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "bill-model", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get("x-should-retry")).toBe("false");
      expect((await res.json()).error.code).toBe("insufficient_quota");
      expect(mock.requests.length).toBe(seen);
      expect(expectReply(await dave.api.get("/api/user/self"), 200).quota).toBe(0);
    }
  });
});
