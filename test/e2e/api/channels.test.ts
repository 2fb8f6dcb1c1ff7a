// Channels through the management API, over real HTTP against a real server: create (defaults,
// new-api's payload shapes, base_url normalisation), every validation rule (422 naming the field),
// list/get/update/status_only/delete, groups in use by a channel, admins only — and the upstream keys
// never coming back: not in any reply's raw text, not in the database file or its WAL, not in the
// server's output, not in `apiyi channel list`.
import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS } from "../../../src/relay/wire";
import { CHANNEL_STATUS, KEY_STATUS } from "../../../src/core/status";
import { CHANNEL_TYPES } from "../../../src/services/channel-schema";
import { expectInvalid, expectReply } from "../../support/expect";
import {
  ADMIN_PASSWORD,
  authHeaders,
  cli,
  login,
  makeUser,
  useServer,
  type Auth,
  type Reply,
} from "../../support/server";
import { sqliteOnly } from "../../support/backend";

setDefaultTimeout(20_000);

const app = useServer();
let adminAuth: Auth;
let userAuth: Auth;

/** every upstream key this file ever sent, and the raw text of every reply it got */
const sentKeys: string[] = [];
const replies: string[] = [];
const newKey = () => {
  const key = `sk-up-${crypto.randomUUID().replaceAll("-", "")}`;
  sentKeys.push(key);
  return key;
};

/** anonymous: no cookie (undefined would mean the admin default below) */
const ANON: Auth = {};

/** One call as `auth` (default: admin), keeping the raw reply text for the leak checks. */
async function send(method: string, path: string, body?: unknown, auth: Auth = adminAuth): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json", ...authHeaders(app.url, method, auth) };
  const res = await fetch(app.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  replies.push(text);
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}
const get = (path: string, auth?: Auth) => send("GET", path, undefined, auth);
const post = (body: unknown, auth?: Auth) => send("POST", "/api/channel/", body, auth);
const put = (body: unknown, query = "", auth?: Auth) => send("PUT", `/api/channel/${query}`, body, auth);
const del = (id: number | string, auth?: Auth) => send("DELETE", `/api/channel/${id}`, undefined, auth);

let serial = 0;
const valid = (over: Record<string, unknown> = {}) => ({
  name: `ch-${++serial}`,
  type: "openai",
  base_url: "https://api.example.com/v1",
  key: newKey(),
  models: "gpt-4o,gpt-4o-mini",
  ...over,
});
const create = async (over: Record<string, unknown> = {}) => expectReply(await post(valid(over)), 201);
const fetchChannel = async (id: number) => expectReply(await get(`/api/channel/${id}`), 200);
const total = async () => expectReply(await get("/api/channel/?size=1"), 200).total as number;

/** What the relay will do when upstream keys turn out invalid: mark them and the channel disabled (3). */
function autoDisable(id: number, keyCount: number) {
  const db = new Database(join(app.server.dataDir, "apiyi.db"));
  try {
    db.run("PRAGMA busy_timeout = 5000");
    const states = JSON.stringify(
      Array.from({ length: keyCount }, () => ({ status: 3, reason: "upstream 401", at: 1 })),
    );
    db.query("UPDATE channels SET status = 3, status_reason = 'no usable key', key_states = ? WHERE id = ?").run(
      states,
      id,
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  userAuth = (await makeUser(app.url, adminAuth, "chanuser")).auth;
  for (const name of ["vip", "backup"]) expectReply(await send("POST", "/api/group/", { name }), 201);
});

const VIEW_FIELDS = [
  "api_version",
  "balance",
  "balance_source",
  "balance_threshold",
  "base_url",
  "created_at",
  "groups",
  "health",
  "id",
  "key_count",
  "key_states",
  "max_output_tokens",
  "model_mapping",
  "models",
  "name",
  "priority",
  "state",
  "state_detail",
  "status",
  "status_reason",
  "supports_responses",
  "timeout_connect_ms",
  "timeout_first_byte_ms",
  "timeout_idle_ms",
  "type",
  "unpriced_models",
  "warnings",
  "weight",
];

describe("create", () => {
  test("201 with defaults; the view has every field, key_count and per-key states, and no key", async () => {
    const k1 = newKey();
    const k2 = newKey();
    const c = await create({ key: `${k1}\n  ${k2}  \n\n${k1}\r\n`, models: " gpt-4o , gpt-4o ,o3 " });
    expect(Object.keys(c).sort()).toEqual(VIEW_FIELDS);
    expect(c).toMatchObject({
      type: "openai",
      base_url: "https://api.example.com/v1",
      key_count: 2,
      models: ["gpt-4o", "o3"],
      model_mapping: {},
      groups: ["default"],
      priority: 0,
      weight: 1,
      status: CHANNEL_STATUS.enabled,
      status_reason: "",
      timeout_connect_ms: 10_000,
      timeout_first_byte_ms: 120_000,
      timeout_idle_ms: 300_000,
      supports_responses: false,
      api_version: "",
      max_output_tokens: 0,
    });
    expect(c.key_states).toEqual([
      { index: 0, status: KEY_STATUS.usable, reason: "" },
      { index: 1, status: KEY_STATUS.usable, reason: "" },
    ]);
    expect(typeof c.id).toBe("number");
    expect(typeof c.created_at).toBe("number");
    expect(await fetchChannel(c.id)).toEqual(c);
  });

  test("takes new-api's shapes: key array, models array, mapping as JSON text, groups as a comma string", async () => {
    const c = await create({
      key: [newKey(), " ", newKey()],
      models: ["a", "b"],
      model_mapping: JSON.stringify({ "gpt-4o": " gpt-4o-2024-08-06 " }),
      group: "vip, backup,vip",
      priority: -3,
      weight: 0,
      status: 2,
      timeout_connect_ms: 1,
      timeout_first_byte_ms: 3_600_000,
      timeout_idle_ms: 60_000,
    });
    expect(c).toMatchObject({
      key_count: 2,
      models: ["a", "b"],
      model_mapping: { "gpt-4o": "gpt-4o-2024-08-06" },
      groups: ["vip", "backup"],
      priority: -3,
      weight: 0,
      status: CHANNEL_STATUS.disabled,
      timeout_connect_ms: 1,
      timeout_first_byte_ms: 3_600_000,
      timeout_idle_ms: 60_000,
    });
    expect((await create({ model_mapping: { x: "y" }, group: ["backup"] })).model_mapping).toEqual({ x: "y" });
    expect((await create({ model_mapping: "" })).model_mapping).toEqual({});
  });

  test("base_url: trailing slashes go, an empty path gets /v1, a path is kept", async () => {
    const cases: [string, string][] = [
      ["https://api.openai.com", "https://api.openai.com/v1"],
      ["https://api.deepseek.com/", "https://api.deepseek.com/v1"],
      ["https://api.example.com//", "https://api.example.com/v1"],
      ["https://open.bigmodel.cn/api/paas/v4/", "https://open.bigmodel.cn/api/paas/v4"],
      ["http://127.0.0.1:11434", "http://127.0.0.1:11434/v1"],
      ["  https://api.groq.com/openai/v1///  ", "https://api.groq.com/openai/v1"],
      ["https://API.Example.COM:443/v1", "https://api.example.com/v1"],
      ["http://[::1]:8000/v1/", "http://[::1]:8000/v1"],
    ];
    for (const [given, stored] of cases)
      expect({ given, got: (await create({ base_url: given })).base_url }).toEqual({ given, got: stored });
  });

  const BAD: [string, unknown[]][] = [
    ["name", [undefined, "", "   ", "x".repeat(101), 42, null]],
    ["type", ["mistral", "", 1, "OpenAI", null]],
    [
      "base_url",
      [
        undefined,
        "",
        "api.openai.com",
        "ftp://x.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:pw@x.com/v1",
        "https://x.com/v1?api-version=1",
        "https://x.com/v1#top",
        "https://x.com/?",
        "http://",
        5,
        "h".repeat(2001),
      ],
    ],
    ["key", [undefined, "", " \n \n", [], [" "], "has space", "tab\there", ["ok", 5], 7, "x".repeat(4097)]],
    ["models", [undefined, "", " , ", [], 7, ["m".repeat(201)]]],
    ["model_mapping", ["{not json", "[1]", '"text"', [["a", "b"]], { a: "" }, { a: " " }, { a: 5 }, { "": "x" }, 3]],
    ["group", ["", ",", [], "no-such-group", ["default", "no-such-group"], 5]],
    ["priority", [1.5, "3", 2 ** 31, null]],
    ["weight", [-1, 0.5, "1", 2 ** 31]],
    ["status", [3, 0, "1", true]],
    ["timeout_connect_ms", [0, -5, 3_600_001, 1.5, "100"]],
    ["timeout_first_byte_ms", [0, 3_600_001]],
    ["timeout_idle_ms", [0, 1e9]],
    ["supports_responses", ["true", 1, null]],
    ["api_version", [5, "2024 10 21", "2024-10-21?x=1", "v".repeat(41), null]],
    ["max_output_tokens", [-1, 0.5, "8192", 10_000_001, null, true]],
  ];
  for (const [field, values] of BAD) {
    test(`a bad ${field} → 422 naming ${field}, and nothing is created`, async () => {
      const before = await total();
      for (const value of values) {
        const body: Record<string, unknown> = valid({ [field]: value });
        if (value === undefined) delete body[field];
        const r = await post(body);
        expect({ field, value, status: r.status }).toEqual({ field, value, status: 422 });
        expectInvalid(r, field);
      }
      expect(await total()).toBe(before);
    });
  }

  test("a body that is not JSON → 400", async () => {
    expectReply(await post("{name: oops"), 400);
  });
});

test("the types a channel may have are exactly the relay's providers", () => {
  expect<string[]>([...CHANNEL_TYPES].sort()).toEqual(Object.keys(PROVIDERS).sort());
});

describe("list and get", () => {
  test("newest first, with total and paging (p, size or pageSize); id_sort=true is ascending", async () => {
    const made = [await create({ name: "page-a" }), await create({ name: "page-b" }), await create({ name: "page-c" })];
    const all = expectReply(await get("/api/channel/?p=1&size=100"), 200);
    expect(Object.keys(all).sort()).toEqual(["items", "page", "page_size", "total"]);
    const ids = all.items.map((c: { id: number }) => c.id);
    expect(ids.slice(0, 3)).toEqual(made.map((c) => c.id).reverse());
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.total).toBe(ids.length);
    for (const c of all.items) expect(Object.keys(c).sort()).toEqual(VIEW_FIELDS);

    const second = expectReply(await get("/api/channel/?p=2&pageSize=1"), 200);
    expect(second).toMatchObject({ page: 2, page_size: 1, total: all.total });
    expect(second.items.map((c: { id: number }) => c.id)).toEqual([ids[1]]);
    const ascending = expectReply(await get("/api/channel/?id_sort=true&size=100"), 200).items.map(
      (c: { id: number }) => c.id,
    );
    expect(ascending).toEqual([...ids].reverse());
    expectInvalid(await get("/api/channel/?size=101"), "size");
    expectInvalid(await get("/api/channel/?p=0"), "p");
  });

  test("keyword matches part of the name, literally", async () => {
    const c = await create({ name: "deep_seek 100%" });
    await create({ name: "deepXseek 1000" });
    const found = expectReply(await get(`/api/channel/?keyword=${encodeURIComponent("p_seek 100%")}`), 200);
    expect({ ids: found.items.map((x: { id: number }) => x.id), total: found.total }).toEqual({
      ids: [c.id],
      total: 1,
    });
    expect(expectReply(await get("/api/channel/?keyword=no-such-channel-name"), 200)).toMatchObject({
      items: [],
      total: 0,
    });
  });

  test("an unknown or malformed id → 404", async () => {
    for (const id of ["987654", "abc", "0", "-1", "1.5"]) expectReply(await get(`/api/channel/${id}`), 404);
  });
});

describe("update", () => {
  test("changes what is sent; fields left out keep their values", async () => {
    const c = await create({ group: "vip", priority: 5, model_mapping: { a: "b" } });
    const u = expectReply(
      await put({
        id: c.id,
        name: "renamed",
        base_url: "https://other.example.com/",
        weight: 7,
        timeout_idle_ms: 5000,
      }),
      200,
    );
    expect(u).toEqual({
      ...c,
      name: "renamed",
      base_url: "https://other.example.com/v1",
      weight: 7,
      timeout_idle_ms: 5000,
    });
    const v = expectReply(
      await put({ id: c.id, models: ["m1"], model_mapping: "{}", group: ["default", "backup"], priority: 1 }),
      200,
    );
    expect(v).toEqual({
      ...u,
      models: ["m1"],
      model_mapping: {},
      groups: ["default", "backup"],
      priority: 1,
      unpriced_models: ["m1"],
      warnings: [expect.stringContaining("apiyi price set --model m1")],
    });
    expect(await fetchChannel(c.id)).toEqual(v);
  });

  sqliteOnly("no key (or a blank one) keeps the keys and their states; new keys replace them, all usable", async () => {
    const c = await create({ key: [newKey(), newKey(), newKey()] });
    for (const [i, key] of [undefined, "", " \n ", []].entries()) {
      const u = expectReply(await put({ id: c.id, name: `kept-${i}`, key }), 200);
      expect({ key, count: u.key_count, states: u.key_states }).toEqual({ key, count: 3, states: c.key_states });
    }
    // keys an upstream rejected keep their states through an edit that leaves the keys alone
    autoDisable(c.id, 3);
    const kept = expectReply(await put({ id: c.id, weight: 9 }), 200);
    expect(kept).toMatchObject({ status: CHANNEL_STATUS.autoDisabled, status_reason: "no usable key", key_count: 3 });
    expect(kept.key_states.map((s: { status: number }) => s.status)).toEqual([
      KEY_STATUS.dead,
      KEY_STATUS.dead,
      KEY_STATUS.dead,
    ]);

    const listed = await cli(["channel", "list", "--data-dir", app.server.dataDir]);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split("\n").find((l) => l.startsWith(`${c.id}\t`));
    expect(line).toContain("keys=3");
    for (const key of sentKeys) expect(listed.stdout + listed.stderr).not.toContain(key);

    // new keys clear the failure state: the automatically disabled channel is enabled again
    const replaced = expectReply(await put({ id: c.id, key: [newKey(), newKey()] }), 200);
    expect(replaced).toMatchObject({ key_count: 2, status: CHANNEL_STATUS.enabled, status_reason: "" });
    expect(replaced.key_states).toEqual([
      { index: 0, status: KEY_STATUS.usable, reason: "" },
      { index: 1, status: KEY_STATUS.usable, reason: "" },
    ]);
  });

  test("bad fields → 422 naming them, and the channel is unchanged", async () => {
    const c = await create();
    const bad: [string, unknown][] = [
      ["name", ""],
      ["base_url", "ftp://x"],
      ["key", "two words"],
      ["models", ""],
      ["model_mapping", "{"],
      ["group", "no-such-group"],
      ["weight", -1],
      ["timeout_connect_ms", 0],
      ["status", 4],
      ["type", "mistral"],
      ["supports_responses", "yes"],
      ["api_version", "2024/10/21"],
      ["max_output_tokens", -1],
    ];
    for (const [field, value] of bad) expectInvalid(await put({ id: c.id, [field]: value }), field);
    expectInvalid(await put({ name: "no id" }), "id");
    expectInvalid(await put({ id: "1", name: "x" }), "id");
    expect(await fetchChannel(c.id)).toEqual(c);
  });

  sqliteOnly("status: 3 is only accepted as the current status; 1 on a full PUT re-enables", async () => {
    const c = await create({ key: [newKey(), newKey()] });
    expectInvalid(await put({ id: c.id, status: 3 }), "status");
    autoDisable(c.id, 2);
    // a form sending back the status it loaded
    expect(expectReply(await put({ id: c.id, name: "still-auto", status: 3 }), 200)).toMatchObject({
      status: CHANNEL_STATUS.autoDisabled,
      status_reason: "no usable key",
    });
    const on = expectReply(await put({ id: c.id, status: 1 }), 200);
    expect(on).toMatchObject({ status: CHANNEL_STATUS.enabled, status_reason: "", key_count: 2 });
    expect(on.key_states.every((s: { status: number }) => s.status === KEY_STATUS.usable)).toBe(true);
  });

  test("an unknown id → 404", async () => {
    expectReply(await put({ id: 987654, name: "ghost" }), 404);
  });
});

describe("status_only", () => {
  test("2 disables, 1 enables; other fields are ignored", async () => {
    const c = await create();
    expect(expectReply(await put({ id: c.id, status: 2, name: "ignored" }, "?status_only=true"), 200)).toEqual({
      ...c,
      status: CHANNEL_STATUS.disabled,
      state: "admin_disabled",
      state_detail: "disabled by an admin",
    });
    expect(expectReply(await put({ id: c.id, status: 1 }, "?status_only=1"), 200)).toEqual(c);
  });

  sqliteOnly("enabling an automatically disabled channel clears the reason and puts every key back", async () => {
    const c = await create({ key: [newKey(), newKey(), newKey()] });
    autoDisable(c.id, 3);
    expect(await fetchChannel(c.id)).toMatchObject({
      status: CHANNEL_STATUS.autoDisabled,
      status_reason: "no usable key",
    });
    const on = expectReply(await put({ id: c.id, status: 1 }, "?status_only=true"), 200);
    expect(on).toEqual({ ...c, status: CHANNEL_STATUS.enabled, status_reason: "" });
    // keys disabled on an enabled channel come back too
    autoDisable(c.id, 3);
    expectReply(await put({ id: c.id, status: 2 }, "?status_only=true"), 200);
    expect((await fetchChannel(c.id)).key_states[0].status).toBe(KEY_STATUS.dead);
    expect(expectReply(await put({ id: c.id, status: 1 }, "?status_only=true"), 200).key_states[0]).toEqual({
      index: 0,
      status: KEY_STATUS.usable,
      reason: "",
    });
  });

  test("only 1 or 2, an id that exists", async () => {
    const c = await create();
    for (const status of [3, 0, "1", undefined])
      expectInvalid(await put({ id: c.id, status }, "?status_only=true"), "status");
    expectInvalid(await put({ status: 1 }, "?status_only=true"), "id");
    expectReply(await put({ id: 987654, status: 2 }, "?status_only=true"), 404);
    expect((await fetchChannel(c.id)).status).toBe(CHANNEL_STATUS.enabled);
  });
});

describe("delete", () => {
  test("200, then gone (404 on get and on a second delete); unknown ids 404", async () => {
    const c = await create();
    expectReply(await del(c.id), 200);
    expectReply(await get(`/api/channel/${c.id}`), 404);
    expectReply(await del(c.id), 404);
    for (const id of ["987654", "abc", "0"]) expectReply(await del(id), 404);
  });
});

describe("groups used by channels", () => {
  test("a group a channel serves cannot be deleted (409) until no channel uses it", async () => {
    expectReply(await send("POST", "/api/group/", { name: "chan-only" }), 201);
    const a = await create({ group: "default,chan-only" });
    const b = await create({ group: ["chan-only"] });
    expectReply(await send("DELETE", "/api/group/chan-only"), 409);
    expectReply(await put({ id: a.id, group: "default" }), 200);
    expectReply(await send("DELETE", "/api/group/chan-only"), 409);
    expectReply(await del(b.id), 200);
    expectReply(await send("DELETE", "/api/group/chan-only"), 200);
    // and a deleted group cannot be given to a channel
    expectInvalid(await put({ id: a.id, group: "chan-only" }), "group");
  });
});

describe("admins only", () => {
  test("users get 403 and anonymous callers 401 on every channel route; nothing changes", async () => {
    const c = await create();
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/channel/"],
      ["GET", `/api/channel/${c.id}`],
      ["POST", "/api/channel/", valid()],
      ["PUT", "/api/channel/", { id: c.id, name: "taken-over" }],
      ["PUT", "/api/channel/?status_only=true", { id: c.id, status: 2 }],
      ["DELETE", `/api/channel/${c.id}`],
    ];
    for (const [method, path, body] of routes) {
      for (const [who, auth, status] of [
        ["user", userAuth, 403],
        ["anon", ANON, 401],
      ] as const) {
        const r = await send(method, path, body, auth);
        expect({ method, path, who, status: r.status }).toEqual({ method, path, who, status });
      }
    }
    expect(await fetchChannel(c.id)).toEqual(c);
  });
});

describe("the upstream keys never come back", () => {
  const findLeaks = (text: string | Buffer) => sentKeys.filter((k) => text.includes(k));

  test("not in the raw text of any reply this file received", () => {
    expect(sentKeys.length).toBeGreaterThan(20);
    expect(replies.length).toBeGreaterThan(100);
    expect(replies.flatMap(findLeaks)).toEqual([]);
  });

  sqliteOnly("not in the database file or its WAL, not in the server's output", () => {
    const files = ["apiyi.db", "apiyi.db-wal"].map((f) => join(app.server.dataDir, f)).filter(existsSync);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect({ file, leaks: findLeaks(readFileSync(file)) }).toEqual({ file, leaks: [] });
    expect(findLeaks(app.server.output())).toEqual([]);
  });
});
