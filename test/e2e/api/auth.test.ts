// Authentication of the management API, over real HTTP against a real server: the session cookie
// (HttpOnly) from login, one 401 message for a wrong password and an unknown user, the 10-failures-a-
// minute limit per IP and account (on a fresh server of its own), logout, the access token from POST
// /api/user/token (raw or Bearer, shown once, rotation), sk- keys refused as management credentials,
// the {success, message, data} envelope on every kind of reply, and the public /api/status.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectInvalid, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, removeDir, startServer, useServer } from "../../support/server";

// password hashing (argon2id) and server starts are slow on a busy machine: no test should die of the 5 s default
setDefaultTimeout(20_000);

const app = useServer();
let adminAuth: { cookie: string };
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
});
const signIn = (base: string, username: string, password: string) =>
  call(base, "POST", "/api/user/login", { username, password });
const withToken = (token: string) => client(app.url, { token });

describe("sign-in", () => {
  test("login sets an HttpOnly session cookie and returns the user", async () => {
    const r = await signIn(app.url, "admin", ADMIN_PASSWORD);
    const data = expectReply(r, 200);
    expect(data).toMatchObject({ username: "admin", role: "admin" });
    expect(JSON.stringify(data)).not.toContain("argon2");
    const setCookie = r.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^[^=;\s]+=[^;\s]+/);
    expect(setCookie.toLowerCase()).toContain("httponly");
    expect(setCookie.toLowerCase()).toContain("path=/");

    const cookie = setCookie.split(";")[0];
    expect(expectReply(await client(app.url, { cookie }).get("/api/user/self"), 200).username).toBe("admin");
  });

  test("a wrong password and an unknown user both get 401 with the same message", async () => {
    await makeUser(app.url, adminAuth, "carol", "carol-password-1");
    const wrong = await signIn(app.url, "carol", "not-carols-password");
    const unknown = await signIn(app.url, "nobody-here", "not-carols-password");
    expectReply(wrong, 401);
    expectReply(unknown, 401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(unknown.headers.get("set-cookie")).toBeNull();
    expectReply(await signIn(app.url, "carol", "carol-password-1"), 200);
  });

  test("a login body that is not JSON → 400; missing fields → 422", async () => {
    expectReply(await call(app.url, "POST", "/api/user/login", "username=admin"), 400);
    expectInvalid(await call(app.url, "POST", "/api/user/login", { username: "admin" }), "password");
  });

  test("after 10 failed logins on one account from one IP within a minute, the 11th gets 429 (with Retry-After) even with the right password", async () => {
    const fresh = await startServer();
    try {
      // a correct login first does not count as a failure
      expectReply(await signIn(fresh.url, "admin", ADMIN_PASSWORD), 200);
      for (let i = 0; i < 10; i++) {
        expectReply(await signIn(fresh.url, "admin", `wrong-password-${i}`), 401);
      }
      const blocked = await signIn(fresh.url, "admin", ADMIN_PASSWORD);
      expectReply(blocked, 429);
      expect(blocked.headers.get("set-cookie")).toBeNull();
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // the lock is per (IP, account): another account from the same IP is still checked
      expectReply(await signIn(fresh.url, "ghost", "whatever-password"), 401);
    } finally {
      await fresh.stop();
      removeDir(fresh.dataDir);
    }
  });

  test("failed logins sent all at once are limited too: at most 10 are checked, the rest get 429", async () => {
    const fresh = await startServer();
    try {
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, i) => signIn(fresh.url, "admin", `wrong-password-${i}`)),
      );
      for (const r of replies) expect([401, 429]).toContain(r.status);
      expect(replies.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
      expectReply(await signIn(fresh.url, "admin", ADMIN_PASSWORD), 429);
    } finally {
      await fresh.stop();
      removeDir(fresh.dataDir);
    }
  });

  test("logout ends the session: the same cookie gets 401 afterwards; other sessions live on", async () => {
    const { auth } = await makeUser(app.url, adminAuth, "dave", "dave-password-1");
    const other = await login(app.url, "dave", "dave-password-1");
    const api = client(app.url, auth);
    expectReply(await api.get("/api/user/self"), 200);

    const out = await api.post("/api/user/logout");
    expectReply(out, 200);
    const cleared = out.headers.get("set-cookie") ?? "";
    expect(cleared.toLowerCase()).toMatch(/max-age=0|expires=thu, 01 jan 1970/);

    expectReply(await api.get("/api/user/self"), 401);
    expectReply(await api.get("/api/token/"), 401);
    expectReply(await client(app.url, other).get("/api/user/self"), 200);
  });

  test("a made-up cookie gets 401", async () => {
    const cookieName = adminAuth.cookie.split("=")[0];
    expectReply(await client(app.url, { cookie: `${cookieName}=not-a-session` }).get("/api/user/self"), 401);
  });
});

describe("access tokens", () => {
  test("POST /api/user/token returns a token once; it works raw and as Bearer", async () => {
    const { api, id } = await makeUser(app.url, adminAuth, "erin", "erin-password-1");
    expectReply(await call(app.url, "POST", "/api/user/token"), 401);

    const data = expectReply(await api.post("/api/user/token"), 200);
    const token = data.access_token as string;
    expect(typeof token).toBe("string");
    expect(token.length).toBeGreaterThanOrEqual(20);

    for (const header of [token, `Bearer ${token}`]) {
      const self = expectReply(await withToken(header).get("/api/user/self"), 200);
      expect(self).toMatchObject({ id, username: "erin", role: "user" });
      const tokens = expectReply(await withToken(header).get("/api/token/"), 200);
      expect(tokens.items.map((t: any) => t.name)).toEqual(["default"]);
    }

    // never shown again
    const self = expectReply(await api.get("/api/user/self"), 200);
    expect(JSON.stringify(self)).not.toContain(token);
    const listed = expectReply(await admin.get(`/api/user/${id}`), 200);
    expect(JSON.stringify(listed)).not.toContain(token);

    // a user's token does not open admin routes
    expectReply(await withToken(token).get("/api/user/"), 403);
  });

  test("an admin's access token opens admin routes", async () => {
    const token = expectReply(await admin.post("/api/user/token"), 200).access_token;
    expectReply(await withToken(`Bearer ${token}`).get("/api/user/"), 200);
  });

  test("rotating the access token invalidates the old one", async () => {
    const { api } = await makeUser(app.url, adminAuth, "frank", "frank-password-1");
    const first = expectReply(await api.post("/api/user/token"), 200).access_token;
    expectReply(await withToken(first).get("/api/user/self"), 200);

    // rotate with the token itself as the credential
    const second = expectReply(await withToken(`Bearer ${first}`).post("/api/user/token"), 200).access_token;
    expect(second).not.toBe(first);
    expectReply(await withToken(first).get("/api/user/self"), 401);
    expectReply(await withToken(`Bearer ${first}`).get("/api/user/self"), 401);
    expectReply(await withToken(second).get("/api/user/self"), 200);
    expectReply(await withToken(`Bearer ${second}`).get("/api/token/"), 200);
  });

  test("a made-up token gets 401", async () => {
    expectReply(await withToken("Bearer not-a-real-access-token").get("/api/user/self"), 401);
    expectReply(await withToken("not-a-real-access-token").get("/api/token/"), 401);
  });

  test("an sk- key is not a management credential", async () => {
    const { api } = await makeUser(app.url, adminAuth, "grace", "grace-password-1");
    const created = expectReply(await api.post("/api/token/", { name: "relay", unlimited_quota: true }), 201);
    expect(created.key).toMatch(/^sk-/);
    const def = expectReply(await api.get("/api/token/"), 200).items.find((t: any) => t.name === "default");
    const defKey = expectReply(await api.post(`/api/token/${def.id}/key`), 200).key as string;
    expect(defKey).toMatch(/^sk-/);

    for (const key of [created.key, defKey]) {
      for (const header of [key, `Bearer ${key}`]) {
        expectReply(await withToken(header).get("/api/user/self"), 401);
        expectReply(await withToken(header).get("/api/token/"), 401);
        expectReply(await withToken(header).post("/api/user/token"), 401);
      }
    }
    // the admin's own default key does not open admin routes either
    const adminId = expectReply(await admin.get("/api/user/self"), 200).id;
    const adminDefault = expectReply(await admin.get("/api/token/?size=100"), 200).items.find(
      (t: any) => t.name === "default" && t.user_id === adminId,
    );
    const adminKey = expectReply(await admin.post(`/api/token/${adminDefault.id}/key`), 200).key;
    expectReply(await withToken(`Bearer ${adminKey}`).get("/api/user/"), 401);
  });
});

describe("replies", () => {
  test("bodies are always {success, message, data}", async () => {
    const { api, id } = await makeUser(app.url, adminAuth, "heidi", "heidi-password-1");
    expectReply(await api.get("/api/user/self"), 200); // 200
    expectReply(await api.post("/api/token/", { name: "shape" }), 201); // 201
    expectReply(await api.post("/api/token/", "{broken"), 400); // not JSON
    expectReply(await call(app.url, "GET", "/api/token/"), 401); // anonymous
    expectReply(await api.get("/api/user/"), 403); // not an admin
    expectReply(await api.get("/api/token/999999"), 404); // unknown id
    expectReply(await admin.post("/api/user/", { username: "heidi", password: "heidi-password-1" }), 409); // duplicate
    expectReply(await api.post("/api/token/", { name: "" }), 422); // invalid field
    expectReply(await admin.get(`/api/user/${id}`), 200);
    expectReply(await api.get("/api/no-such-route"), 404); // no route
    expectReply(await call(app.url, "GET", "/api/status"), 200);
    expectReply(await api.post("/api/user/logout"), 200);
  });
});

describe("GET /api/status", () => {
  test("is public; only admins see the snapshot counts", async () => {
    const anon = expectReply(await call(app.url, "GET", "/api/status"), 200);
    expect(typeof anon.version).toBe("string");
    expect(anon.register_enabled).toBe(false);
    expect(anon.snapshot).toBeUndefined();

    const { api } = await makeUser(app.url, adminAuth, "ivan", "ivan-password-1");
    const asUser = expectReply(await api.get("/api/status"), 200);
    expect(asUser.snapshot).toBeUndefined();
    expect(asUser.version).toBe(anon.version);

    const asAdmin = expectReply(await admin.get("/api/status"), 200);
    expect(asAdmin.version).toBe(anon.version);
    const snap = asAdmin.snapshot;
    expect(snap).toBeDefined();
    expect(typeof snap.generation).toBe("number");
    const users = expectReply(await admin.get("/api/user/?size=100"), 200).total;
    const tokens = expectReply(await admin.get("/api/token/?size=100"), 200).total;
    const groupData = expectReply(await admin.get("/api/group/"), 200);
    const groups = Array.isArray(groupData) ? groupData.length : groupData.total;
    expect(snap).toMatchObject({ users, tokens, groups });

    // a stale or made-up cookie does not turn the public route into a 401
    expectReply(await client(app.url, { cookie: "apiyi_session=stale" }).get("/api/status"), 200);
    const token = expectReply(await admin.post("/api/user/token"), 200).access_token;
    expect(expectReply(await withToken(`Bearer ${token}`).get("/api/status"), 200).snapshot).toBeDefined();
  });
});
