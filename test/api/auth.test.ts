// Authentication of the management API, over real HTTP against a real server: the session cookie
// (HttpOnly) from login, one 401 message for a wrong password and an unknown user, the 10-failures-a-
// minute limit per IP (on a fresh server of its own), logout, the access token from POST
// /api/user/token (raw or Bearer, shown once, rotation), sk- keys refused as management credentials,
// the {success, message, data} envelope on every kind of reply, and the public /api/status.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ADMIN_PASSWORD, call, client, login, makeUser, removeDir, startServer, type Reply, type Server } from "../support/server";

// password hashing (argon2id) and server starts are slow on a busy machine: no test should die of the 5 s default
setDefaultTimeout(20_000);

let server: Server;
let adminAuth: { cookie: string };
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startServer();
  adminAuth = await login(server.url, "admin", ADMIN_PASSWORD);
  admin = client(server.url, adminAuth);
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

function envelope(r: Reply, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type") ?? "").toContain("application/json");
  expect(typeof r.body).toBe("object");
  expect(Object.keys(r.body).sort()).toEqual(["data", "message", "success"]);
  expect(r.body.success).toBe(status < 400);
  expect(typeof r.body.message).toBe("string");
  if (status >= 400) {
    expect(r.body.message.length).toBeGreaterThan(0);
    expect(r.body.data).toBeNull();
  }
  return r.body.data;
}

const signIn = (base: string, username: string, password: string) => call(base, "POST", "/api/user/login", { username, password });
const withToken = (token: string) => client(server.url, { token });

describe("sign-in", () => {
  test("login sets an HttpOnly session cookie and returns the user", async () => {
    const r = await signIn(server.url, "admin", ADMIN_PASSWORD);
    const data = envelope(r, 200);
    expect(data).toMatchObject({ username: "admin", role: "admin" });
    expect(JSON.stringify(data)).not.toContain("argon2");
    const setCookie = r.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^[^=;\s]+=[^;\s]+/);
    expect(setCookie.toLowerCase()).toContain("httponly");
    expect(setCookie.toLowerCase()).toContain("path=/");

    const cookie = setCookie.split(";")[0];
    expect(envelope(await client(server.url, { cookie }).get("/api/user/self"), 200).username).toBe("admin");
  });

  test("a wrong password and an unknown user both get 401 with the same message", async () => {
    await makeUser(server.url, adminAuth, "carol", "carol-password-1");
    const wrong = await signIn(server.url, "carol", "not-carols-password");
    const unknown = await signIn(server.url, "nobody-here", "not-carols-password");
    envelope(wrong, 401);
    envelope(unknown, 401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(unknown.headers.get("set-cookie")).toBeNull();
    envelope(await signIn(server.url, "carol", "carol-password-1"), 200);
  });

  test("a login body that is not JSON → 400; missing fields → 422", async () => {
    envelope(await call(server.url, "POST", "/api/user/login", "username=admin"), 400);
    const r = await call(server.url, "POST", "/api/user/login", { username: "admin" });
    envelope(r, 422);
    expect(r.body.message).toContain("password");
  });

  test("after 10 failed logins from one IP within a minute, the 11th gets 429 even with the right password", async () => {
    const fresh = await startServer();
    try {
      // a correct login first does not count as a failure
      envelope(await signIn(fresh.url, "admin", ADMIN_PASSWORD), 200);
      for (let i = 0; i < 10; i++) {
        envelope(await signIn(fresh.url, i % 2 ? "admin" : "ghost", `wrong-password-${i}`), 401);
      }
      const blocked = await signIn(fresh.url, "admin", ADMIN_PASSWORD);
      envelope(blocked, 429);
      expect(blocked.headers.get("set-cookie")).toBeNull();
      // still blocked, for any username
      envelope(await signIn(fresh.url, "ghost", "whatever-password"), 429);
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
      envelope(await signIn(fresh.url, "admin", ADMIN_PASSWORD), 429);
    } finally {
      await fresh.stop();
      removeDir(fresh.dataDir);
    }
  });

  test("logout ends the session: the same cookie gets 401 afterwards; other sessions live on", async () => {
    const { auth } = await makeUser(server.url, adminAuth, "dave", "dave-password-1");
    const other = await login(server.url, "dave", "dave-password-1");
    const api = client(server.url, auth);
    envelope(await api.get("/api/user/self"), 200);

    const out = await api.post("/api/user/logout");
    envelope(out, 200);
    const cleared = out.headers.get("set-cookie") ?? "";
    expect(cleared.toLowerCase()).toMatch(/max-age=0|expires=thu, 01 jan 1970/);

    envelope(await api.get("/api/user/self"), 401);
    envelope(await api.get("/api/token/"), 401);
    envelope(await client(server.url, other).get("/api/user/self"), 200);
  });

  test("a made-up cookie gets 401", async () => {
    const cookieName = adminAuth.cookie.split("=")[0];
    envelope(await client(server.url, { cookie: `${cookieName}=not-a-session` }).get("/api/user/self"), 401);
  });
});

describe("access tokens", () => {
  test("POST /api/user/token returns a token once; it works raw and as Bearer", async () => {
    const { api, id } = await makeUser(server.url, adminAuth, "erin", "erin-password-1");
    envelope(await call(server.url, "POST", "/api/user/token"), 401);

    const data = envelope(await api.post("/api/user/token"), 200);
    const token = data.access_token as string;
    expect(typeof token).toBe("string");
    expect(token.length).toBeGreaterThanOrEqual(20);

    for (const header of [token, `Bearer ${token}`]) {
      const self = envelope(await withToken(header).get("/api/user/self"), 200);
      expect(self).toMatchObject({ id, username: "erin", role: "user" });
      const tokens = envelope(await withToken(header).get("/api/token/"), 200);
      expect(tokens.items.map((t: any) => t.name)).toEqual(["default"]);
    }

    // never shown again
    const self = envelope(await api.get("/api/user/self"), 200);
    expect(JSON.stringify(self)).not.toContain(token);
    const listed = envelope(await admin.get(`/api/user/${id}`), 200);
    expect(JSON.stringify(listed)).not.toContain(token);

    // a user's token does not open admin routes
    envelope(await withToken(token).get("/api/user/"), 403);
  });

  test("an admin's access token opens admin routes", async () => {
    const token = envelope(await admin.post("/api/user/token"), 200).access_token;
    envelope(await withToken(`Bearer ${token}`).get("/api/user/"), 200);
  });

  test("rotating the access token invalidates the old one", async () => {
    const { api } = await makeUser(server.url, adminAuth, "frank", "frank-password-1");
    const first = envelope(await api.post("/api/user/token"), 200).access_token;
    envelope(await withToken(first).get("/api/user/self"), 200);

    // rotate with the token itself as the credential
    const second = envelope(await withToken(`Bearer ${first}`).post("/api/user/token"), 200).access_token;
    expect(second).not.toBe(first);
    envelope(await withToken(first).get("/api/user/self"), 401);
    envelope(await withToken(`Bearer ${first}`).get("/api/user/self"), 401);
    envelope(await withToken(second).get("/api/user/self"), 200);
    envelope(await withToken(`Bearer ${second}`).get("/api/token/"), 200);
  });

  test("a made-up token gets 401", async () => {
    envelope(await withToken("Bearer not-a-real-access-token").get("/api/user/self"), 401);
    envelope(await withToken("not-a-real-access-token").get("/api/token/"), 401);
  });

  test("an sk- key is not a management credential", async () => {
    const { api } = await makeUser(server.url, adminAuth, "grace", "grace-password-1");
    const created = envelope(await api.post("/api/token/", { name: "relay", unlimited_quota: true }), 201);
    expect(created.key).toMatch(/^sk-/);
    const def = envelope(await api.get("/api/token/"), 200).items.find((t: any) => t.name === "default");
    const defKey = envelope(await api.post(`/api/token/${def.id}/key`), 200).key as string;
    expect(defKey).toMatch(/^sk-/);

    for (const key of [created.key, defKey]) {
      for (const header of [key, `Bearer ${key}`]) {
        envelope(await withToken(header).get("/api/user/self"), 401);
        envelope(await withToken(header).get("/api/token/"), 401);
        envelope(await withToken(header).post("/api/user/token"), 401);
      }
    }
    // the admin's own default key does not open admin routes either
    const adminId = envelope(await admin.get("/api/user/self"), 200).id;
    const adminDefault = envelope(await admin.get("/api/token/?size=100"), 200).items.find(
      (t: any) => t.name === "default" && t.user_id === adminId,
    );
    const adminKey = envelope(await admin.post(`/api/token/${adminDefault.id}/key`), 200).key;
    envelope(await withToken(`Bearer ${adminKey}`).get("/api/user/"), 401);
  });
});

describe("replies", () => {
  test("bodies are always {success, message, data}", async () => {
    const { api, id } = await makeUser(server.url, adminAuth, "heidi", "heidi-password-1");
    envelope(await api.get("/api/user/self"), 200); // 200
    envelope(await api.post("/api/token/", { name: "shape" }), 201); // 201
    envelope(await api.post("/api/token/", "{broken"), 400); // not JSON
    envelope(await call(server.url, "GET", "/api/token/"), 401); // anonymous
    envelope(await api.get("/api/user/"), 403); // not an admin
    envelope(await api.get("/api/token/999999"), 404); // unknown id
    envelope(await admin.post("/api/user/", { username: "heidi", password: "heidi-password-1" }), 409); // duplicate
    envelope(await api.post("/api/token/", { name: "" }), 422); // invalid field
    envelope(await admin.get(`/api/user/${id}`), 200);
    envelope(await api.get("/api/no-such-route"), 404); // no route
    envelope(await call(server.url, "GET", "/api/status"), 200);
    envelope(await api.post("/api/user/logout"), 200);
  });
});

describe("GET /api/status", () => {
  test("is public; only admins see the snapshot counts", async () => {
    const anon = envelope(await call(server.url, "GET", "/api/status"), 200);
    expect(typeof anon.version).toBe("string");
    expect(anon.register_enabled).toBe(false);
    expect(anon.snapshot).toBeUndefined();

    const { api } = await makeUser(server.url, adminAuth, "ivan", "ivan-password-1");
    const asUser = envelope(await api.get("/api/status"), 200);
    expect(asUser.snapshot).toBeUndefined();
    expect(asUser.version).toBe(anon.version);

    const asAdmin = envelope(await admin.get("/api/status"), 200);
    expect(asAdmin.version).toBe(anon.version);
    const snap = asAdmin.snapshot;
    expect(snap).toBeDefined();
    expect(typeof snap.generation).toBe("number");
    const users = envelope(await admin.get("/api/user/?size=100"), 200).total;
    const tokens = envelope(await admin.get("/api/token/?size=100"), 200).total;
    const groupData = envelope(await admin.get("/api/group/"), 200);
    const groups = Array.isArray(groupData) ? groupData.length : groupData.total;
    expect(snap).toMatchObject({ users, tokens, groups });

    // a stale or made-up cookie does not turn the public route into a 401
    envelope(await client(server.url, { cookie: "apiyi_session=stale" }).get("/api/status"), 200);
    const token = envelope(await admin.post("/api/user/token"), 200).access_token;
    expect(envelope(await withToken(`Bearer ${token}`).get("/api/status"), 200).snapshot).toBeDefined();
  });
});
