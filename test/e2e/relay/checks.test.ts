// The /v1 token checks, every row of the table, over real HTTP against a real server with the
// mock upstream behind it, driven with the official `openai` client (raw fetch where a client cannot
// say it: no body, a broken body, a chunked body). Each refusal is the SDK's typed error with the
// table's status, type and code, in OpenAI's {"error":{message,type,param,code}} shape, carries an
// x-request-id, contacts no upstream and changes no balance; a refused call of a known token leaves a
// type-5 log row with that request id and the error code. Also the order of the checks (key before
// body, whitelist before routing before quota) and Authorization winning over x-api-key.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "openai";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, type Auth } from "../../support/server";

setDefaultTimeout(20_000);

const MODEL = "gpt-4o-mini";
const UPSTREAM_KEY = "sk-upstream-checks-0123456789";
const MiB = 1024 * 1024;
const LOG_DEADLINE_MS = 1000;

const app = useServer();
/** a second server whose body limit is 1 MiB (check 6) */
const small = useServer({ args: ["--max-body-mb", "1"] });

let mock: MockUpstream;

type Api = ReturnType<typeof client>;
/** Whose balance and log rows a call touches: read through the owner's session or, once the owner is
 * disabled (their sessions end), through the admin's view of them. */
type Owner = { balance(): Promise<{ quota: number; used_quota: number }>; logs(requestId: string): Promise<any[]> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSec = () => Math.floor(Date.now() / 1000);

function ownerVia(api: Api, self: boolean, userId: number): Owner {
  return {
    async balance() {
      const u = expectReply(await api.get(self ? "/api/user/self" : `/api/user/${userId}`), 200);
      return { quota: u.quota, used_quota: u.used_quota };
    },
    async logs(requestId) {
      const path = self ? "/api/log/self" : `/api/log/?user_id=${userId}`;
      const sep = path.includes("?") ? "&" : "?";
      const data = expectReply(
        await api.get(`${path}${sep}request_id=${encodeURIComponent(requestId)}&pageSize=100`),
        200,
      );
      return (data.items as any[]).filter((row) => row.request_id === requestId);
    },
  };
}

/** The log rows of `requestId`, polled until one shows up (rows are written in batches) or the deadline. */
async function logRows(owner: Owner, requestId: string): Promise<any[]> {
  const until = Date.now() + LOG_DEADLINE_MS;
  for (;;) {
    const rows = await owner.logs(requestId);
    if (rows.length > 0 || Date.now() > until) return rows;
    await sleep(50);
  }
}

/** An SDK client on a server's /v1 that remembers the raw response of its last request. */
function sdk(
  base: string,
  apiKey: string,
  opts: { headers?: Record<string, string | null>; maxRetries?: number } = {},
) {
  const seen: Response[] = [];
  const client = new OpenAI({
    baseURL: `${base}/v1`,
    apiKey,
    maxRetries: opts.maxRetries ?? 0,
    defaultHeaders: opts.headers,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      seen.push(res.clone());
      return res;
    },
  });
  return { client, seen, last: () => seen[seen.length - 1] };
}

const ask = (model = MODEL, extra: Record<string, unknown> = {}) =>
  ({
    model,
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  }) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

async function rejection(p: Promise<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (e) {
    return e as APIError;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

type Want = {
  status: number;
  type: string;
  code: string;
  cls: abstract new (...args: any[]) => APIError;
  param?: string | null;
  message?: string;
};
const WANT = {
  invalidKey: { status: 401, type: "authentication_error", code: "invalid_api_key", cls: AuthenticationError },
  tokenDisabled: { status: 401, type: "authentication_error", code: "token_disabled", cls: AuthenticationError },
  tokenExpired: { status: 401, type: "authentication_error", code: "token_expired", cls: AuthenticationError },
  userDisabled: { status: 403, type: "permission_error", code: "user_disabled", cls: PermissionDeniedError },
  ipNotAllowed: { status: 403, type: "permission_error", code: "ip_not_allowed", cls: PermissionDeniedError },
  tooLarge: { status: 413, type: "invalid_request_error", code: "request_too_large", cls: APIError },
  badBody: { status: 400, type: "invalid_request_error", code: "invalid_request", cls: BadRequestError },
  notAllowed: { status: 403, type: "permission_error", code: "model_not_allowed", cls: PermissionDeniedError },
  notFound: { status: 404, type: "invalid_request_error", code: "model_not_found", cls: NotFoundError },
  noQuota: { status: 429, type: "insufficient_quota", code: "insufficient_quota", cls: RateLimitError },
} satisfies Record<string, Want>;

/** The raw reply of a refusal: status, OpenAI's error shape exactly, x-request-id. Returns body and id. */
async function expectErrorReply(res: Response, want: Want) {
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text}`);
  }
  expect({ status: res.status, body }).toMatchObject({
    status: want.status,
    body: { error: { type: want.type, code: want.code } },
  });
  expect(res.headers.get("content-type") ?? "").toContain("application/json");
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  if (want.param !== undefined) expect(body.error.param).toBe(want.param);
  if (want.message !== undefined) expect(body.error.message).toContain(want.message);
  const requestId = res.headers.get("x-request-id");
  expect(requestId).toBeTruthy();
  return { body, requestId: requestId! };
}

type Guard = { owner?: Owner; logged: boolean };

/** Runs `act` and checks what a refusal must leave alone: the mock received nothing, the owner's balance
 * and used quota are unchanged, and (for a known token) a type-5 row with the request id and code. */
async function guarded<T extends { requestId: string }>(want: Want, guard: Guard, act: () => Promise<T>): Promise<T> {
  const upstreamBefore = mock.requests.length;
  const balanceBefore = guard.owner ? await guard.owner.balance() : null;
  const out = await act();
  expect(mock.requests.length).toBe(upstreamBefore);
  if (guard.owner) expect(await guard.owner.balance()).toEqual(balanceBefore!);
  if (guard.logged) {
    const rows = await logRows(guard.owner!, out.requestId);
    expect(rows.length).toBe(1);
    expect(rows[0].type).toBe(LOG_TYPE.error);
    if ("error_code" in rows[0]) expect(rows[0].error_code).toBe(want.code);
    if ("status_code" in rows[0]) expect(rows[0].status_code).toBe(want.status);
    expect(rows[0].quota ?? 0).toBe(0);
  }
  return out;
}

/** A refusal through the SDK: the typed error class, status/type/code on the error, the raw shape. */
async function refusedSdk(
  base: string,
  apiKey: string,
  want: Want,
  guard: Guard,
  run: (c: OpenAI) => Promise<unknown>,
  headers?: Record<string, string | null>,
) {
  return guarded(want, guard, async () => {
    const s = sdk(base, apiKey, { headers });
    const err = await rejection(run(s.client));
    expect(err).toBeInstanceOf(want.cls);
    if (want.cls === APIError) expect(err.constructor).toBe(APIError); // no narrower class for this status
    expect({ status: err.status, type: err.type, code: err.code }).toEqual({
      status: want.status,
      type: want.type,
      code: want.code,
    });
    expect(s.seen.length).toBe(1);
    const { body, requestId } = await expectErrorReply(s.last(), want);
    expect(err.requestID).toBe(requestId);
    expect(err.error).toEqual(body.error);
    return { err, body, requestId, headers: s.last().headers };
  });
}

/** A refusal through raw fetch (for what the SDK cannot send). */
async function refusedRaw(base: string, init: RequestInit & { path?: string }, want: Want, guard: Guard) {
  return guarded(want, guard, async () => {
    const res = await fetch(`${base}${init.path ?? "/v1/chat/completions"}`, { method: "POST", ...init });
    const { body, requestId } = await expectErrorReply(res, want);
    return { body, requestId, headers: res.headers };
  });
}

/** A call that must pass: 200, x-request-id, the mock reached, and a type-2 row with that id. */
async function passes(
  base: string,
  apiKey: string,
  owner: Owner,
  headers?: Record<string, string | null>,
  model = MODEL,
) {
  const before = mock.requests.length;
  const s = sdk(base, apiKey, { headers });
  const { data, response, request_id } = await s.client.chat.completions.create(ask(model)).withResponse();
  expect(response.status).toBe(200);
  expect(data.choices[0].message.content).toBe("Hello from the mock upstream!");
  expect(request_id).toBeTruthy();
  expect(response.headers.get("x-request-id")).toBe(request_id);
  expect(mock.requests.length).toBe(before + 1);
  const rows = await logRows(owner, request_id!);
  expect(rows.length).toBe(1);
  expect(rows[0].type).toBe(LOG_TYPE.consume);
  return request_id!;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
const chatBody = (model = MODEL) => JSON.stringify(ask(model));

// --- fixtures ---------------------------------------------------------------------------------------

let admin: Api;
let alice: Awaited<ReturnType<typeof makeUser>>;
let aliceOwner: Owner;
let carolOwner: Owner;
let daveOwner: Owner;
const keys: Record<string, string> = {};
let expiringAt = 0;
let expiringFirstStatus = 0;

async function token(api: Api, body: Record<string, unknown>): Promise<{ id: number; key: string }> {
  const t = expectReply(await api.post("/api/token/", { unlimited_quota: true, ...body }), 201);
  return { id: t.id, key: t.key };
}

async function channel(api: Api, body: Record<string, unknown>) {
  const created = expectReply(
    await api.post("/api/channel/", { type: "openai", base_url: mock.url, key: UPSTREAM_KEY, ...body }),
    201,
  );
  for (const model of created.models as string[])
    expectReply(await api.post("/api/pricing/", { model, input: "1", output: "2" }), 201);
  return created;
}

beforeAll(async () => {
  mock = startMockUpstream({ keys: [UPSTREAM_KEY] });
  const adminAuth: Auth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "vip" }), 201);
  await channel(admin, { name: "main", models: [MODEL, "gpt-4o"], group: "default" });
  await channel(admin, { name: "vip-only", models: ["vip-model"], group: "vip" });

  alice = await makeUser(app.url, adminAuth, "alice");
  expectReply(await admin.post(`/api/user/${alice.id}/topup`, { quota: 1_000_000 }), 200);
  aliceOwner = ownerVia(alice.api, true, alice.id);

  // the expiring token first, so its ~2 s run out while the other tests run
  const expiring = await token(alice.api, { name: "expiring", expired_time: nowSec() + 2 });
  expiringAt = nowSec() + 2;
  keys.expiring = expiring.key;
  expiringFirstStatus = (
    await fetch(`${app.url}/v1/chat/completions`, { method: "POST", headers: bearer(expiring.key), body: chatBody() })
  ).status;
  {
    const got = expectReply(await alice.api.get(`/api/token/${expiring.id}`), 200);
    expiringAt = got.expired_time;
  }

  keys.good = (await token(alice.api, { name: "good" })).key;
  const disabled = await token(alice.api, { name: "disabled" });
  expectReply(await alice.api.put("/api/token/?status_only=true", { id: disabled.id, status: 2 }), 200);
  keys.disabled = disabled.key;
  keys.ipElsewhere = (await token(alice.api, { name: "ip-elsewhere", allow_ips: ["10.0.0.0/8"] })).key;
  keys.ipLocal = (await token(alice.api, { name: "ip-local", allow_ips: ["127.0.0.1"] })).key;
  keys.whitelist = (await token(alice.api, { name: "whitelist", models: ["gpt-4o"] })).key;
  // a new token at 0 is refused (issue 10 item 16): make it with 1 unit, then set it to 0
  const noQuota = await token(alice.api, { name: "no-quota", unlimited_quota: false, remain_quota: 1 });
  expectReply(await alice.api.put("/api/token/", { id: noQuota.id, remain_quota: 0 }), 200);
  keys.noQuota = noQuota.key;

  // carol: a token whose owner an admin disables
  const carol = await makeUser(app.url, adminAuth, "carol");
  expectReply(await admin.post(`/api/user/${carol.id}/topup`, { quota: 500_000 }), 200);
  keys.carol = (await token(carol.api, { name: "carol" })).key;
  expectReply(await admin.put("/api/user/", { id: carol.id, status: 2 }), 200);
  carolOwner = ownerVia(admin, false, carol.id);

  // dave: a new user with a balance of 0; his default token is unlimited, his balance is not
  const dave = await makeUser(app.url, adminAuth, "dave");
  const daveTokens = expectReply(await dave.api.get("/api/token/"), 200).items as any[];
  const def = daveTokens.find((t) => t.name === "default");
  expect(def).toMatchObject({ unlimited_quota: true });
  keys.dave = expectReply(await dave.api.post(`/api/token/${def.id}/key`), 200).key;
  daveOwner = ownerVia(dave.api, true, dave.id);
  expect(await daveOwner.balance()).toEqual({ quota: 0, used_quota: 0 });
});

const unknownKey = () => `sk-${"x".repeat(48)}`;
const refusedAlice = (
  apiKey: string,
  want: Want,
  run: (c: OpenAI) => Promise<unknown>,
  headers?: Record<string, string | null>,
) => refusedSdk(app.url, apiKey, want, { owner: aliceOwner, logged: true }, run, headers);
/** an unknown key: no row to expect, but alice's balance is watched all the same */
const anon = (): Guard => ({ owner: aliceOwner, logged: false });

// --- 1: the key --------------------------------------------------------------------------------------

describe("1. missing, malformed or unknown key → 401 invalid_api_key", () => {
  test("no key at all (no Authorization, no x-api-key)", async () => {
    await refusedSdk(app.url, "unused", WANT.invalidKey, anon(), (c) => c.chat.completions.create(ask()), {
      Authorization: null,
    });
    await refusedRaw(
      app.url,
      { headers: { "content-type": "application/json" }, body: chatBody() },
      WANT.invalidKey,
      anon(),
    );
  });

  test("malformed keys: not sk-, too short, empty bearer, a non-Bearer scheme", async () => {
    for (const bad of ["not-a-key", "sk-short", `sk-${"!".repeat(48)}`]) {
      await refusedSdk(app.url, bad, WANT.invalidKey, anon(), (c) => c.chat.completions.create(ask()));
    }
    for (const authorization of ["Bearer ", "Basic dXNlcjpwYXNz", `Token ${keys.good}x`]) {
      await refusedRaw(
        app.url,
        { headers: { authorization, "content-type": "application/json" }, body: chatBody() },
        WANT.invalidKey,
        anon(),
      );
    }
  });

  test("a well-formed sk- key that no token has", async () => {
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) => c.chat.completions.create(ask()));
    // one character off a real key
    const off = keys.good.slice(0, -1) + (keys.good.endsWith("a") ? "b" : "a");
    await refusedSdk(app.url, off, WANT.invalidKey, anon(), (c) => c.chat.completions.create(ask()));
  });

  test("every endpoint refuses it the same way (completions, embeddings, models)", async () => {
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) =>
      c.completions.create({ model: MODEL, prompt: "hi" }),
    );
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) =>
      c.embeddings.create({ model: "text-embedding-3-small", input: "hi" }),
    );
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) => c.models.list());
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) => c.models.retrieve(MODEL));
  });
});

// --- 2–5: token status, expiry, owner, IP -----------------------------------------------------------

describe("2. disabled token → 401 token_disabled", () => {
  test("chat, stream and completions alike", async () => {
    await refusedAlice(keys.disabled, WANT.tokenDisabled, (c) => c.chat.completions.create(ask()));
    await refusedAlice(keys.disabled, WANT.tokenDisabled, (c) => c.chat.completions.create({ ...ask(), stream: true }));
    await refusedAlice(keys.disabled, WANT.tokenDisabled, (c) => c.completions.create({ model: MODEL, prompt: "hi" }));
  });
});

describe("4. owner disabled → 403 user_disabled", () => {
  test("the token is fine, its owner is disabled", async () => {
    await refusedSdk(app.url, keys.carol, WANT.userDisabled, { owner: carolOwner, logged: true }, (c) =>
      c.chat.completions.create(ask()),
    );
  });
});

describe("5. client IP not in the token's allowlist → 403 ip_not_allowed", () => {
  test("allow_ips 10.0.0.0/8 from 127.0.0.1 is refused", async () => {
    const { body } = await refusedAlice(keys.ipElsewhere, WANT.ipNotAllowed, (c) => c.chat.completions.create(ask()));
    expect(body.error.message).toContain("127.0.0.1");
  });

  test("X-Forwarded-For from an untrusted peer does not help", async () => {
    await refusedAlice(keys.ipElsewhere, WANT.ipNotAllowed, (c) => c.chat.completions.create(ask()), {
      "x-forwarded-for": "10.1.2.3",
    });
  });

  test("a token that allows 127.0.0.1 passes", async () => {
    await passes(app.url, keys.ipLocal, aliceOwner);
  });
});

// --- 7: the body -------------------------------------------------------------------------------------

describe("7. body not JSON, or model missing → 400 invalid_request", () => {
  test("a body that is not JSON", async () => {
    for (const body of ["{not json", "model=gpt-4o-mini", ""]) {
      await refusedRaw(app.url, { headers: bearer(keys.good), body }, WANT.badBody, {
        owner: aliceOwner,
        logged: true,
      });
    }
  });

  test("JSON that is not an object", async () => {
    for (const body of ["[1,2]", '"gpt-4o-mini"', "null", "42"]) {
      await refusedRaw(app.url, { headers: bearer(keys.good), body }, WANT.badBody, {
        owner: aliceOwner,
        logged: true,
      });
    }
  });

  test('model missing or empty: param is "model"', async () => {
    const want = { ...WANT.badBody, param: "model" };
    const noModel = {
      messages: [{ role: "user", content: "hi" }],
    } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const { err } = await refusedAlice(keys.good, want, (c) => c.chat.completions.create(noModel));
    expect(err.param).toBe("model");
    await refusedAlice(keys.good, want, (c) => c.chat.completions.create(ask("")));
    await refusedAlice(keys.good, want, (c) => c.embeddings.create({ input: "hi" } as OpenAI.EmbeddingCreateParams));
    await refusedRaw(app.url, { headers: bearer(keys.good), body: JSON.stringify({ model: 42, messages: [] }) }, want, {
      owner: aliceOwner,
      logged: true,
    });
  });
});

// --- 8, 9: the model ---------------------------------------------------------------------------------

describe("8. model not in the token's whitelist → 403 model_not_allowed", () => {
  test("the message names the model; the whitelisted model passes", async () => {
    const { err, body } = await refusedAlice(keys.whitelist, WANT.notAllowed, (c) =>
      c.chat.completions.create(ask(MODEL)),
    );
    expect(body.error.message).toContain(MODEL);
    expect(err.message).toContain(MODEL);
    await passes(app.url, keys.whitelist, aliceOwner, undefined, "gpt-4o");
  });
});

describe("9. no group of the key has a channel for the model → 404 model_not_found", () => {
  test("a model no channel serves", async () => {
    await refusedAlice(keys.good, WANT.notFound, (c) => c.chat.completions.create(ask("no-such-model")));
  });

  test("a model served only in a group the key does not have", async () => {
    await refusedAlice(keys.good, WANT.notFound, (c) => c.chat.completions.create(ask("vip-model")));
  });
});

// --- 11: quota ---------------------------------------------------------------------------------------

describe("11. token quota or user balance used up → 429 insufficient_quota, x-should-retry: false", () => {
  test("a token with remain_quota 0 and unlimited_quota false", async () => {
    const { headers } = await refusedAlice(keys.noQuota, WANT.noQuota, (c) => c.chat.completions.create(ask()));
    expect(headers.get("x-should-retry")).toBe("false");
  });

  test("an unlimited token whose owner's balance is 0 (and who is not unlimited)", async () => {
    const { headers } = await refusedSdk(app.url, keys.dave, WANT.noQuota, { owner: daveOwner, logged: true }, (c) =>
      c.chat.completions.create(ask()),
    );
    expect(headers.get("x-should-retry")).toBe("false");
  });

  test("the SDK obeys x-should-retry: false even when it may retry", async () => {
    const s = sdk(app.url, keys.dave, { maxRetries: 2 });
    const err = await rejection(s.client.chat.completions.create(ask()));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(s.seen.length).toBe(1);
  });
});

// --- the order of the checks -------------------------------------------------------------------------

describe("order", () => {
  test("an anonymous request with a broken body → 401, not 400", async () => {
    await refusedRaw(
      app.url,
      { headers: { "content-type": "application/json" }, body: "{broken" },
      WANT.invalidKey,
      anon(),
    );
    await refusedRaw(app.url, { headers: bearer(unknownKey()), body: "{broken" }, WANT.invalidKey, anon());
  });

  test("a disabled token with a broken body → 401 token_disabled", async () => {
    await refusedRaw(app.url, { headers: bearer(keys.disabled), body: "{broken" }, WANT.tokenDisabled, {
      owner: aliceOwner,
      logged: true,
    });
  });

  test("a disabled owner with a broken body → 403 user_disabled", async () => {
    await refusedRaw(app.url, { headers: bearer(keys.carol), body: "{broken" }, WANT.userDisabled, {
      owner: carolOwner,
      logged: true,
    });
  });

  test("whitelist before routing, routing before quota", async () => {
    // not whitelisted and not served: 403 (check 8 comes before 9)
    await refusedAlice(keys.whitelist, WANT.notAllowed, (c) => c.chat.completions.create(ask("no-such-model")));
    // quota used up and not served: 404 (check 9 comes before 11)
    await refusedAlice(keys.noQuota, WANT.notFound, (c) => c.chat.completions.create(ask("no-such-model")));
  });

  test("Authorization wins over x-api-key: good Authorization, bad x-api-key → passes", async () => {
    await passes(app.url, keys.good, aliceOwner, { "x-api-key": unknownKey() });
    await passes(app.url, keys.good, aliceOwner, { "x-api-key": keys.disabled });
  });

  test("Authorization wins over x-api-key: bad Authorization, good x-api-key → 401", async () => {
    await refusedSdk(app.url, unknownKey(), WANT.invalidKey, anon(), (c) => c.chat.completions.create(ask()), {
      "x-api-key": keys.good,
    });
    await refusedAlice(keys.disabled, WANT.tokenDisabled, (c) => c.chat.completions.create(ask()), {
      "x-api-key": keys.good,
    });
  });

  test("x-api-key alone works", async () => {
    await passes(app.url, "unused", aliceOwner, { Authorization: null, "x-api-key": keys.good });
  });
});

// --- 3: expiry (last, so its wait overlaps the tests above) ------------------------------------------

describe("3. expired token → 401 token_expired", () => {
  test("a token that expires in 2 s works before and is refused after", async () => {
    expect(expiringFirstStatus).toBe(200);
    const waitMs = expiringAt * 1000 + 300 - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    await refusedAlice(keys.expiring, WANT.tokenExpired, (c) => c.chat.completions.create(ask()));
    await refusedRaw(app.url, { headers: bearer(keys.expiring), body: "{broken" }, WANT.tokenExpired, {
      owner: aliceOwner,
      logged: true,
    });
  });
});

// --- 6: body size, on a server started with --max-body-mb 1 ------------------------------------------

describe("6. body over the limit (--max-body-mb 1) → 413 request_too_large", () => {
  let erinOwner: Owner;
  let erinKey = "";

  beforeAll(async () => {
    const adminAuth = await login(small.url, "admin", ADMIN_PASSWORD);
    const smallAdmin = client(small.url, adminAuth);
    await channel(smallAdmin, { name: "main", models: [MODEL], group: "default" });
    const erin = await makeUser(small.url, adminAuth, "erin");
    expectReply(await smallAdmin.post(`/api/user/${erin.id}/topup`, { quota: 1_000_000 }), 200);
    erinOwner = ownerVia(erin.api, true, erin.id);
    erinKey = (await token(erin.api, { name: "erin" })).key;
  });

  const bigChat = (bytes: number) => ask(MODEL, { messages: [{ role: "user", content: "x".repeat(bytes) }] });

  test("with content-length: the SDK's APIError with status 413", async () => {
    const { err } = await refusedSdk(small.url, erinKey, WANT.tooLarge, { owner: erinOwner, logged: true }, (c) =>
      c.chat.completions.create(bigChat(MiB + 1024)),
    );
    expect(err.status).toBe(413);
  });

  test("chunked, without content-length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const head = new TextEncoder().encode(`{"model":"${MODEL}","messages":[{"role":"user","content":"`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent >= 2 * MiB) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const init = { headers: bearer(erinKey), body, duplex: "half" } as RequestInit;
    await refusedRaw(small.url, init, WANT.tooLarge, { owner: erinOwner, logged: true });
  });

  test("a body just under the limit passes", async () => {
    const before = mock.requests.length;
    const s = sdk(small.url, erinKey);
    const res = await s.client.chat.completions.create(bigChat(MiB - 4096));
    expect(res.choices[0].message.content).toBe("Hello from the mock upstream!");
    expect(mock.requests.length).toBe(before + 1);
  });

  test("an anonymous oversized body → 401, not 413", async () => {
    await refusedRaw(
      small.url,
      { headers: bearer(unknownKey()), body: JSON.stringify(bigChat(MiB + 1024)) },
      WANT.invalidKey,
      { owner: erinOwner, logged: false },
    );
  });
});
