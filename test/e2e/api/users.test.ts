// Users through the management API, over real HTTP against a real server: /api/user/self, the first
// admin, admin create/list/get/update/delete (with the automatic "default" token), the last-admin
// guard, top-ups and adjustments with their log rows, runtime settings (register_enabled,
// new_user_quota), sign-up, and how --register-enabled / APIYI_REGISTER_ENABLED seed sign-up on the
// first start while a stored value wins on later starts.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE, TOKEN_STATUS, USER_STATUS } from "../../../src/core/status";
import { expectInvalid, expectReply } from "../../support/expect";
import {
  ADMIN_PASSWORD,
  call,
  client,
  login,
  makeUser,
  removeDir,
  startServer,
  tempDir,
  useServer,
  type Server,
} from "../../support/server";

// password hashing (argon2id) and server starts are slow on a busy machine: no test should die of the 5 s default
setDefaultTimeout(20_000);

const app = useServer();
let adminAuth: { cookie: string };
let admin: ReturnType<typeof client>;
let adminId: number;
let seq = 0;
const uname = (prefix: string) => `${prefix}${++seq}`;

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  adminId = (await admin.get("/api/user/self")).body.data.id;
});
const loginStatus = async (username: string, password: string) =>
  (await call(app.url, "POST", "/api/user/login", { username, password })).status;

async function logsOf(userId: number) {
  const r = await admin.get(`/api/log/?user_id=${userId}&size=100`);
  return expectReply(r, 200) as { items: any[]; total: number };
}

async function allTokens() {
  const r = await admin.get("/api/token/?size=100");
  const data = expectReply(r, 200);
  expect(data.total).toBeLessThanOrEqual(100);
  return data.items as any[];
}

describe("the first admin", () => {
  test("GET /api/user/self returns the account's fields", async () => {
    const me = expectReply(await admin.get("/api/user/self"), 200);
    expect(me).toMatchObject({ username: "admin", role: "admin" });
    expect(typeof me.id).toBe("number");
    expect(typeof me.quota).toBe("number");
    expect(typeof me.unlimited).toBe("boolean");
    expect(typeof me.used_quota).toBe("number");
    expect(typeof me.request_count).toBe("number");
    expect(JSON.stringify(me)).not.toContain("argon2");
  });

  test("is unlimited by default and has a default token", async () => {
    const me = expectReply(await admin.get("/api/user/self"), 200);
    expect(me.unlimited).toBe(true);
    const own = (await allTokens()).filter((t) => t.user_id === me.id);
    expect(own.map((t) => t.name)).toEqual(["default"]);
  });

  test("/api/user/self needs a credential", async () => {
    expectReply(await call(app.url, "GET", "/api/user/self"), 401);
  });
});

describe("the last enabled admin", () => {
  test("cannot be demoted, disabled or deleted, and an admin cannot delete themselves", async () => {
    // at this point "admin" is the only admin
    const users = expectReply(await admin.get("/api/user/?size=100"), 200).items as any[];
    expect(users.filter((u) => u.role === "admin" && u.status === USER_STATUS.enabled).map((u) => u.id)).toEqual([
      adminId,
    ]);

    expectReply(await admin.put("/api/user/", { id: adminId, role: "user" }), 409);
    expectReply(await admin.put("/api/user/", { id: adminId, status: 2 }), 409);
    expectReply(await admin.del(`/api/user/${adminId}`), 409);
    const me = expectReply(await admin.get("/api/user/self"), 200);
    expect(me).toMatchObject({ role: "admin", status: USER_STATUS.enabled });

    // with a second enabled admin, still no admin may delete themselves
    const other = expectReply(
      await admin.post("/api/user/", { username: uname("boss"), password: "boss-password-1", role: "admin" }),
      201,
    );
    expect(other.role).toBe("admin");
    expectReply(await admin.del(`/api/user/${adminId}`), 409);
    const otherApi = client(app.url, await login(app.url, other.username, "boss-password-1"));
    expectReply(await otherApi.del(`/api/user/${other.id}`), 409);

    // the second admin is disabled: "admin" is the last enabled one again
    expectReply(await admin.put("/api/user/", { id: other.id, status: 2 }), 200);
    expectReply(await admin.put("/api/user/", { id: adminId, role: "user" }), 409);
    expectReply(await admin.put("/api/user/", { id: adminId, status: 2 }), 409);

    // demoting the other admin is fine while "admin" stays; deleting them too
    expectReply(await admin.put("/api/user/", { id: other.id, status: 1 }), 200);
    const demoted = expectReply(await admin.put("/api/user/", { id: other.id, role: "user" }), 200);
    expect(demoted.role).toBe("user");
    expectReply(await admin.del(`/api/user/${other.id}`), 200);
  });
});

describe("admin creates users", () => {
  test("POST /api/user/ → 201 with the new user; it has exactly one token named default", async () => {
    const username = uname("alice");
    const r = await admin.post("/api/user/", { username, password: "alice-password-1" });
    const u = expectReply(r, 201);
    expect(typeof u.id).toBe("number");
    expect(u).toMatchObject({
      username,
      role: "user",
      status: USER_STATUS.enabled,
      unlimited: false,
      quota: 0,
      used_quota: 0,
      request_count: 0,
    });
    expect(JSON.stringify(u)).not.toContain("password");

    const api = client(app.url, await login(app.url, username, "alice-password-1"));
    const self = expectReply(await api.get("/api/user/self"), 200);
    expect(self).toMatchObject({
      id: u.id,
      username,
      role: "user",
      quota: 0,
      unlimited: false,
      used_quota: 0,
      request_count: 0,
    });

    const list = expectReply(await api.get("/api/token/"), 200);
    expect(list.total).toBe(1);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      user_id: u.id,
      name: "default",
      unlimited_quota: true,
      billing_mode: "usage_first",
      group: "default",
      status: TOKEN_STATUS.enabled,
    });
    // and the admin sees that token among everyone's
    expect((await allTokens()).filter((t) => t.user_id === u.id).map((t) => t.name)).toEqual(["default"]);
  });

  test("role admin is honoured when an admin asks for it", async () => {
    const u = expectReply(
      await admin.post("/api/user/", { username: uname("adm"), password: "adm-password-1", role: "admin" }),
      201,
    );
    expect(u.role).toBe("admin");
    expectReply(await admin.del(`/api/user/${u.id}`), 200);
  });

  test("a duplicate username → 409", async () => {
    const username = uname("dup");
    expectReply(await admin.post("/api/user/", { username, password: "dup-password-1" }), 201);
    expectReply(await admin.post("/api/user/", { username, password: "another-password" }), 409);
    expectReply(await admin.post("/api/user/", { username: "admin", password: "another-password" }), 409);
  });

  test("a bad username or a short password → 422 naming the field", async () => {
    expectInvalid(await admin.post("/api/user/", { username: "ab", password: "long-enough-1" }), "username");
    expectInvalid(await admin.post("/api/user/", { username: "has space", password: "long-enough-1" }), "username");
    expectInvalid(await admin.post("/api/user/", { username: "x".repeat(33), password: "long-enough-1" }), "username");
    expectInvalid(await admin.post("/api/user/", { password: "long-enough-1" }), "username");
    expectInvalid(await admin.post("/api/user/", { username: uname("pw"), password: "short" }), "password");
    expectInvalid(await admin.post("/api/user/", { username: uname("pw") }), "password");
    expectInvalid(
      await admin.post("/api/user/", { username: uname("rl"), password: "long-enough-1", role: "root" }),
      "role",
    );
  });

  test("a body that is not JSON → 400", async () => {
    expectReply(await admin.post("/api/user/", "{not json"), 400);
  });

  test("users and anonymous callers cannot manage users", async () => {
    const { id, api } = await makeUser(app.url, adminAuth, uname("plain"));
    expectReply(await api.post("/api/user/", { username: uname("x"), password: "long-enough-1" }), 403);
    expectReply(await api.get("/api/user/"), 403);
    expectReply(await api.get(`/api/user/${id}`), 403);
    expectReply(await api.put("/api/user/", { id, unlimited: true }), 403);
    expectReply(await api.del(`/api/user/${adminId}`), 403);
    expectReply(await api.post(`/api/user/${id}/topup`, { quota: 1000 }), 403);
    expectReply(await api.post(`/api/user/${id}/adjust`, { delta: 1000, reason: "me" }), 403);
    expectReply(await api.get(`/api/log/?user_id=${adminId}`), 403);
    const anon = client(app.url);
    expectReply(await anon.post("/api/user/", { username: uname("x"), password: "long-enough-1" }), 401);
    expectReply(await anon.get("/api/user/"), 401);
    expectReply(await anon.get(`/api/user/${id}`), 401);
    expectReply(await anon.put("/api/user/", { id, unlimited: true }), 401);
    expectReply(await anon.del(`/api/user/${id}`), 401);
    expectReply(await anon.post(`/api/user/${id}/topup`, { quota: 1000 }), 401);
  });
});

describe("list, get, update, delete", () => {
  test("GET /api/user/ lists users with paging; GET /api/user/:id gets one; unknown ids → 404", async () => {
    const a = await makeUser(app.url, adminAuth, uname("listed"));
    const list = expectReply(await admin.get("/api/user/?p=1&size=100"), 200);
    expect(list).toMatchObject({ page: 1, page_size: 100 });
    expect(list.items.length).toBe(list.total);
    expect(list.items.map((u: any) => u.id)).toContain(a.id);

    const page = expectReply(await admin.get("/api/user/?p=2&pageSize=1"), 200);
    expect(page).toMatchObject({ page: 2, page_size: 1, total: list.total });
    expect(page.items).toHaveLength(1);
    expect(page.items[0].id).toBe(list.items[1].id);

    const found = expectReply(await admin.get(`/api/user/?keyword=listed`), 200);
    expect(found.items.map((u: any) => u.id)).toContain(a.id);
    expect(found.items.every((u: any) => u.username.includes("listed"))).toBe(true);

    const one = expectReply(await admin.get(`/api/user/${a.id}`), 200);
    expect(one).toMatchObject({ id: a.id, role: "user", status: USER_STATUS.enabled, quota: 0, unlimited: false });

    expectReply(await admin.get("/api/user/999999"), 404);
    expectReply(await admin.get("/api/user/abc"), 404);
  });

  test("role and unlimited can be changed", async () => {
    const a = await makeUser(app.url, adminAuth, uname("upd"));
    const u1 = expectReply(await admin.put("/api/user/", { id: a.id, unlimited: true }), 200);
    expect(u1.unlimited).toBe(true);
    expect(expectReply(await a.api.get("/api/user/self"), 200).unlimited).toBe(true);
    const u2 = expectReply(await admin.put("/api/user/", { id: a.id, unlimited: false }), 200);
    expect(u2.unlimited).toBe(false);

    const u3 = expectReply(await admin.put("/api/user/", { id: a.id, role: "admin" }), 200);
    expect(u3.role).toBe("admin");
    // they now reach admin routes
    expectReply(await a.api.get("/api/user/"), 200);
    const u4 = expectReply(await admin.put("/api/user/", { id: a.id, role: "user" }), 200);
    expect(u4.role).toBe("user");
    expectReply(await a.api.get("/api/user/"), 403);

    expectReply(await admin.put("/api/user/", { id: 999999, unlimited: true }), 404);
    expectInvalid(await admin.put("/api/user/", { id: a.id, role: "root" }), "role");
    expectInvalid(await admin.put("/api/user/", { id: a.id, status: 3 }), "status");
    expectInvalid(await admin.put("/api/user/", { id: a.id, unlimited: "yes" }), "unlimited");
    expectInvalid(await admin.put("/api/user/", { unlimited: true }), "id");
  });

  test("after a password change the old password fails and the new one works", async () => {
    const username = uname("pwd");
    const a = await makeUser(app.url, adminAuth, username, "old-password-1");
    expectInvalid(await admin.put("/api/user/", { id: a.id, password: "short" }), "password");
    expectReply(await admin.put("/api/user/", { id: a.id, password: "new-password-1" }), 200);
    expect(await loginStatus(username, "old-password-1")).toBe(401);
    expect(await loginStatus(username, "new-password-1")).toBe(200);
  });

  test("a disabled user cannot sign in and their session stops working; enabling them again lets them in", async () => {
    const username = uname("dis");
    const a = await makeUser(app.url, adminAuth, username, "dis-password-1");
    expectReply(await a.api.get("/api/user/self"), 200);
    const tokenReply = expectReply(await a.api.post("/api/user/token"), 200);
    const byToken = client(app.url, { token: tokenReply.access_token });
    expectReply(await byToken.get("/api/user/self"), 200);

    const u = expectReply(await admin.put("/api/user/", { id: a.id, status: 2 }), 200);
    expect(u.status).toBe(USER_STATUS.disabled);
    expect([401, 403]).toContain(await loginStatus(username, "dis-password-1"));
    const stale = await a.api.get("/api/user/self");
    expect([401, 403]).toContain(stale.status);
    expect(stale.body.success).toBe(false);
    expect([401, 403]).toContain((await byToken.get("/api/user/self")).status);
    expect([401, 403]).toContain((await a.api.get("/api/token/")).status);

    expectReply(await admin.put("/api/user/", { id: a.id, status: 1 }), 200);
    expect(await loginStatus(username, "dis-password-1")).toBe(200);
  });

  test("deleting a user removes them and their tokens; their log rows stay", async () => {
    const a = await makeUser(app.url, adminAuth, uname("del"));
    expectReply(await a.api.post("/api/token/", { name: "second", unlimited_quota: true }), 201);
    expectReply(await admin.post(`/api/user/${a.id}/topup`, { quota: 7777 }), 200);
    expect((await allTokens()).filter((t) => t.user_id === a.id)).toHaveLength(2);
    const before = await logsOf(a.id);
    expect(before.total).toBe(1);

    expectReply(await admin.del(`/api/user/${a.id}`), 200);
    expectReply(await admin.get(`/api/user/${a.id}`), 404);
    const list = expectReply(await admin.get("/api/user/?size=100"), 200);
    expect(list.items.map((u: any) => u.id)).not.toContain(a.id);
    expect((await allTokens()).filter((t) => t.user_id === a.id)).toHaveLength(0);
    expect((await a.api.get("/api/user/self")).status).toBe(401);

    const after = await logsOf(a.id);
    expect(after.total).toBe(1);
    expect(after.items[0]).toMatchObject({ user_id: a.id, type: LOG_TYPE.topup, quota: 7777 });

    expectReply(await admin.del(`/api/user/${a.id}`), 404);
    expectReply(await admin.del("/api/user/999999"), 404);
  });
});

describe("balances", () => {
  test("a top-up adds to the balance and writes a type-1 log row the user sees", async () => {
    const a = await makeUser(app.url, adminAuth, uname("top"));
    const u1 = expectReply(await admin.post(`/api/user/${a.id}/topup`, { quota: 500_000 }), 200);
    expect(u1).toMatchObject({ id: a.id, quota: 500_000 });
    const u2 = expectReply(await admin.post(`/api/user/${a.id}/topup`, { quota: 1234 }), 200);
    expect(u2.quota).toBe(501_234);
    expect(expectReply(await a.api.get("/api/user/self"), 200).quota).toBe(501_234);

    const mine = expectReply(await a.api.get("/api/log/self"), 200);
    expect(mine.total).toBe(2);
    // newest first
    expect(mine.items.map((l: any) => [l.type, l.quota, l.user_id])).toEqual([
      [1, 1234, a.id],
      [1, 500_000, a.id],
    ]);
    const topups = expectReply(await a.api.get("/api/log/self?type=1"), 200);
    expect(topups.total).toBe(2);
    // a user only ever reads their own rows
    const asked = expectReply(await a.api.get(`/api/log/self?user_id=${adminId}`), 200);
    expect(asked.items.every((l: any) => l.user_id === a.id)).toBe(true);
    // admins see the same rows filtered by user
    expect((await logsOf(a.id)).items.map((l: any) => l.quota)).toEqual([1234, 500_000]);
  });

  test("zero, negative and non-integer top-ups → 422 naming quota; the balance is unchanged", async () => {
    const a = await makeUser(app.url, adminAuth, uname("bad"));
    for (const quota of [0, -5, 1.5, "100", null]) {
      expectInvalid(await admin.post(`/api/user/${a.id}/topup`, { quota }), "quota");
    }
    expectInvalid(await admin.post(`/api/user/${a.id}/topup`, {}), "quota");
    expect(expectReply(await a.api.get("/api/user/self"), 200).quota).toBe(0);
    expect(expectReply(await a.api.get("/api/log/self"), 200).total).toBe(0);
    expectReply(await admin.post("/api/user/999999/topup", { quota: 10 }), 404);
  });

  test("an adjustment can subtract, never below zero (409), and logs type 3", async () => {
    const a = await makeUser(app.url, adminAuth, uname("adj"));
    expectReply(await admin.post(`/api/user/${a.id}/topup`, { quota: 1000 }), 200);
    const down = expectReply(
      await admin.post(`/api/user/${a.id}/adjust`, { delta: -400, reason: "refund reversed" }),
      200,
    );
    expect(down.quota).toBe(600);
    const up = expectReply(await admin.post(`/api/user/${a.id}/adjust`, { delta: 50, reason: "goodwill" }), 200);
    expect(up.quota).toBe(650);

    expectReply(await admin.post(`/api/user/${a.id}/adjust`, { delta: -651, reason: "too much" }), 409);
    expect(expectReply(await a.api.get("/api/user/self"), 200).quota).toBe(650);
    // down to exactly zero is fine
    expect(expectReply(await admin.post(`/api/user/${a.id}/adjust`, { delta: -650, reason: "close" }), 200).quota).toBe(
      0,
    );
    expectReply(await admin.post(`/api/user/${a.id}/adjust`, { delta: -1, reason: "below zero" }), 409);

    const rows = expectReply(await a.api.get("/api/log/self"), 200);
    expect(rows.items.map((l: any) => [l.type, l.quota])).toEqual([
      [3, -650],
      [3, 50],
      [3, -400],
      [1, 1000],
    ]);
    expect(rows.items[2].content).toContain("refund reversed");

    expectInvalid(await admin.post(`/api/user/${a.id}/adjust`, { delta: 0, reason: "nothing" }), "delta");
    expectInvalid(await admin.post(`/api/user/${a.id}/adjust`, { delta: 1.5, reason: "half" }), "delta");
    expectInvalid(await admin.post(`/api/user/${a.id}/adjust`, { delta: 10 }), "reason");
    expectReply(await admin.post("/api/user/999999/adjust", { delta: 10, reason: "ghost" }), 404);
  });
});

describe("settings and sign-up", () => {
  test("GET /api/setting shows the defaults; only admins read or change settings", async () => {
    const s = expectReply(await admin.get("/api/setting"), 200);
    expect(s).toMatchObject({ register_enabled: false, new_user_quota: 0 });
    const a = await makeUser(app.url, adminAuth, uname("set"));
    expectReply(await a.api.get("/api/setting"), 403);
    expectReply(await a.api.put("/api/setting", { register_enabled: true }), 403);
    expectReply(await call(app.url, "GET", "/api/setting"), 401);
    expectReply(await call(app.url, "PUT", "/api/setting", { register_enabled: true }), 401);
    expect(expectReply(await admin.get("/api/setting"), 200).register_enabled).toBe(false);
  });

  test("unknown keys and wrong types → 422 naming the key; nothing is changed", async () => {
    expectInvalid(await admin.put("/api/setting", { no_such_setting: 1 }), "no_such_setting");
    expectInvalid(await admin.put("/api/setting", { register_enabled: "yes" }), "register_enabled");
    expectInvalid(await admin.put("/api/setting", { register_enabled: 1 }), "register_enabled");
    expectInvalid(await admin.put("/api/setting", { new_user_quota: -1 }), "new_user_quota");
    expectInvalid(await admin.put("/api/setting", { new_user_quota: 1.5 }), "new_user_quota");
    expectInvalid(await admin.put("/api/setting", { new_user_quota: "100" }), "new_user_quota");
    expectInvalid(await admin.put("/api/setting", { new_user_quota: 5000, bogus: true }), "bogus");
    // names that exist on every JS object are unknown settings too
    expectInvalid(await admin.put("/api/setting", { constructor: 1 }), "constructor");
    expectInvalid(await admin.put("/api/setting", { toString: true }), "toString");
    expectInvalid(await admin.put("/api/setting", '{"__proto__": true}'), "__proto__");
    expect(expectReply(await admin.get("/api/setting"), 200)).toMatchObject({
      register_enabled: false,
      new_user_quota: 0,
    });
  });

  test("with new_user_quota set, new users start with that balance", async () => {
    const s = expectReply(await admin.put("/api/setting", { new_user_quota: 250_000 }), 200);
    expect(s.new_user_quota).toBe(250_000);
    expect(expectReply(await admin.get("/api/setting"), 200).new_user_quota).toBe(250_000);
    try {
      const u = expectReply(
        await admin.post("/api/user/", { username: uname("rich"), password: "rich-password-1" }),
        201,
      );
      expect(u.quota).toBe(250_000);
      expect(expectReply(await admin.get(`/api/user/${u.id}`), 200).quota).toBe(250_000);
      // signed-up users too
      expectReply(await admin.put("/api/setting", { register_enabled: true }), 200);
      const r = await call(app.url, "POST", "/api/user/register", {
        username: uname("richer"),
        password: "rich-password-1",
      });
      expect(expectReply(r, 201).quota).toBe(250_000);
    } finally {
      expectReply(await admin.put("/api/setting", { new_user_quota: 0, register_enabled: false }), 200);
    }
    const v = expectReply(
      await admin.post("/api/user/", { username: uname("poor"), password: "poor-password-1" }),
      201,
    );
    expect(v.quota).toBe(0);
  });

  test("sign-up is 403 while off, 201 once an admin turns it on; the new user gets a default token", async () => {
    const username = uname("signup");
    const off = await call(app.url, "POST", "/api/user/register", { username, password: "signup-password-1" });
    expectReply(off, 403);
    expect(await loginStatus(username, "signup-password-1")).toBe(401);
    expect(expectReply(await call(app.url, "GET", "/api/status"), 200).register_enabled).toBe(false);

    expect(expectReply(await admin.put("/api/setting", { register_enabled: true }), 200).register_enabled).toBe(true);
    try {
      expect(expectReply(await call(app.url, "GET", "/api/status"), 200).register_enabled).toBe(true);
      // asking to be admin is ignored
      const r = await call(app.url, "POST", "/api/user/register", {
        username,
        password: "signup-password-1",
        role: "admin",
      });
      const u = expectReply(r, 201);
      expect(u).toMatchObject({ username, role: "user", status: USER_STATUS.enabled, unlimited: false, quota: 0 });
      expect(typeof u.id).toBe("number");

      const api = client(app.url, await login(app.url, username, "signup-password-1"));
      expectReply(await api.get("/api/user/"), 403);
      const tokens = expectReply(await api.get("/api/token/"), 200);
      expect(tokens.total).toBe(1);
      expect(tokens.items[0]).toMatchObject({
        name: "default",
        unlimited_quota: true,
        billing_mode: "usage_first",
        group: "default",
      });

      expectReply(await call(app.url, "POST", "/api/user/register", { username, password: "signup-password-2" }), 409);
      expectInvalid(
        await call(app.url, "POST", "/api/user/register", { username: "no", password: "signup-password-1" }),
        "username",
      );
      expectInvalid(
        await call(app.url, "POST", "/api/user/register", { username: uname("s"), password: "short" }),
        "password",
      );
    } finally {
      expectReply(await admin.put("/api/setting", { register_enabled: false }), 200);
    }
    expectReply(
      await call(app.url, "POST", "/api/user/register", { username: uname("late"), password: "signup-password-1" }),
      403,
    );
  });
});

describe("sign-up seeded by flag or env on the first start", () => {
  const register = (s: Server, username: string) =>
    call(s.url, "POST", "/api/user/register", { username, password: "seeded-password-1" });
  const registerEnabled = async (s: Server) =>
    expectReply(await call(s.url, "GET", "/api/status"), 200).register_enabled;

  test("--register-enabled true turns sign-up on at first start; the stored value wins on later starts", async () => {
    const dir = tempDir();
    let s: Server | null = null;
    try {
      s = await startServer({ dataDir: dir, args: ["--register-enabled", "true"] });
      expect(await registerEnabled(s)).toBe(true);
      expectReply(await register(s, "first1"), 201);
      await s.stop();

      // restarted with the flag the other way: the stored value (on) wins
      s = await startServer({ dataDir: dir, args: ["--register-enabled", "false"] });
      expect(await registerEnabled(s)).toBe(true);
      expectReply(await register(s, "second1"), 201);
      const adm = client(s.url, await login(s.url, "admin", ADMIN_PASSWORD));
      expect(expectReply(await adm.get("/api/setting"), 200).register_enabled).toBe(true);
      // an admin turns it off; a restart with the flag on does not turn it back on
      expectReply(await adm.put("/api/setting", { register_enabled: false }), 200);
      await s.stop();

      s = await startServer({ dataDir: dir, args: ["--register-enabled", "true"] });
      expect(await registerEnabled(s)).toBe(false);
      expectReply(await register(s, "third1"), 403);
    } finally {
      await s?.stop();
      removeDir(dir);
    }
  });

  test("APIYI_REGISTER_ENABLED=true turns sign-up on at first start; the stored value wins on the next", async () => {
    const dir = tempDir();
    let s: Server | null = null;
    try {
      s = await startServer({ dataDir: dir, env: { APIYI_REGISTER_ENABLED: "true" } });
      expect(await registerEnabled(s)).toBe(true);
      expectReply(await register(s, "envuser1"), 201);
      await s.stop();

      s = await startServer({ dataDir: dir, env: { APIYI_REGISTER_ENABLED: "false" } });
      expect(await registerEnabled(s)).toBe(true);
      expectReply(await register(s, "envuser2"), 201);
    } finally {
      await s?.stop();
      removeDir(dir);
    }
  });

  test("without flag or env, sign-up is off", async () => {
    expect(await registerEnabled(app.server)).toBe(false);
  });
});
