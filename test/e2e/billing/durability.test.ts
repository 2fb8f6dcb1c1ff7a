// Billing durability and exactness, through a real server and the mock upstream: streams abandoned by
// the client or cut by the upstream are billed for the prompt plus what was delivered (never the full
// answer, never the error text); a call that delivered nothing costs 0; a cost above the hold is
// charged only as far as the balance goes (the rest is the row's shortfall); a hold is in the database
// (with its deduction) while its call is in flight; and after kill -9 under load, the restarted server
// releases the holds so that balance + Σ logged costs = initial, for the user and for every token.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { LOG_TYPE } from "../../../src/core/status";
import { crash } from "../../support/crash";
import { ON_POSTGRES, sqliteOnly } from "../../support/backend";
import { expectReply } from "../../support/expect";
import { splitText, startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  call,
  login,
  makeUser,
  priceModels,
  removeDir,
  scratchDirs,
  startServer,
  useServer,
  type Auth,
  type Server,
} from "../../support/server";

const app = useServer();
const scratch = scratchDirs("apiyi-durability-");
/** the mock's reply: 200 words, so a 200-chunk stream has a few tokens in every chunk */
const REPLY = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
const PROMPT = "Tell me a long story about durable holds and exact money.";
const PROMPT_TOKENS = countTokens(PROMPT);
/** $1 / $2 per 1M tokens at multiplier 1: 0.5 unit per prompt token, 1 unit per completion token */
const costOf = (prompt: number, completion: number) => Math.ceil((prompt + 2 * completion) / 2);

let mock: MockUpstream;
let adminAuth: Auth;
let serial = 0;

beforeAll(async () => {
  mock = startMockUpstream({ reply: REPLY });
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
});
afterAll(() => mock?.stop());

/** A channel on `baseUrl` serving one new model, priced $1 / $2 per 1M tokens (plus `price`). */
async function newModel(base: string, auth: Auth, baseUrl: string, price: Record<string, unknown> = {}) {
  const model = `dur-model-${++serial}`;
  const key = `sk-up-${crypto.randomUUID().replaceAll("-", "")}`;
  const r = await call(
    base,
    "POST",
    "/api/channel/",
    { name: `dur-chan-${serial}`, type: "openai", key, group: ["default"], base_url: baseUrl, models: [model] },
    auth,
  );
  expectReply(r, 201);
  await priceModels(base, auth, model, { input: "1", output: "2", ...price });
  return { model, key };
}

type Account = {
  id: number;
  username: string;
  auth: Auth;
  balance: number;
  tokens: { id: number; key: string; quota: number }[];
};

/** A user (not unlimited) with `balance` units and one limited token per entry of `quotas`. */
async function newAccount(base: string, auth: Auth, balance: number, quotas: number[]): Promise<Account> {
  const username = `dur-user-${++serial}`;
  const u = await makeUser(base, auth, username);
  const user = expectReply(await call(base, "POST", `/api/user/${u.id}/topup`, { quota: balance }, auth), 200);
  expect(user).toMatchObject({ quota: balance, unlimited: false });
  const tokens = [];
  for (const [i, quota] of quotas.entries()) {
    const t = expectReply(await u.api.post("/api/token/", { name: `t${i}`, remain_quota: quota }), 201);
    expect(t).toMatchObject({ remain_quota: quota, unlimited_quota: false });
    tokens.push({ id: t.id as number, key: t.key as string, quota });
  }
  return { id: u.id, username, auth: u.auth, balance, tokens };
}

const chat = (base: string, key: string, body: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: PROMPT }], ...body }),
    signal,
  });

/** The SSE data payloads of a whole stream body. */
const events = (text: string) =>
  text
    .split(/\r?\n\r?\n/)
    .filter((e) => e.trim() !== "")
    .map((e) => e.replace(/^data: /, ""));
const contentOf = (payload: string): string => {
  if (payload === "[DONE]") return "";
  const o = JSON.parse(payload);
  return o.choices?.[0]?.delta?.content ?? o.choices?.[0]?.text ?? "";
};

/** The log row of a request, once it is written. */
async function logRow(base: string, auth: Auth, requestId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const items = expectReply(
      await call(base, "GET", `/api/log/?request_id=${encodeURIComponent(requestId)}`, undefined, auth),
      200,
    ).items;
    if (items.length > 0) return items[0];
    if (Date.now() > until) throw new Error(`no log row for request ${requestId}`);
    await Bun.sleep(20);
  }
}

/** Every log row of a user (all pages). */
async function userRows(base: string, auth: Auth, userId: number): Promise<any[]> {
  const rows: any[] = [];
  for (let p = 1; ; p++) {
    const page = expectReply(
      await call(base, "GET", `/api/log/?user_id=${userId}&p=${p}&size=100`, undefined, auth),
      200,
    );
    rows.push(...page.items);
    if (page.items.length < 100 || rows.length >= page.total) return rows;
  }
}
const isCall = (r: any) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The user's balance and every token's remain/used, as the API shows them. */
async function balances(base: string, admin: Auth, acct: Account) {
  const user = expectReply(await call(base, "GET", `/api/user/${acct.id}`, undefined, admin), 200);
  const tokens = [];
  for (const t of acct.tokens)
    tokens.push(expectReply(await call(base, "GET", `/api/token/${t.id}`, undefined, acct.auth), 200));
  return { user, tokens };
}

/** Asserts the money of an account that made only the calls `rows` record: nothing lost, nothing made. */
async function expectReconciled(base: string, admin: Auth, acct: Account) {
  const rows = (await userRows(base, admin, acct.id)).filter(isCall);
  const { user, tokens } = await balances(base, admin, acct);
  const costs = sum(rows.map((r) => r.quota));
  expect(user.quota).toBeGreaterThanOrEqual(0);
  expect(user.quota + costs).toBe(acct.balance);
  expect(user.used_quota).toBe(costs);
  for (const [i, t] of tokens.entries()) {
    const tokenCosts = sum(rows.filter((r) => r.token_id === acct.tokens[i].id).map((r) => r.quota));
    expect(t.remain_quota).toBeGreaterThanOrEqual(0);
    expect({ token: t.id, total: t.remain_quota + t.used_quota, used: t.used_quota }).toEqual({
      token: t.id,
      total: acct.tokens[i].quota,
      used: tokenCosts,
    });
  }
  return { rows, user, tokens, costs };
}

describe("streams are billed for what was delivered", () => {
  test("a client that abandons a long stream after K chunks pays prompt + the delivered chunks, never the full answer", async () => {
    const CHUNKS = 200;
    const K = 20;
    const { model, key: upKey } = await newModel(app.url, adminAuth, mock.urlFor(`ok,intervalMs=20,chunks=${CHUNKS}`));
    const acct = await newAccount(app.url, adminAuth, 1_000_000, [500_000]);
    const pieces = splitText(REPLY, CHUNKS);

    const controller = new AbortController();
    const res = await chat(app.url, acct.tokens[0].key, { model, stream: true }, controller.signal);
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let received = "";
    let contentChunks = 0;
    while (contentChunks < K) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended after ${contentChunks} content chunks`);
      buffer += decoder.decode(value, { stream: true });
      const parts = buffer.split("\n\n");
      buffer = parts.pop()!;
      for (const e of events(parts.join("\n\n"))) {
        const c = contentOf(e);
        if (c) (received += c), contentChunks++;
      }
    }
    controller.abort();
    await reader.cancel().catch(() => {});
    expect(received).toBe(pieces.slice(0, contentChunks).join(""));

    const row = await logRow(app.url, adminAuth, requestId);
    const upstream = mock.requests.find((r) => r.headers.authorization === `Bearer ${upKey}`)!;
    // the gateway read between what the client got and what the upstream had sent (role event + contents)
    const sentContents = upstream.sent - 1;
    expect(sentContents).toBeLessThan(CHUNKS);
    const possible: number[] = [];
    for (let j = contentChunks; j <= sentContents; j++) possible.push(countTokens(pieces.slice(0, j).join("")));
    expect(row).toMatchObject({
      type: LOG_TYPE.error,
      error_code: "client_disconnected",
      is_stream: true,
      user_id: acct.id,
      token_id: acct.tokens[0].id,
    });
    expect(row.prompt_tokens).toBe(PROMPT_TOKENS);
    expect(possible).toContain(row.completion_tokens);
    expect(row.completion_tokens).toBeGreaterThanOrEqual(countTokens(received));
    expect(row.quota).toBe(costOf(row.prompt_tokens, row.completion_tokens));
    expect(row.quota).toBeLessThan(costOf(PROMPT_TOKENS, countTokens(REPLY)));
    // the hold's remainder went back
    expect(row.other.hold).toBeGreaterThan(row.quota);
    expect(row.other.refund).toBe(row.other.hold - row.quota);

    const { costs, tokens } = await expectReconciled(app.url, adminAuth, acct);
    expect(costs).toBe(row.quota);
    expect(tokens[0].remain_quota).toBe(500_000 - row.quota);
  });

  test("an upstream cut after K chunks bills prompt + exactly the K delivered chunks, never the error text", async () => {
    const CHUNKS = 40;
    const K = 7;
    const { model } = await newModel(app.url, adminAuth, mock.urlFor(`cut_after=${K},chunks=${CHUNKS},intervalMs=5`));
    const acct = await newAccount(app.url, adminAuth, 1_000_000, [500_000]);
    const delivered = splitText(REPLY, CHUNKS).slice(0, K).join("");

    const res = await chat(app.url, acct.tokens[0].key, {
      model,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    const payloads = events(await res.text());
    expect(payloads).not.toContain("[DONE]");
    const last = JSON.parse(payloads.at(-1)!);
    expect(last.error?.code).toBe("upstream_stream_interrupted");
    expect(payloads.slice(0, -1).map(contentOf).join("")).toBe(delivered);

    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.error, error_code: "upstream_stream_interrupted", is_stream: true });
    expect(row.prompt_tokens).toBe(PROMPT_TOKENS);
    expect(row.completion_tokens).toBe(countTokens(delivered));
    expect(row.completion_tokens).toBeLessThan(countTokens(delivered + last.error.message));
    expect(row.quota).toBe(costOf(PROMPT_TOKENS, countTokens(delivered)));
    expect(row.other.refund).toBe(row.other.hold - row.quota);

    const { costs } = await expectReconciled(app.url, adminAuth, acct);
    expect(costs).toBe(row.quota);
  });
});

describe("calls that delivered nothing cost nothing", () => {
  test("a stream cut before its first chunk costs 0 and gives the whole hold back", async () => {
    const { model } = await newModel(app.url, adminAuth, mock.urlFor("cut_after=0,chunks=10"));
    const acct = await newAccount(app.url, adminAuth, 100_000, [50_000]);
    // /v1/completions streams have no role event: the cut comes before anything at all
    const res = await fetch(`${app.url}/v1/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${acct.tokens[0].key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, prompt: PROMPT, stream: true }),
    });
    // the cut may come before the upstream's headers (a failed attempt) or after them (an empty stream)
    const text = await res.text();
    if (res.status === 200) expect(events(text).map(contentOf).join("")).toBe("");
    else expect(res.status).toBeGreaterThanOrEqual(500);

    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.error, quota: 0 });
    expect(row.other.hold).toBeGreaterThan(0);
    expect(row.other.refund).toBe(row.other.hold);

    const { user, tokens } = await expectReconciled(app.url, adminAuth, acct);
    expect(user.quota).toBe(100_000);
    expect(tokens[0]).toMatchObject({ remain_quota: 50_000, used_quota: 0 });
  });

  test("a chat stream cut after only the role event (no output at all) costs 0 and gives the whole hold back", async () => {
    const { model } = await newModel(app.url, adminAuth, mock.urlFor("cut_after=0,chunks=10"));
    const acct = await newAccount(app.url, adminAuth, 100_000, [50_000]);
    const res = await chat(app.url, acct.tokens[0].key, { model, stream: true });
    const text = await res.text();
    if (res.status === 200) {
      const payloads = events(text);
      expect(payloads.map(contentOf).join("")).toBe("");
      expect(JSON.parse(payloads.at(-1)!).error?.code).toBe("upstream_stream_interrupted");
    } else expect(res.status).toBeGreaterThanOrEqual(500);

    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.error, completion_tokens: 0 });
    expect({ quota: row.quota, refund: row.other.refund }).toEqual({ quota: 0, refund: row.other.hold });
    const { user, tokens } = await expectReconciled(app.url, adminAuth, acct);
    expect(user.quota).toBe(100_000);
    expect(tokens[0]).toMatchObject({ remain_quota: 50_000, used_quota: 0 });
  });

  test("a call whose every upstream attempt failed costs 0 and gives the whole hold back", async () => {
    const { model } = await newModel(app.url, adminAuth, mock.urlFor("status=500"));
    const acct = await newAccount(app.url, adminAuth, 100_000, [50_000]);
    for (const stream of [false, true]) {
      const res = await chat(app.url, acct.tokens[0].key, { model, stream });
      expect(res.status).toBeGreaterThanOrEqual(500);
      await res.text();
      const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
      expect(row).toMatchObject({ type: LOG_TYPE.error, quota: 0 });
      expect(row.other.hold).toBeGreaterThan(0);
      expect(row.other.refund).toBe(row.other.hold);
    }
    const { user, tokens, rows } = await expectReconciled(app.url, adminAuth, acct);
    expect(rows).toHaveLength(2);
    expect(user).toMatchObject({ quota: 100_000, used_quota: 0 });
    expect(tokens[0]).toMatchObject({ remain_quota: 50_000, used_quota: 0 });
  });
});

// a cost above the hold is charged beyond it from the whole balance on SQLite; on PostgreSQL from what the
// instance's lease has free only (README, PostgreSQL: "One difference in billing"), the rest a shortfall
describe.skipIf(ON_POSTGRES)("a cost above the hold", () => {
  // hold cap 10 output tokens; the upstream reports 10 prompt + 1,000 completion tokens: cost 1,005
  const COST = costOf(10, 1000);

  test("is charged only as far as the user's balance goes: the balance ends at exactly 0, the rest is the shortfall", async () => {
    const { model } = await newModel(app.url, adminAuth, mock.urlFor("ok,completionTokens=1000"), {
      hold_cap_tokens: 10,
    });
    const BALANCE = 300;
    const acct = await newAccount(app.url, adminAuth, BALANCE, [1_000_000]);

    const res = await chat(app.url, acct.tokens[0].key, { model });
    expect(res.status).toBe(200);
    expect((await res.json()).usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 1000 });
    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.consume, prompt_tokens: 10, completion_tokens: 1000, quota: BALANCE });
    expect(row.other.hold).toBeLessThanOrEqual(BALANCE);
    expect(row.other).toMatchObject({ cost: COST, shortfall: COST - BALANCE, refund: 0 });

    const { user, tokens } = await expectReconciled(app.url, adminAuth, acct);
    expect(user).toMatchObject({ quota: 0, used_quota: BALANCE });
    expect(tokens[0]).toMatchObject({ remain_quota: 1_000_000 - BALANCE, used_quota: BALANCE });

    // an empty balance takes no further call, and is never pushed below zero
    const again = await chat(app.url, acct.tokens[0].key, { model });
    expect(again.status).toBe(429);
    expect((await again.json()).error?.code).toBe("insufficient_quota");
    const after = await expectReconciled(app.url, adminAuth, acct);
    expect(after.user.quota).toBe(0);
  });

  test("is charged only as far as the token's quota goes when the token is the smaller limit", async () => {
    const { model } = await newModel(app.url, adminAuth, mock.urlFor("ok,completionTokens=1000"), {
      hold_cap_tokens: 10,
    });
    const TOKEN_QUOTA = 200;
    const acct = await newAccount(app.url, adminAuth, 100_000, [TOKEN_QUOTA]);

    const res = await chat(app.url, acct.tokens[0].key, { model });
    expect(res.status).toBe(200);
    await res.text();
    const row = await logRow(app.url, adminAuth, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({ type: LOG_TYPE.consume, quota: TOKEN_QUOTA });
    expect(row.other).toMatchObject({ cost: COST, shortfall: COST - TOKEN_QUOTA });

    const { user, tokens } = await expectReconciled(app.url, adminAuth, acct);
    expect(user.quota).toBe(100_000 - TOKEN_QUOTA);
    expect(tokens[0]).toMatchObject({ remain_quota: 0, used_quota: TOKEN_QUOTA });
  });
});

/** The database of a data dir, opened read-only. */
const openDb = (dataDir: string) => new Database(join(dataDir, "apiyi.db"), { readonly: true });

// SQLite's own machinery: a hold is a row, released at the next start (PostgreSQL's holds live in the
// instances' quota leases: test/e2e/cluster/crash.test.ts)
sqliteOnly("a hold is in the database, with its deduction, while its call is in flight, and gone after", async () => {
  const { model, key: upKey } = await newModel(app.url, adminAuth, mock.urlFor("ok,intervalMs=100,chunks=25"));
  const acct = await newAccount(app.url, adminAuth, 100_000, [50_000]);
  const db = openDb(app.server.dataDir);
  try {
    const res = await chat(app.url, acct.tokens[0].key, { model, stream: true, max_tokens: 100 });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    const body = res.text();
    await mock.waitFor(() => mock.requests.some((r) => r.headers.authorization === `Bearer ${upKey}`), 2000);

    // the ledger writes within ~100 ms; poll well under the call's 2.4 s
    const holdRow = () => db.query("SELECT * FROM holds WHERE request_id = ?").get(requestId) as any;
    const until = Date.now() + 2000;
    while (!holdRow() && Date.now() < until) await Bun.sleep(20);
    const hold = holdRow();
    expect(hold).toMatchObject({ user_id: acct.id, token_id: acct.tokens[0].id });
    expect(hold.user_amount).toBeGreaterThanOrEqual(costOf(PROMPT_TOKENS, 100));
    expect(hold.token_amount).toBe(hold.user_amount);
    const userNow = db.query("SELECT quota FROM users WHERE id = ?").get(acct.id) as any;
    const tokenNow = db.query("SELECT remain_quota, used_quota FROM tokens WHERE id = ?").get(acct.tokens[0].id) as any;
    expect(userNow.quota).toBe(100_000 - hold.user_amount);
    expect(tokenNow).toEqual({ remain_quota: 50_000 - hold.token_amount, used_quota: 0 });
    expect(payloadsDone(await body)).toBe(true);

    const row = await logRow(app.url, adminAuth, requestId);
    expect(row.other.hold).toBe(hold.user_amount);
    const gone = Date.now() + 3000;
    while (holdRow() && Date.now() < gone) await Bun.sleep(20);
    expect(holdRow()).toBeNull();
    expect((db.query("SELECT quota FROM users WHERE id = ?").get(acct.id) as any).quota).toBe(100_000 - row.quota);
    await expectReconciled(app.url, adminAuth, acct);
  } finally {
    db.close();
  }
});
const payloadsDone = (text: string) => events(text).at(-1) === "[DONE]";

// ---- kill -9 under load ----

sqliteOnly(
  "kill -9 under load, twice: the restart releases the holds, and balance + Σ logged costs = initial",
  async () => {
    const crashMock = startMockUpstream();
    const dataDir = scratch();
    let server: Server | undefined = await startServer({ dataDir });
    try {
      const admin = await login(server.url, "admin", ADMIN_PASSWORD);
      const models = {
        slowStream: (
          await newModel(server.url, admin, crashMock.urlFor("ok,intervalMs=200,chunks=25"), { hold_cap_tokens: 200 })
        ).model,
        slowJson: (
          await newModel(server.url, admin, crashMock.urlFor("slow_first_byte=5000"), { hold_cap_tokens: 200 })
        ).model,
        fast: (await newModel(server.url, admin, crashMock.urlFor("ok"), { hold_cap_tokens: 200 })).model,
      };
      // the first token runs short during a wave (some calls get 429), the others do not
      const acct = await newAccount(server.url, admin, 100_000, [12_000, 20_000, 25_000, 30_000]);
      const holdsReleased: number[] = [];

      for (let round = 0; round < 2; round++) {
        const url = server.url;
        const dbBefore = openDb(dataDir);
        const settledBefore = (
          dbBefore
            .query("SELECT count(*) AS n FROM logs WHERE user_id = ? AND type IN (2, 5) AND quota > 0")
            .get(acct.id) as any
        ).n as number;
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < 300; i++) {
          const model = [models.slowStream, models.slowJson, models.fast][i % 3];
          const stream = i % 3 === 0 || (i % 3 === 2 && i % 2 === 0);
          const key = acct.tokens[i % acct.tokens.length].key;
          calls.push(
            chat(url, key, { model, stream, messages: [{ role: "user", content: `crash round ${round} call ${i}` }] })
              .then((r) => r.text())
              .catch(() => null),
          );
        }
        // kill once many holds are durable and some calls have settled
        const until = Date.now() + 15_000;
        for (;;) {
          const holds = (dbBefore.query("SELECT count(*) AS n FROM holds WHERE user_id = ?").get(acct.id) as any)
            .n as number;
          const settled = (
            dbBefore
              .query("SELECT count(*) AS n FROM logs WHERE user_id = ? AND type IN (2, 5) AND quota > 0")
              .get(acct.id) as any
          ).n as number;
          if (holds >= 40 && settled - settledBefore >= 20) break;
          if (Date.now() > until)
            throw new Error(
              `round ${round}: only ${holds} holds and ${settled - settledBefore} settled calls in the database`,
            );
          await Bun.sleep(25);
        }
        dbBefore.close();
        await crash(server);
        server = undefined;
        await Promise.all(calls);

        // the database after the crash: what is held plus what was charged is what there was
        const db = openDb(dataDir);
        let held: number;
        try {
          held = (db.query("SELECT count(*) AS n FROM holds").get() as any).n;
          expect(held).toBeGreaterThan(0);
          const user = db.query("SELECT quota, used_quota FROM users WHERE id = ?").get(acct.id) as any;
          const userHeld = (
            db.query("SELECT coalesce(sum(user_amount), 0) AS s FROM holds WHERE user_id = ?").get(acct.id) as any
          ).s;
          const charged = (
            db
              .query("SELECT coalesce(sum(quota), 0) AS s FROM logs WHERE user_id = ? AND type IN (2, 5)")
              .get(acct.id) as any
          ).s;
          expect(user.quota + userHeld + charged).toBe(acct.balance);
          expect(user.used_quota).toBe(charged);
          for (const t of acct.tokens) {
            const row = db.query("SELECT remain_quota, used_quota FROM tokens WHERE id = ?").get(t.id) as any;
            const tokenHeld = (
              db.query("SELECT coalesce(sum(token_amount), 0) AS s FROM holds WHERE token_id = ?").get(t.id) as any
            ).s;
            const tokenCharged = (
              db
                .query("SELECT coalesce(sum(quota), 0) AS s FROM logs WHERE token_id = ? AND type IN (2, 5)")
                .get(t.id) as any
            ).s;
            expect({ token: t.id, total: row.remain_quota + tokenHeld + tokenCharged, used: row.used_quota }).toEqual({
              token: t.id,
              total: t.quota,
              used: tokenCharged,
            });
          }
        } finally {
          db.close();
        }
        holdsReleased.push(held);

        // the restart gives the holds back before serving
        server = await startServer({ dataDir });
        const said = /released (\d+) hold/.exec(server.output());
        if (said) expect(Number(said[1])).toBe(held);
        const after = openDb(dataDir);
        try {
          expect((after.query("SELECT count(*) AS n FROM holds").get() as any).n).toBe(0);
        } finally {
          after.close();
        }
        const admin = await login(server.url, "admin", ADMIN_PASSWORD);
        acct.auth = await login(server.url, acct.username, "user-password-1");
        const { costs, rows } = await expectReconciled(server.url, admin, acct);
        expect(costs).toBeGreaterThan(0);
        expect(rows.some((r) => r.type === LOG_TYPE.error || r.type === LOG_TYPE.consume)).toBe(true);
      }
      expect(holdsReleased.every((n) => n > 0)).toBe(true);
      // the restarted server still serves, and its balances are the released ones
      const ok = await chat(server.url, acct.tokens[3].key, { model: models.fast });
      expect(ok.status).toBe(200);
      await ok.text();
      await expectReconciled(server.url, await login(server.url, "admin", ADMIN_PASSWORD), acct);
    } finally {
      if (server) await server.stop();
      crashMock.stop();
      removeDir(dataDir);
    }
  },
  90_000,
);
