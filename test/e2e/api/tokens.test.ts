// The token API (/api/token/*) through real HTTP against a real server: create (full key once,
// fields echoed, list fields as arrays or comma strings), list / paging / search with masked keys,
// get, full and partial update, status_only, derived statuses 3 (expired) and 4 (exhausted), delete,
// revealing the key, validation (422 naming the field), non-JSON bodies (400), conflicts (409: duplicate
// names, the 1,000-token limit), non-selectable groups, and the {success, message, data} reply shape.
import { beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TOKEN_STATUS } from "../../../src/core/status";
import { expectInvalid, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, cli, client, login, makeUser, useServer, type Auth } from "../../support/server";
import { sqliteOnly } from "../../support/backend";

type Api = ReturnType<typeof client>;

const app = useServer();
let admin: Api;
let adminAuth: Auth;
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;

const KEY = /^sk-[0-9A-Za-z]{48}$/;
const MASK = /^sk-[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/;
const nowSec = () => Math.floor(Date.now() / 1000);
const maskOf = (key: string) => `${key.slice(0, 7)}…${key.slice(-4)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function create(api: Api, body: Record<string, unknown>) {
  return expectReply(await api.post("/api/token/", body), 201);
}

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  alice = await makeUser(app.url, adminAuth, "alice");
  bob = await makeUser(app.url, adminAuth, "bob");
  for (const name of ["vip", "vip2", "vip3"]) {
    expectReply(await admin.post("/api/group/", { name, description: `${name} group` }), 201);
  }
  expectReply(await admin.post("/api/group/", { name: "hidden", selectable: false }), 201);
});

describe("create", () => {
  test("201 with the full sk- key and every field echoed", async () => {
    const expires = nowSec() + 86_400;
    const r = await alice.api.post("/api/token/", {
      name: "full",
      remain_quota: 123_456,
      unlimited_quota: false,
      expired_time: expires,
      billing_mode: "per_call",
      group: "vip",
      fallback_groups: ["vip2", "vip3"],
      models: ["gpt-4o", "claude-sonnet-4"],
      allow_ips: ["10.0.0.0/8", "::1", "192.168.1.7"],
    });
    const t = expectReply(r, 201);
    expect(t.key).toMatch(KEY);
    expect(typeof t.id).toBe("number");
    expect(t).toMatchObject({
      user_id: alice.id,
      name: "full",
      status: TOKEN_STATUS.enabled,
      remain_quota: 123_456,
      unlimited_quota: false,
      used_quota: 0,
      expired_time: expires,
      billing_mode: "per_call",
      group: "vip",
      fallback_groups: ["vip2", "vip3"],
      models: ["gpt-4o", "claude-sonnet-4"],
      allow_ips: ["10.0.0.0/8", "::1", "192.168.1.7"],
    });
    expect(typeof t.created_time).toBe("number");
  });

  test("defaults: usage_first, group default, never expires, empty lists, no quota so unlimited (1)", async () => {
    const t = await create(alice.api, { name: "bare" });
    expect(t.key).toMatch(KEY);
    expect(t).toMatchObject({
      name: "bare",
      remain_quota: 0,
      unlimited_quota: true,
      expired_time: -1,
      billing_mode: "usage_first",
      group: "default",
      fallback_groups: [],
      models: [],
      allow_ips: [],
      status: TOKEN_STATUS.enabled,
    });
  });

  test("each create makes a different key", async () => {
    const a = await create(alice.api, { name: "distinct-1", unlimited_quota: true });
    const b = await create(alice.api, { name: "distinct-2", unlimited_quota: true });
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
  });

  test("every billing mode is accepted", async () => {
    for (const mode of ["usage", "per_call", "usage_first", "per_call_first"]) {
      const t = await create(alice.api, { name: `mode-${mode}`, unlimited_quota: true, billing_mode: mode });
      expect(t.billing_mode).toBe(mode);
    }
  });

  test("models, allow_ips and fallback_groups as comma strings: returned as trimmed, de-duplicated arrays", async () => {
    const t = await create(alice.api, {
      name: "commas",
      unlimited_quota: true,
      models: " gpt-4o, claude-sonnet-4 ,gpt-4o,, ",
      allow_ips: "127.0.0.1, 10.0.0.0/8 ,127.0.0.1",
      fallback_groups: " vip2 , vip3,vip2",
    });
    expect(t.models).toEqual(["gpt-4o", "claude-sonnet-4"]);
    expect(t.allow_ips).toEqual(["127.0.0.1", "10.0.0.0/8"]);
    expect(t.fallback_groups).toEqual(["vip2", "vip3"]);
    const got = expectReply(await alice.api.get(`/api/token/${t.id}`), 200);
    expect(got.models).toEqual(["gpt-4o", "claude-sonnet-4"]);
    expect(got.allow_ips).toEqual(["127.0.0.1", "10.0.0.0/8"]);
    expect(got.fallback_groups).toEqual(["vip2", "vip3"]);
  });

  test("the same lists as arrays: trimmed, de-duplicated, blanks dropped, order kept", async () => {
    const t = await create(alice.api, {
      name: "arrays",
      unlimited_quota: true,
      models: [" b-model ", "a-model", "b-model", "", "  "],
      allow_ips: [" ::1 ", "2001:db8::/32", "::1"],
      fallback_groups: [" vip3", "vip3 ", "vip"],
    });
    expect(t.models).toEqual(["b-model", "a-model"]);
    expect(t.allow_ips).toEqual(["::1", "2001:db8::/32"]);
    expect(t.fallback_groups).toEqual(["vip3", "vip"]);
  });

  test("empty comma strings and empty arrays mean empty lists", async () => {
    const a = await create(alice.api, {
      name: "empty-str",
      unlimited_quota: true,
      models: "",
      allow_ips: "",
      fallback_groups: "",
    });
    const b = await create(alice.api, {
      name: "empty-arr",
      unlimited_quota: true,
      models: [],
      allow_ips: [],
      fallback_groups: [],
    });
    for (const t of [a, b]) {
      expect(t.models).toEqual([]);
      expect(t.allow_ips).toEqual([]);
      expect(t.fallback_groups).toEqual([]);
    }
  });

  test("a name of exactly 50 characters is fine; the name is trimmed", async () => {
    const fifty = "n".repeat(50);
    expect((await create(alice.api, { name: fifty, unlimited_quota: true })).name).toBe(fifty);
    expect((await create(alice.api, { name: "  padded  ", unlimited_quota: true })).name).toBe("padded");
    const cjk = "令".repeat(50);
    expect((await create(alice.api, { name: cjk, unlimited_quota: true })).name).toBe(cjk);
  });
});

describe("list, get, search", () => {
  test("GET /api/token/ lists masked keys, never the full key, with total, page and page_size", async () => {
    const u = await makeUser(app.url, adminAuth, "lister");
    const made = await create(u.api, { name: "listed", unlimited_quota: true });
    const r = await u.api.get("/api/token/?p=1&size=20");
    const data = expectReply(r, 200);
    expect(data).toMatchObject({ total: 2, page: 1, page_size: 20 });
    expect(data.items.map((t: { name: string }) => t.name).sort()).toEqual(["default", "listed"]);
    const item = data.items.find((t: { id: number }) => t.id === made.id);
    expect(item.key).toMatch(MASK);
    expect(item.key).toBe(maskOf(made.key));
    expect(JSON.stringify(r.body)).not.toContain(made.key);
    for (const t of data.items) {
      expect(t.key).toMatch(MASK);
      expect(t.user_id).toBe(u.id);
      expect(Array.isArray(t.models)).toBe(true);
      expect(Array.isArray(t.allow_ips)).toBe(true);
      expect(Array.isArray(t.fallback_groups)).toBe(true);
    }
    // pageSize is the other spelling of size
    const r2 = expectReply(await u.api.get("/api/token/?p=1&pageSize=1"), 200);
    expect(r2).toMatchObject({ total: 2, page: 1, page_size: 1 });
    expect(r2.items.length).toBe(1);
    // without paging parameters: page 1
    const r3 = expectReply(await u.api.get("/api/token/"), 200);
    expect(r3.page).toBe(1);
    expect(r3.total).toBe(2);
    expect(r3.items.length).toBe(2);
  });

  test("paging: pages do not overlap and together hold every token", async () => {
    const u = await makeUser(app.url, adminAuth, "pager");
    const made = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        create(u.api, { name: `page-${String(i).padStart(2, "0")}`, unlimited_quota: true }),
      ),
    );
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let p = 1; p <= 4; p++) {
      const data = expectReply(await u.api.get(`/api/token/?p=${p}&size=10`), 200);
      expect(data).toMatchObject({ total: 25, page: p, page_size: 10 });
      sizes.push(data.items.length);
      seen.push(...data.items.map((t: { id: number }) => t.id));
    }
    expect(sizes).toEqual([10, 10, 5, 0]);
    expect(new Set(seen).size).toBe(25);
    for (const t of made) expect(seen).toContain(t.id);
    // pageSize pages the same way as size
    const viaPageSize: number[] = [];
    for (let p = 1; p <= 3; p++) {
      const data = expectReply(await u.api.get(`/api/token/?p=${p}&pageSize=10`), 200);
      expect(data.page_size).toBe(10);
      viaPageSize.push(...data.items.map((t: { id: number }) => t.id));
    }
    expect(viaPageSize).toEqual(seen);
  });

  test("GET /api/token/:id returns one token with a masked key; unknown ids are 404", async () => {
    const made = await create(alice.api, { name: "single", remain_quota: 77, models: "m1,m2" });
    const r = await alice.api.get(`/api/token/${made.id}`);
    const t = expectReply(r, 200);
    const { key, ...rest } = made;
    expect(t).toMatchObject(rest);
    expect(t.key).toBe(maskOf(key));
    expect(JSON.stringify(r.body)).not.toContain(key);
    expectReply(await alice.api.get("/api/token/999999"), 404);
    expectReply(await alice.api.get("/api/token/not-a-number"), 404);
  });

  test("search by name; % and _ in the keyword are literal characters", async () => {
    const u = await makeUser(app.url, adminAuth, "searcher");
    for (const name of ["disc%count", "discXcount", "under_score", "underXscore", "plain"]) {
      await create(u.api, { name, unlimited_quota: true });
    }
    const search = async (keyword: string, path = "/api/token/search") => {
      const data = expectReply(await u.api.get(`${path}?keyword=${encodeURIComponent(keyword)}`), 200);
      expect(data.total).toBe(data.items.length);
      return data.items.map((t: { name: string }) => t.name).sort();
    };
    expect(await search("disc")).toEqual(["disc%count", "discXcount"]);
    expect(await search("c%c")).toEqual(["disc%count"]);
    expect(await search("%")).toEqual(["disc%count"]);
    expect(await search("r_s")).toEqual(["under_score"]);
    expect(await search("_")).toEqual(["under_score"]);
    expect(await search("nothing-like-this")).toEqual([]);
    // the list route takes the same keyword
    expect(await search("c%c", "/api/token/")).toEqual(["disc%count"]);
    // search pages like the list and masks keys
    const data = expectReply(await u.api.get("/api/token/search?keyword=disc&p=2&size=1"), 200);
    expect(data).toMatchObject({ total: 2, page: 2, page_size: 1 });
    expect(data.items.length).toBe(1);
    expect(data.items[0].key).toMatch(MASK);
  });
});

describe("update", () => {
  test("PUT /api/token/ with the full object changes every field", async () => {
    const made = await create(alice.api, { name: "to-edit", remain_quota: 10 });
    const expires = nowSec() + 3600;
    const body = {
      id: made.id,
      name: "edited",
      remain_quota: 5000,
      unlimited_quota: true,
      expired_time: expires,
      billing_mode: "per_call_first",
      group: "vip",
      fallback_groups: "vip2",
      models: "x-model, y-model",
      allow_ips: ["172.16.0.0/12"],
      status: 2,
    };
    const t = expectReply(await alice.api.put("/api/token/", body), 200);
    const expected = {
      id: made.id,
      user_id: alice.id,
      name: "edited",
      remain_quota: 5000,
      unlimited_quota: true,
      expired_time: expires,
      billing_mode: "per_call_first",
      group: "vip",
      fallback_groups: ["vip2"],
      models: ["x-model", "y-model"],
      allow_ips: ["172.16.0.0/12"],
      status: TOKEN_STATUS.disabled,
    };
    expect(t).toMatchObject(expected);
    expect(t.key).toBe(maskOf(made.key));
    expect(expectReply(await alice.api.get(`/api/token/${made.id}`), 200)).toMatchObject(expected);
  });

  test("a partial update keeps the fields it leaves out", async () => {
    const made = await create(alice.api, {
      name: "partial",
      remain_quota: 999,
      expired_time: nowSec() + 7200,
      billing_mode: "usage",
      group: "vip",
      fallback_groups: ["vip2"],
      models: ["keep-me"],
      allow_ips: ["10.1.2.3"],
    });
    const { key: _key, ...before } = made;
    const renamed = expectReply(await alice.api.put("/api/token/", { id: made.id, name: "partial-renamed" }), 200);
    expect(renamed).toMatchObject({ ...before, name: "partial-renamed" });
    const quota = expectReply(await alice.api.put("/api/token/", { id: made.id, remain_quota: 1 }), 200);
    expect(quota).toMatchObject({ ...before, name: "partial-renamed", remain_quota: 1 });
    const models = expectReply(await alice.api.put("/api/token/", { id: made.id, models: "a,b" }), 200);
    expect(models).toMatchObject({ ...before, name: "partial-renamed", remain_quota: 1, models: ["a", "b"] });
    // an empty list clears it
    const cleared = expectReply(await alice.api.put("/api/token/", { id: made.id, allow_ips: [] }), 200);
    expect(cleared.allow_ips).toEqual([]);
    expect(cleared.models).toEqual(["a", "b"]);
    const got = expectReply(await alice.api.get(`/api/token/${made.id}`), 200);
    expect(got).toMatchObject({
      ...before,
      name: "partial-renamed",
      remain_quota: 1,
      models: ["a", "b"],
      allow_ips: [],
    });
  });

  test("changing the group re-checks the stored fallback groups", async () => {
    const made = await create(alice.api, {
      name: "regroup",
      unlimited_quota: true,
      group: "vip",
      fallback_groups: ["vip2"],
    });
    expectInvalid(await alice.api.put("/api/token/", { id: made.id, group: "vip2" }), "fallback_groups");
    const ok = expectReply(await alice.api.put("/api/token/", { id: made.id, group: "vip3" }), 200);
    expect(ok).toMatchObject({ group: "vip3", fallback_groups: ["vip2"] });
  });

  test("update validation: 422 naming the field; unknown id 404", async () => {
    const made = await create(alice.api, { name: "edit-bad", unlimited_quota: true });
    const put = (patch: Record<string, unknown>) => alice.api.put("/api/token/", { id: made.id, ...patch });
    expectInvalid(await put({ name: "" }), "name");
    expectInvalid(await put({ name: "x".repeat(51) }), "name");
    expectInvalid(await put({ billing_mode: "free" }), "billing_mode");
    expectInvalid(await put({ group: "no-such-group" }), "group");
    expectInvalid(await put({ fallback_groups: ["default"] }), "fallback_groups");
    expectInvalid(await put({ fallback_groups: "vip,vip2,vip3" }), "fallback_groups");
    expectInvalid(await put({ allow_ips: "10.0.0.1, not-an-ip" }), "allow_ips");
    expectInvalid(await put({ remain_quota: -5 }), "remain_quota");
    expectInvalid(await put({ expired_time: nowSec() - 60 }), "expired_time");
    expectInvalid(await put({ status: 3 }), "status");
    expectInvalid(await alice.api.put("/api/token/", { name: "no-id" }), "id");
    expectReply(await alice.api.put("/api/token/", { id: 999_999, name: "ghost" }), 404);
    // nothing changed
    const got = expectReply(await alice.api.get(`/api/token/${made.id}`), 200);
    expect(got).toMatchObject({
      name: "edit-bad",
      billing_mode: "usage_first",
      group: "default",
      status: TOKEN_STATUS.enabled,
      fallback_groups: [],
      allow_ips: [],
    });
  });

  test("PUT ?status_only=true takes {id, status} and changes only the status", async () => {
    const made = await create(alice.api, { name: "toggle", unlimited_quota: true, models: ["m"] });
    const off = expectReply(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 2 }), 200);
    expect(off).toMatchObject({ id: made.id, status: TOKEN_STATUS.disabled, name: "toggle", models: ["m"] });
    expect(expectReply(await alice.api.get(`/api/token/${made.id}`), 200).status).toBe(TOKEN_STATUS.disabled);
    const on = expectReply(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 1 }), 200);
    expect(on.status).toBe(TOKEN_STATUS.enabled);
    // other fields in a status_only body are not applied
    const only = expectReply(
      await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 2, name: "sneaky", models: [] }),
      200,
    );
    expect(only).toMatchObject({ status: TOKEN_STATUS.disabled, name: "toggle", models: ["m"] });
    expectInvalid(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 3 }), "status");
    expectInvalid(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 4 }), "status");
    expectInvalid(await alice.api.put("/api/token/?status_only=true", { id: made.id }), "status");
    expectReply(await alice.api.put("/api/token/?status_only=true", { id: 999_999, status: 1 }), 404);
  });
});

describe("derived statuses", () => {
  test("4 exhausted: a limited token at 0; a top-up of the token or unlimited makes it 1", async () => {
    // a new token at 0 is refused (it could never call); a limited token may be set to 0 later
    const made = await create(alice.api, { name: "empty-tank", remain_quota: 1, unlimited_quota: false });
    expect(expectReply(await alice.api.put("/api/token/", { id: made.id, remain_quota: 0 }), 200).status).toBe(
      TOKEN_STATUS.exhausted,
    );
    expect(expectReply(await alice.api.get(`/api/token/${made.id}`), 200).status).toBe(TOKEN_STATUS.exhausted);
    const listed = expectReply(await alice.api.get("/api/token/search?keyword=empty-tank"), 200);
    expect(listed.items.map((t: { status: number }) => t.status)).toEqual([TOKEN_STATUS.exhausted]);
    // people's "disabled" wins over the derived status
    expect(
      expectReply(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 2 }), 200).status,
    ).toBe(TOKEN_STATUS.disabled);
    // enabling again reports the derived status
    expect(
      expectReply(await alice.api.put("/api/token/?status_only=true", { id: made.id, status: 1 }), 200).status,
    ).toBe(TOKEN_STATUS.exhausted);
    expect(expectReply(await alice.api.put("/api/token/", { id: made.id, remain_quota: 1000 }), 200).status).toBe(
      TOKEN_STATUS.enabled,
    );
    expect(
      expectReply(await alice.api.put("/api/token/", { id: made.id, remain_quota: 0, unlimited_quota: true }), 200)
        .status,
    ).toBe(TOKEN_STATUS.enabled);
  });

  test("3 expired: a past expired_time is refused (422); a token whose time runs out reports 3", async () => {
    expectInvalid(
      await alice.api.post("/api/token/", { name: "already-gone", unlimited_quota: true, expired_time: nowSec() - 10 }),
      "expired_time",
    );
    expectInvalid(
      await alice.api.post("/api/token/", { name: "bad-expiry", unlimited_quota: true, expired_time: -2 }),
      "expired_time",
    );
    const expires = nowSec() + 2;
    const soon = await create(alice.api, { name: "short-lived", unlimited_quota: true, expired_time: expires });
    const soonEmpty = await create(alice.api, { name: "short-and-empty", remain_quota: 1, expired_time: expires });
    expect(soon.status).toBe(TOKEN_STATUS.enabled);
    expect(expectReply(await alice.api.put("/api/token/", { id: soonEmpty.id, remain_quota: 0 }), 200).status).toBe(
      TOKEN_STATUS.exhausted,
    );
    // wait until the expiry second has passed
    while (Date.now() < expires * 1000 + 200) await sleep(100);
    expect(expectReply(await alice.api.get(`/api/token/${soon.id}`), 200).status).toBe(TOKEN_STATUS.expired);
    // expired is reported before exhausted
    expect(expectReply(await alice.api.get(`/api/token/${soonEmpty.id}`), 200).status).toBe(TOKEN_STATUS.expired);
    const listed = expectReply(await alice.api.get("/api/token/search?keyword=short-"), 200);
    expect(listed.items.map((t: { status: number }) => t.status)).toEqual([TOKEN_STATUS.expired, TOKEN_STATUS.expired]);
    // disabled wins; enabling again shows expired
    expect(
      expectReply(await alice.api.put("/api/token/?status_only=true", { id: soon.id, status: 2 }), 200).status,
    ).toBe(TOKEN_STATUS.disabled);
    expect(
      expectReply(await alice.api.put("/api/token/?status_only=true", { id: soon.id, status: 1 }), 200).status,
    ).toBe(TOKEN_STATUS.expired);
    // an expired token can still be edited, and a new future time (or -1) revives it
    expect(expectReply(await alice.api.put("/api/token/", { id: soon.id, name: "short-lived-2" }), 200).status).toBe(
      TOKEN_STATUS.expired,
    );
    expect(expectReply(await alice.api.put("/api/token/", { id: soon.id, expired_time: -1 }), 200).status).toBe(
      TOKEN_STATUS.enabled,
    );
  });
});

describe("delete and reveal", () => {
  test("DELETE /api/token/:id removes it; afterwards it is 404 everywhere", async () => {
    const made = await create(alice.api, { name: "doomed", unlimited_quota: true });
    expectReply(await alice.api.del(`/api/token/${made.id}`), 200);
    expectReply(await alice.api.get(`/api/token/${made.id}`), 404);
    expectReply(await alice.api.del(`/api/token/${made.id}`), 404);
    expectReply(await alice.api.post(`/api/token/${made.id}/key`), 404);
    expectReply(await alice.api.put("/api/token/", { id: made.id, name: "zombie" }), 404);
    const list = expectReply(await alice.api.get("/api/token/search?keyword=doomed"), 200);
    expect(list.items).toEqual([]);
    // the name is free again
    await create(alice.api, { name: "doomed", unlimited_quota: true });
  });

  test("POST /api/token/:id/key returns the full key from create to its owner", async () => {
    const made = await create(bob.api, { name: "reveal-me", unlimited_quota: true });
    const data = expectReply(await bob.api.post(`/api/token/${made.id}/key`), 200);
    expect(data.key).toMatch(KEY);
    expect(data.key).toBe(made.key);
    expect(data.id).toBe(made.id);
    // stable across calls and edits
    await bob.api.put("/api/token/", { id: made.id, name: "revealed" });
    expect(expectReply(await bob.api.post(`/api/token/${made.id}/key`), 200).key).toBe(made.key);
  });

  sqliteOnly("the database files (WAL included) never hold a plaintext key", async () => {
    const made = await create(bob.api, { name: "secret-check", unlimited_quota: true });
    const files = readdirSync(app.server.dataDir).filter((f) => f.startsWith("apiyi.db"));
    expect(files).toContain("apiyi.db");
    for (const f of files) {
      const bytes = readFileSync(join(app.server.dataDir, f));
      expect(bytes.includes(made.key)).toBe(false);
      expect(bytes.includes(made.key.slice(3))).toBe(false);
    }
  });
});

describe("validation, bodies and conflicts", () => {
  test("create validation: 422 with a message naming the field", async () => {
    const post = (body: unknown) => alice.api.post("/api/token/", body);
    expectInvalid(await post({}), "name");
    expectInvalid(await post({ name: "" }), "name");
    expectInvalid(await post({ name: "   " }), "name");
    expectInvalid(await post({ name: "x".repeat(51) }), "name");
    expectInvalid(await post({ name: 42 }), "name");
    expectInvalid(await post({ name: "v-mode", billing_mode: "free" }), "billing_mode");
    expectInvalid(await post({ name: "v-group", group: "no-such-group" }), "group");
    expectInvalid(await post({ name: "v-fb-default", fallback_groups: ["default"] }), "fallback_groups");
    expectInvalid(await post({ name: "v-fb-same", group: "vip", fallback_groups: "vip" }), "fallback_groups");
    expectInvalid(
      await post({ name: "v-fb-same2", group: "vip", fallback_groups: ["vip2", "vip"] }),
      "fallback_groups",
    );
    expectInvalid(await post({ name: "v-fb-three", fallback_groups: ["vip", "vip2", "vip3"] }), "fallback_groups");
    expectInvalid(await post({ name: "v-fb-three-str", fallback_groups: "vip,vip2,vip3" }), "fallback_groups");
    expectInvalid(await post({ name: "v-fb-missing", fallback_groups: ["no-such-group"] }), "fallback_groups");
    for (const bad of ["10.0.0.0/33", "300.1.2.3", "not-an-ip", "10.0.0.1/8/1", "::1/129", "10.0.0.0/"]) {
      expectInvalid(await post({ name: "v-ip", allow_ips: [bad] }), "allow_ips");
    }
    expectInvalid(await post({ name: "v-ip-str", allow_ips: "127.0.0.1, bogus" }), "allow_ips");
    expectInvalid(await post({ name: "v-quota", remain_quota: -1 }), "remain_quota");
    expectInvalid(await post({ name: "v-quota-frac", remain_quota: 1.5 }), "remain_quota");
    expectInvalid(await post({ name: "v-quota-str", remain_quota: "100" }), "remain_quota");
    expectInvalid(await post({ name: "v-unl", unlimited_quota: "yes" }), "unlimited_quota");
    expectInvalid(await post({ name: "v-status", status: 3 }), "status");
    // none of these made a token
    const list = expectReply(await alice.api.get("/api/token/search?keyword=v-"), 200);
    expect(list.items).toEqual([]);
  });

  test("duplicate fallback groups never survive: they are folded into one", async () => {
    // The list is de-duplicated like models and allow_ips; whatever comes back holds distinct groups.
    const t = await create(alice.api, {
      name: "fb-dups",
      unlimited_quota: true,
      fallback_groups: ["vip", "vip", "vip2", " vip2 "],
    });
    expect(t.fallback_groups).toEqual(["vip", "vip2"]);
  });

  test("a body that is not JSON is 400", async () => {
    for (const [method, path] of [
      ["POST", "/api/token/"],
      ["PUT", "/api/token/"],
      ["PUT", "/api/token/?status_only=true"],
    ]) {
      const r = await call(app.url, method, path, "{name: not json", alice.auth);
      expectReply(r, 400);
    }
  });

  test("a duplicate name for the same user is 409; another user may use it", async () => {
    await create(alice.api, { name: "twin", unlimited_quota: true });
    expectReply(await alice.api.post("/api/token/", { name: "twin", unlimited_quota: true }), 409);
    expectReply(await alice.api.post("/api/token/", { name: "  twin ", unlimited_quota: true }), 409);
    // every user already has "default"
    expectReply(await alice.api.post("/api/token/", { name: "default", unlimited_quota: true }), 409);
    await create(bob.api, { name: "twin", unlimited_quota: true });
    // renaming onto an existing name is a conflict too; keeping one's own name is not
    const other = await create(alice.api, { name: "twin-2", unlimited_quota: true });
    expectReply(await alice.api.put("/api/token/", { id: other.id, name: "twin" }), 409);
    expectReply(await alice.api.put("/api/token/", { id: other.id, name: "twin-2", remain_quota: 5 }), 200);
  });

  test("at most 1,000 tokens per user: the 1,001st is 409 (the default token counts)", async () => {
    const u = await makeUser(app.url, adminAuth, "hoarder");
    const names = Array.from({ length: 999 }, (_, i) => `bulk-${i}`);
    const ids: number[] = [];
    for (let i = 0; i < names.length; i += 50) {
      const replies = await Promise.all(
        names.slice(i, i + 50).map((name) => u.api.post("/api/token/", { name, unlimited_quota: true })),
      );
      const statuses = replies.map((r) => r.status);
      expect(statuses).toEqual(statuses.map(() => 201));
      ids.push(...replies.map((r) => r.body.data.id as number));
    }
    expect(expectReply(await u.api.get("/api/token/?p=1&size=1"), 200).total).toBe(1000);
    const over = await u.api.post("/api/token/", { name: "one-too-many", unlimited_quota: true });
    expectReply(over, 409);
    expect(expectReply(await u.api.get("/api/token/?p=1&size=1"), 200).total).toBe(1000);
    // the limit is per user: others are unaffected
    await create(bob.api, { name: "not-limited", unlimited_quota: true });
    // deleting one frees a place, exactly one
    expectReply(await u.api.del(`/api/token/${ids[0]}`), 200);
    await create(u.api, { name: "one-too-many", unlimited_quota: true });
    expectReply(await u.api.post("/api/token/", { name: "now-over-again", unlimited_quota: true }), 409);
    // at the limit, concurrent creates fill exactly the free places
    await Promise.all(ids.slice(1, 4).map(async (id) => expectReply(await u.api.del(`/api/token/${id}`), 200)));
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) => u.api.post("/api/token/", { name: `race-${i}`, unlimited_quota: true })),
    );
    const statuses = racing.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409, 409, 409]);
    expect(expectReply(await u.api.get("/api/token/?p=1&size=1"), 200).total).toBe(1000);
  });

  test("users may not pick a non-selectable group; admins may", async () => {
    expectInvalid(
      await alice.api.post("/api/token/", { name: "in-hidden", unlimited_quota: true, group: "hidden" }),
      "group",
    );
    expectInvalid(
      await alice.api.post("/api/token/", { name: "fb-hidden", unlimited_quota: true, fallback_groups: ["hidden"] }),
      "fallback_groups",
    );
    const mine = await create(alice.api, { name: "move-me", unlimited_quota: true });
    expectInvalid(await alice.api.put("/api/token/", { id: mine.id, group: "hidden" }), "group");
    // the groups a user is offered leave it out; an admin sees it
    const userGroups = expectReply(await alice.api.get("/api/group/"), 200).items.map((g: { name: string }) => g.name);
    expect(userGroups).not.toContain("hidden");
    expect(userGroups).toContain("default");
    const adminGroups = expectReply(await admin.get("/api/group/"), 200).items.map((g: { name: string }) => g.name);
    expect(adminGroups).toContain("hidden");
    const a = await create(admin, {
      name: "admin-hidden",
      unlimited_quota: true,
      group: "hidden",
      fallback_groups: ["vip"],
    });
    expect(a).toMatchObject({ group: "hidden", fallback_groups: ["vip"] });
    const b = await create(admin, { name: "admin-fb-hidden", unlimited_quota: true, fallback_groups: "hidden" });
    expect(b.fallback_groups).toEqual(["hidden"]);
  });

  test("errors on unknown API routes keep the reply shape", async () => {
    const r = await alice.api.get("/api/token/1/nothing-here");
    expectReply(r, 404);
  });
});

// Issue 10 item 16: one rule for the token quota, whichever way a token is made. Left out → unlimited
// (bounded by the owner's balance); both fields (new-api sends both) → as sent; a limited token at 0
// could never call → refused, naming what to do.
describe("the quota default is the same for the API, the console and the CLI", () => {
  const quotaOf = async (id: number) => {
    const t = expectReply(await alice.api.get(`/api/token/${id}`), 200);
    return { remain_quota: t.remain_quota, unlimited_quota: t.unlimited_quota, status: t.status };
  };

  test("API: left out → unlimited; a quota alone → limited to it; both fields → exactly as sent", async () => {
    expect(await create(alice.api, { name: "q-none" })).toMatchObject({
      unlimited_quota: true,
      remain_quota: 0,
      status: TOKEN_STATUS.enabled,
    });
    expect(await create(alice.api, { name: "q-alone", remain_quota: 2_500_000 })).toMatchObject({
      unlimited_quota: false,
      remain_quota: 2_500_000,
      status: TOKEN_STATUS.enabled,
    });
    // new-api's console sends both fields every time
    expect(
      await create(alice.api, { name: "q-newapi-limited", remain_quota: 500_000, unlimited_quota: false }),
    ).toMatchObject({ unlimited_quota: false, remain_quota: 500_000 });
    expect(
      await create(alice.api, { name: "q-newapi-unlimited", remain_quota: 0, unlimited_quota: true }),
    ).toMatchObject({ unlimited_quota: true, status: TOKEN_STATUS.enabled });
    expect(await create(alice.api, { name: "q-unl-only", unlimited_quota: true })).toMatchObject({
      unlimited_quota: true,
      status: TOKEN_STATUS.enabled,
    });
  });

  test("API: a limited token with a quota of 0 is refused (422) with what to do, and nothing is made", async () => {
    for (const body of [{ remain_quota: 0 }, { remain_quota: 0, unlimited_quota: false }, { unlimited_quota: false }]) {
      const r = await alice.api.post("/api/token/", { name: "q-zero", ...body });
      expectReply(r, 422);
      expect(r.body.message).toContain("can never make a call");
      expect(r.body.message).toContain("unlimited");
    }
    expect(expectReply(await alice.api.get("/api/token/search?keyword=q-zero"), 200).items).toEqual([]);
  });

  test("API edits: an unlimited token cannot be made limited at 0; a limited one may be set to 0", async () => {
    const unl = await create(alice.api, { name: "q-edit-unl" });
    const r = await alice.api.put("/api/token/", { id: unl.id, unlimited_quota: false });
    expectInvalid(r, "remain_quota");
    expect(r.body.message).toContain("can never make a call");
    expect(await quotaOf(unl.id)).toMatchObject({ unlimited_quota: true });
    expect(
      expectReply(await alice.api.put("/api/token/", { id: unl.id, unlimited_quota: false, remain_quota: 1000 }), 200),
    ).toMatchObject({ unlimited_quota: false, remain_quota: 1000 });
    // renaming a limited token that ran dry keeps working (new-api sends remain_quota: 0 back)
    expect(expectReply(await alice.api.put("/api/token/", { id: unl.id, remain_quota: 0 }), 200).status).toBe(
      TOKEN_STATUS.exhausted,
    );
    expect(
      expectReply(
        await alice.api.put("/api/token/", { id: unl.id, name: "q-edit-dry", remain_quota: 0, unlimited_quota: false }),
        200,
      ).name,
    ).toBe("q-edit-dry");
  });

  test("console: Unlimited ticked → unlimited; unticked with no amount or $0 → the dialog says what to do", async () => {
    const session = (await login(app.url, "alice", "user-password-1")).cookie;
    const csrf = /data-csrf="([0-9a-f]+)"/.exec(
      await (await fetch(`${app.url}/token`, { headers: { cookie: session } })).text(),
    )![1];
    const post = async (form: Record<string, string>) => {
      const res = await fetch(`${app.url}/token`, {
        method: "POST",
        headers: {
          cookie: session,
          "x-csrf-token": csrf,
          origin: app.url,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ never: "1", group: "default", billing_mode: "usage_first", ...form }),
      });
      return res.text();
    };
    expect(await post({ name: "c-unl", unlimited: "1" })).toContain("Token created");
    for (const quota_usd of ["", "0", "0.000001"]) {
      const html = await post({ name: "c-zero", quota_usd });
      expect(html).not.toContain("Token created");
      expect(html).toContain("enter an amount above $0, or tick Unlimited");
    }
    expect(await post({ name: "c-limited", quota_usd: "2.5" })).toContain("Token created");
    const list = expectReply(await alice.api.get("/api/token/search?keyword=c-"), 200).items as {
      name: string;
      unlimited_quota: boolean;
      remain_quota: number;
    }[];
    expect(list.map((t) => [t.name, t.unlimited_quota, t.remain_quota]).sort()).toEqual([
      ["c-limited", false, 1_250_000],
      ["c-unl", true, 0],
    ]);
  });

  test("CLI: without --quota-usd the token is unlimited; --quota-usd 0 is refused with what to do", async () => {
    const dir = app.server.dataDir;
    const made = await cli(["token", "create", "--user", "alice", "--name", "cli-bare", "--data-dir", dir]);
    expect(made.code).toBe(0);
    const zero = await cli([
      "token",
      "create",
      "--user",
      "alice",
      "--name",
      "cli-zero",
      "--quota-usd",
      "0",
      "--data-dir",
      dir,
    ]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--quota-usd: must be at least 0.000002");
    const list = expectReply(await alice.api.get("/api/token/search?keyword=cli-"), 200).items as {
      name: string;
      unlimited_quota: boolean;
    }[];
    expect(list.map((t) => [t.name, t.unlimited_quota])).toEqual([["cli-bare", true]]);
  });
});
