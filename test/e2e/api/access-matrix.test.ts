// Access matrix: every route of the management API (src/api/*.ts) called by every role — anonymous,
// user A, user B (another user) and admin — through real HTTP against a real server. Anonymous gets 401
// on every non-public route (even with a broken JSON body: authentication comes first); users get 403
// on admin routes; another user's token is 404 (never 403) so ids cannot be probed; admins see every
// token but cannot read someone else's key. Also checks that /openapi.json documents every route.
import { beforeAll, expect, test } from "bun:test";
import { CHANNEL_STATUS, TOKEN_STATUS } from "../../../src/core/status";
import { expectEnvelope, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, login, makeUser, useServer, type Auth, type Reply } from "../../support/server";

type Role = "anon" | "a" | "b" | "admin";
const ROLES: Role[] = ["anon", "a", "b", "admin"];
type Req = { path: string; body?: unknown; auth?: Auth };
type Case = {
  /** "METHOD /spec/path" as declared in src/api (":id" style) */
  route: string;
  /** what the case is about, when one route has several cases */
  note?: string;
  req: (role: Role) => Req | Promise<Req>;
  expect: Record<Role, number>;
  /** further checks on one role's reply */
  check?: (role: Role, r: Reply) => void | Promise<void>;
};

const PASSWORD = "user-password-1";
const app = useServer();
const auth: Record<Role, Auth> = { anon: undefined, a: undefined, b: undefined, admin: undefined };
const ids: Record<Role, number> = { anon: 0, a: 0, b: 0, admin: 0 };
/** each signed-in role's own token: id and full key */
const own: Record<Role, { id: number; key: string }> = {} as never;
let aToken: { id: number; key: string };
let bToken: { id: number; key: string };

const api = (role: Role, method: string, path: string, body?: unknown, override?: Auth) =>
  call(
    app.url,
    method,
    path,
    method === "GET" || method === "DELETE" ? undefined : (body ?? {}),
    override ?? auth[role],
  );

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/** A token of user A made just for one call (to delete it, say). */
async function freshAToken() {
  return expectReply(await api("a", "POST", "/api/token/", { name: unique("a-tmp"), unlimited_quota: true }), 201) as {
    id: number;
    key: string;
    name: string;
  };
}
async function freshUser() {
  return expectReply(
    await api("admin", "POST", "/api/user/", { username: unique("victim"), password: PASSWORD }),
    201,
  ) as { id: number };
}
async function freshGroup() {
  const name = unique("grp");
  expectReply(await api("admin", "POST", "/api/group/", { name }), 201);
  return name;
}
async function freshChannel() {
  const body = {
    name: unique("chan"),
    base_url: "https://upstream.example",
    key: `sk-up-${unique("key")}`,
    models: "m",
  };
  return expectReply(await api("admin", "POST", "/api/channel/", body), 201) as { id: number; name: string };
}
let channel: { id: number; name: string };
/** A new redemption code (made by the admin): its id and the full code. */
async function freshCode() {
  const [code] = expectReply(
    await api("admin", "POST", "/api/redemption/", { name: unique("code"), quota: 10 }),
    201,
  ) as string[];
  const found = expectReply(await api("admin", "GET", `/api/redemption/search?keyword=${code}`), 200);
  return { id: found.items[0].id as number, code };
}
const tokenOf = async (id: number) => (await api("admin", "GET", `/api/token/${id}`)).body.data;

beforeAll(async () => {
  auth.admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const a = await makeUser(app.url, auth.admin, "user-a", PASSWORD);
  const b = await makeUser(app.url, auth.admin, "user-b", PASSWORD);
  auth.a = a.auth;
  auth.b = b.auth;
  ids.a = a.id;
  ids.b = b.id;
  ids.admin = expectReply(await api("admin", "GET", "/api/user/self"), 200).id;
  aToken = expectReply(await api("a", "POST", "/api/token/", { name: "a-main", unlimited_quota: true }), 201);
  bToken = expectReply(await api("b", "POST", "/api/token/", { name: "b-main", unlimited_quota: true }), 201);
  own.a = aToken;
  own.b = bToken;
  own.admin = expectReply(
    await api("admin", "POST", "/api/token/", { name: "admin-main", unlimited_quota: true }),
    201,
  );
  own.anon = aToken;
  expectReply(await api("admin", "POST", "/api/group/", { name: "matrix-hidden", selectable: false }), 201);
  expectReply(await api("admin", "POST", "/api/group/", { name: "matrix-grp" }), 201);
  channel = await freshChannel();
  // some log rows for A and B
  expectReply(await api("admin", "POST", `/api/user/${ids.a}/topup`, { quota: 1000 }), 200);
  expectReply(await api("admin", "POST", `/api/user/${ids.b}/topup`, { quota: 2000 }), 200);
});

const PUBLIC = { anon: 200, a: 200, b: 200, admin: 200 };
const USER = { anon: 401, a: 200, b: 200, admin: 200 };
const USER_CREATES = { anon: 401, a: 201, b: 201, admin: 201 };
const ADMIN = { anon: 401, a: 403, b: 403, admin: 200 };
const ADMIN_CREATES = { anon: 401, a: 403, b: 403, admin: 201 };
/** a route on user A's token: B must not learn that it exists */
const A_TOKEN = { anon: 401, a: 200, b: 404, admin: 200 };

type Item = { id: number; user_id: number; key: string };

const cases: Case[] = [
  // ---- status
  {
    route: "GET /api/status",
    req: () => ({ path: "/api/status" }),
    expect: PUBLIC,
    check: (role, r) => {
      expect(typeof r.body.data.version).toBe("string");
      expect("snapshot" in r.body.data).toBe(role === "admin");
    },
  },

  // ---- users: public
  {
    route: "POST /api/user/login",
    req: () => ({ path: "/api/user/login", body: { username: "user-a", password: PASSWORD } }),
    expect: PUBLIC,
    check: (_role, r) => {
      expect(r.body.data.id).toBe(ids.a);
      expect(r.headers.get("set-cookie") ?? "").toContain("apiyi_session=");
    },
  },
  {
    route: "POST /api/user/logout",
    // a signed-in role signs out a session of its own made for this call, so the main one lives on
    req: async (role) => {
      if (role === "anon") return { path: "/api/user/logout" };
      const username = role === "a" ? "user-a" : role === "b" ? "user-b" : "admin";
      const session = await login(app.url, username, role === "admin" ? ADMIN_PASSWORD : PASSWORD);
      return { path: "/api/user/logout", auth: session };
    },
    expect: PUBLIC,
  },
  {
    route: "POST /api/user/register",
    note: "sign-up is off by default",
    req: (role) => ({ path: "/api/user/register", body: { username: unique(`reg-${role}`), password: PASSWORD } }),
    expect: { anon: 403, a: 403, b: 403, admin: 403 },
  },

  // ---- users: the caller's own account
  {
    route: "GET /api/user/self",
    req: () => ({ path: "/api/user/self" }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      expect(r.body.data).toMatchObject({ id: ids[role], role: role === "admin" ? "admin" : "user" });
      for (const f of ["username", "quota", "unlimited", "used_quota", "request_count"])
        expect(r.body.data).toHaveProperty(f);
    },
  },
  {
    route: "PUT /api/user/self",
    note: "each signed-in role changes its own password (to the same one)",
    req: (role) => {
      const password = role === "admin" ? ADMIN_PASSWORD : PASSWORD;
      return { path: "/api/user/self", body: { current_password: password, password } };
    },
    expect: USER,
    check: async (role, r) => {
      if (role === "anon") return;
      expect(r.body.data.id).toBe(ids[role]);
      // the session that made the change still works
      expectReply(await api(role, "GET", "/api/user/self"), 200);
    },
  },
  {
    route: "POST /api/user/token",
    req: () => ({ path: "/api/user/token" }),
    expect: USER,
    check: async (role, r) => {
      if (role === "anon") return;
      const token = r.body.data.access_token as string;
      expect(typeof token).toBe("string");
      // the access token signs in as its owner, bare or after "Bearer"
      for (const header of [token, `Bearer ${token}`]) {
        const self = await call(app.url, "GET", "/api/user/self", undefined, { token: header });
        expect({ status: self.status, id: self.body.data?.id }).toEqual({ status: 200, id: ids[role] });
      }
    },
  },

  // ---- users: admin only
  {
    route: "GET /api/user/",
    req: () => ({ path: "/api/user/?p=1&size=100" }),
    expect: ADMIN,
    check: (role, r) => {
      if (role === "admin")
        expect(r.body.data.items.map((u: { id: number }) => u.id)).toEqual(
          expect.arrayContaining([ids.a, ids.b, ids.admin]),
        );
    },
  },
  {
    route: "POST /api/user/",
    req: (role) => ({ path: "/api/user/", body: { username: unique(`new-${role}`), password: PASSWORD } }),
    expect: ADMIN_CREATES,
  },
  {
    route: "GET /api/user/:id",
    note: "users asking for their own id too",
    req: (role) => ({ path: `/api/user/${role === "b" ? ids.b : ids.a}` }),
    expect: ADMIN,
  },
  {
    route: "PUT /api/user/",
    note: "users try to make themselves admin",
    req: async (role) =>
      role === "admin"
        ? { path: "/api/user/", body: { id: (await freshUser()).id, unlimited: true } }
        : { path: "/api/user/", body: { id: role === "b" ? ids.b : ids.a, role: "admin", unlimited: true } },
    expect: ADMIN,
    check: async (role) => {
      if (role === "a" || role === "b") {
        const self = expectReply(await api(role, "GET", "/api/user/self"), 200);
        expect({ role: self.role, unlimited: self.unlimited }).toEqual({ role: "user", unlimited: false });
      }
    },
  },
  {
    route: "DELETE /api/user/:id",
    req: async () => ({ path: `/api/user/${(await freshUser()).id}` }),
    expect: ADMIN,
  },
  {
    route: "POST /api/user/:id/topup",
    note: "users try to top up themselves",
    req: (role) => ({ path: `/api/user/${role === "b" ? ids.b : ids.a}/topup`, body: { quota: 500_000 } }),
    expect: ADMIN,
    check: async (role) => {
      if (role === "b") expect(expectReply(await api("b", "GET", "/api/user/self"), 200).quota).toBe(2000);
    },
  },
  {
    route: "POST /api/user/:id/adjust",
    req: (role) => ({
      path: `/api/user/${role === "b" ? ids.b : ids.a}/adjust`,
      body: { delta: 10, reason: "matrix" },
    }),
    expect: ADMIN,
  },

  // ---- tokens
  {
    route: "POST /api/token/",
    req: (role) => ({ path: "/api/token/", body: { name: unique(`made-by-${role}`), unlimited_quota: true } }),
    expect: USER_CREATES,
    check: (role, r) => {
      // a token is always made for the caller
      if (role !== "anon") expect(r.body.data.user_id).toBe(ids[role]);
    },
  },
  {
    route: "GET /api/token/",
    note: "users see only their own tokens; admins see everyone's",
    req: () => ({ path: "/api/token/?p=1&size=100" }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      const items = r.body.data.items as Item[];
      const listed = items.map((t) => t.id);
      for (const t of items) expect(t.key).toMatch(/^sk-[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
      const text = JSON.stringify(r.body);
      for (const k of [aToken.key, bToken.key, own.admin.key]) expect(text).not.toContain(k);
      if (role === "admin") {
        expect(listed).toEqual(expect.arrayContaining([aToken.id, bToken.id, own.admin.id]));
        const owners = new Set(items.map((t) => t.user_id));
        for (const id of [ids.admin, ids.a, ids.b]) expect(owners.has(id)).toBe(true);
      } else {
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((t) => t.user_id === ids[role])).toBe(true);
        expect(listed).toContain(own[role].id);
        expect(listed).not.toContain((role === "a" ? bToken : aToken).id);
        expect(r.body.data.total).toBe(items.length);
      }
    },
  },
  {
    route: "GET /api/token/search",
    note: "B searching for A's token name finds nothing",
    req: () => ({ path: "/api/token/search?keyword=a-main" }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      const found = (r.body.data.items as Item[]).map((t) => t.id);
      expect(found).toEqual(role === "b" ? [] : [aToken.id]);
      expect(r.body.data.total).toBe(found.length);
    },
  },
  {
    route: "GET /api/token/",
    note: "the list's keyword filter does not reach other users' tokens either",
    req: () => ({ path: "/api/token/?keyword=b-main" }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      expect((r.body.data.items as Item[]).map((t) => t.id)).toEqual(role === "a" ? [] : [bToken.id]);
    },
  },
  {
    route: "GET /api/token/:id",
    note: "user A's token",
    req: () => ({ path: `/api/token/${aToken.id}` }),
    expect: A_TOKEN,
    check: (role, r) => {
      if (role === "a" || role === "admin")
        expect(r.body.data).toMatchObject({
          id: aToken.id,
          user_id: ids.a,
          key: `${aToken.key.slice(0, 7)}…${aToken.key.slice(-4)}`,
        });
      if (role === "b") expect(JSON.stringify(r.body)).not.toContain("a-main");
    },
  },
  {
    route: "GET /api/token/:id",
    note: "an id that does not exist: the same 404 as another user's token",
    req: () => ({ path: "/api/token/987654" }),
    expect: { anon: 401, a: 404, b: 404, admin: 404 },
  },
  {
    route: "PUT /api/token/",
    note: "user A's token",
    req: (role) => ({
      path: "/api/token/",
      body: { id: aToken.id, remain_quota: { anon: 1, a: 111, b: 222, admin: 333 }[role] },
    }),
    expect: A_TOKEN,
    check: async (role) => {
      const t = await tokenOf(aToken.id);
      if (role === "a") expect(t.remain_quota).toBe(111);
      if (role === "b") expect(t.remain_quota).toBe(111);
      if (role === "admin") expect(t.remain_quota).toBe(333);
    },
  },
  {
    route: "PUT /api/token/",
    note: "?status_only=true on user A's token",
    req: (role) => ({
      path: "/api/token/?status_only=true",
      body: { id: aToken.id, status: role === "b" || role === "anon" ? 2 : 1 },
    }),
    expect: A_TOKEN,
    check: async () => {
      expect((await tokenOf(aToken.id)).status).toBe(TOKEN_STATUS.enabled);
    },
  },
  {
    route: "POST /api/token/:id/key",
    note: "user A's token: to its owner only, not even to an admin",
    req: () => ({ path: `/api/token/${aToken.id}/key` }),
    expect: { anon: 401, a: 200, b: 404, admin: 403 },
    check: (role, r) => {
      if (role === "a") expect(r.body.data.key).toBe(aToken.key);
      else expect(JSON.stringify(r.body)).not.toContain(aToken.key);
    },
  },
  {
    route: "POST /api/token/:id/key",
    note: "each role's own token",
    req: (role) => ({ path: `/api/token/${own[role].id}/key` }),
    expect: USER,
    check: (role, r) => {
      if (role !== "anon") expect(r.body.data.key).toBe(own[role].key);
    },
  },
  {
    route: "DELETE /api/token/:id",
    note: "a fresh token of user A for each role",
    req: async () => ({ path: `/api/token/${(await freshAToken()).id}` }),
    expect: A_TOKEN,
  },

  // ---- pricing
  {
    route: "GET /api/pricing/",
    req: () => ({ path: "/api/pricing/" }),
    expect: USER,
    check: (role, r) => {
      if (role !== "anon")
        expect(r.body.data.items.some((p: { model: string }) => p.model === "gpt-4o-mini")).toBe(true);
    },
  },
  {
    route: "POST /api/pricing/",
    req: (role) => ({ path: "/api/pricing/", body: { model: `matrix-${role}`, input: "1", output: "2" } }),
    expect: ADMIN_CREATES,
  },
  {
    route: "DELETE /api/pricing/:model",
    req: async (role) => {
      const model = unique(`gone-${role}`);
      expectReply(await api("admin", "POST", "/api/pricing/", { model, per_call: "0.01" }), 201);
      return { path: `/api/pricing/${model}` };
    },
    expect: ADMIN,
  },
  {
    route: "GET /api/pricing/catalog",
    req: () => ({ path: "/api/pricing/catalog" }),
    expect: ADMIN,
    check: (role, r) => {
      if (role === "admin") expect(r.body.data.models).toBeGreaterThan(1000);
    },
  },
  {
    route: "POST /api/pricing/catalog/apply",
    req: () => ({ path: "/api/pricing/catalog/apply", body: { models: ["gpt-4o-mini"] } }),
    expect: ADMIN,
  },
  // ---- groups
  {
    route: "GET /api/group/",
    req: () => ({ path: "/api/group/" }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      const names = (r.body.data.items as { name: string }[]).map((g) => g.name);
      expect(names).toContain("default");
      expect(names).toContain("matrix-grp");
      expect(names.includes("matrix-hidden")).toBe(role === "admin");
    },
  },
  {
    route: "POST /api/group/",
    req: (role) => ({ path: "/api/group/", body: { name: unique(`g-${role}`), multiplier: 1.5 } }),
    expect: ADMIN_CREATES,
  },
  {
    route: "PUT /api/group/:name",
    req: (role) => ({ path: "/api/group/matrix-grp", body: { description: `edited by ${role}` } }),
    expect: ADMIN,
  },
  {
    route: "DELETE /api/group/:name",
    req: async () => ({ path: `/api/group/${await freshGroup()}` }),
    expect: ADMIN,
  },

  // ---- channels: admins only
  { route: "GET /api/channel/", req: () => ({ path: "/api/channel/" }), expect: ADMIN },
  { route: "GET /api/channel/:id", req: () => ({ path: `/api/channel/${channel.id}` }), expect: ADMIN },
  {
    route: "POST /api/channel/",
    req: (role) => ({
      path: "/api/channel/",
      body: { name: unique(`chan-${role}`), base_url: "https://upstream.example", key: "sk-up-x", models: "m" },
    }),
    expect: ADMIN_CREATES,
  },
  {
    route: "PUT /api/channel/",
    note: "users try to point the channel elsewhere",
    req: (role) => ({
      path: "/api/channel/",
      body: { id: channel.id, base_url: role === "admin" ? "https://upstream.example" : "https://evil.example" },
    }),
    expect: ADMIN,
    check: async () => {
      expect(expectReply(await api("admin", "GET", `/api/channel/${channel.id}`), 200).base_url).toBe(
        "https://upstream.example/v1",
      );
    },
  },
  {
    route: "PUT /api/channel/",
    note: "?status_only=true: users try to disable it",
    req: (role) => ({
      path: "/api/channel/?status_only=true",
      body: { id: channel.id, status: role === "admin" ? 1 : 2 },
    }),
    expect: ADMIN,
    check: async () => {
      expect(expectReply(await api("admin", "GET", `/api/channel/${channel.id}`), 200).status).toBe(
        CHANNEL_STATUS.enabled,
      );
    },
  },
  {
    // a local port nothing listens on: the probe fails fast and never leaves this machine
    route: "POST /api/channel/:id/test",
    req: async () => {
      const body = { name: unique("probe"), base_url: "http://127.0.0.1:9/v1", key: "sk-up-probe", models: "m" };
      const ch = expectReply(await api("admin", "POST", "/api/channel/", body), 201) as { id: number };
      return { path: `/api/channel/${ch.id}/test`, body: {} };
    },
    expect: ADMIN,
    check: (role, r) => {
      if (role === "admin") expect(r.body.data).toMatchObject({ ok: false, status: 0, model: "m" });
    },
  },
  {
    // the same dead local port: the read fails fast, is recorded, and never leaves this machine
    route: "POST /api/channel/:id/balance",
    req: async () => {
      const body = {
        name: unique("balance"),
        base_url: "http://127.0.0.1:9/v1",
        key: "sk-up-balance",
        models: "m",
        balance_source: "oneapi",
      };
      const ch = expectReply(await api("admin", "POST", "/api/channel/", body), 201) as { id: number };
      return { path: `/api/channel/${ch.id}/balance`, body: {} };
    },
    expect: ADMIN,
    check: (role, r) => {
      if (role === "admin") expect(r.body.data.balance.error).toContain("connection refused to 127.0.0.1:9");
    },
  },
  {
    route: "DELETE /api/channel/:id",
    note: "a fresh channel for each role",
    req: async () => ({ path: `/api/channel/${(await freshChannel()).id}` }),
    expect: ADMIN,
  },

  // ---- settings
  { route: "GET /api/setting", req: () => ({ path: "/api/setting" }), expect: ADMIN },
  {
    route: "PUT /api/setting",
    note: "users try to open sign-up",
    req: (role) => ({ path: "/api/setting", body: { register_enabled: role !== "admin" } }),
    expect: ADMIN,
    check: async () => {
      expect(expectReply(await api("admin", "GET", "/api/setting"), 200).register_enabled).toBe(false);
    },
  },

  // ---- alerts
  {
    route: "GET /api/user/setting",
    req: () => ({ path: "/api/user/setting" }),
    expect: USER,
    check: (role, r) => {
      if (role !== "anon") expect(r.body.data).toMatchObject({ notify_type: "none", has_webhook_secret: false });
    },
  },
  {
    route: "PUT /api/user/setting",
    note: "each caller changes their own threshold only",
    req: (role) => ({ path: "/api/user/setting", body: { quota_warning_threshold: role === "anon" ? 1 : ids[role] } }),
    expect: USER,
    check: async (role) => {
      if (role === "anon") return;
      const mine = expectReply(await api(role, "GET", "/api/user/setting"), 200);
      expect(mine.quota_warning_threshold).toBe(ids[role]);
    },
  },
  { route: "GET /api/alert/self", req: () => ({ path: "/api/alert/self" }), expect: USER },
  { route: "GET /api/alert/", req: () => ({ path: "/api/alert/" }), expect: ADMIN },

  // ---- logs
  {
    route: "GET /api/log/self",
    note: "even when asking for another user's rows",
    req: (role) => ({ path: `/api/log/self?user_id=${role === "b" ? ids.a : ids.b}` }),
    expect: USER,
    check: (role, r) => {
      if (role === "anon") return;
      const items = r.body.data.items as { user_id: number }[];
      expect(items.every((l) => l.user_id === ids[role])).toBe(true);
      if (role !== "admin") expect(items.length).toBeGreaterThan(0);
    },
  },
  {
    route: "GET /api/log/",
    req: () => ({ path: "/api/log/?p=1&size=100" }),
    expect: ADMIN,
    check: (role, r) => {
      if (role !== "admin") return;
      const owners = new Set((r.body.data.items as { user_id: number }[]).map((l) => l.user_id));
      expect(owners.has(ids.a) && owners.has(ids.b)).toBe(true);
    },
  },
  { route: "GET /api/dashboard", req: () => ({ path: "/api/dashboard?period=today" }), expect: ADMIN },
  // ---- redemption codes: admins make and manage them; every user redeems and reads their own top-ups
  { route: "GET /api/redemption/", req: () => ({ path: "/api/redemption/" }), expect: ADMIN },
  { route: "GET /api/redemption/search", req: () => ({ path: "/api/redemption/search?keyword=m" }), expect: ADMIN },
  {
    route: "POST /api/redemption/",
    req: () => ({ path: "/api/redemption/", body: { name: "matrix", count: 1, quota: 100 } }),
    expect: ADMIN_CREATES,
  },
  {
    route: "GET /api/redemption/:id",
    req: async () => ({ path: `/api/redemption/${(await freshCode()).id}` }),
    expect: ADMIN,
  },
  {
    route: "PUT /api/redemption/",
    req: async () => ({ path: "/api/redemption/", body: { id: (await freshCode()).id, name: "renamed" } }),
    expect: ADMIN,
  },
  {
    route: "PUT /api/redemption/",
    note: "?status_only=1",
    req: async () => ({ path: "/api/redemption/?status_only=1", body: { id: (await freshCode()).id, status: 2 } }),
    expect: ADMIN,
  },
  {
    route: "DELETE /api/redemption/:id",
    req: async () => ({ path: `/api/redemption/${(await freshCode()).id}` }),
    expect: ADMIN,
  },
  { route: "DELETE /api/redemption/invalid", req: () => ({ path: "/api/redemption/invalid" }), expect: ADMIN },
  {
    route: "POST /api/user/topup",
    req: async () => ({ path: "/api/user/topup", body: { key: (await freshCode()).code } }),
    expect: USER,
  },
  {
    route: "GET /api/user/topup",
    req: () => ({ path: "/api/user/topup" }),
    expect: USER,
    check: (role, r) => {
      if (role === "a" || role === "b")
        expect((r.body.data.items as { user_id: number }[]).every((l) => l.user_id === ids[role])).toBe(true);
    },
  },
];

for (const c of cases) {
  const method = c.route.split(" ")[0];
  const table = ROLES.map((r) => `${r} ${c.expect[r]}`).join(", ");
  test(`${c.route}${c.note ? ` (${c.note})` : ""}: ${table}`, async () => {
    const got = {} as Record<Role, number>;
    for (const role of ROLES) {
      const req = await c.req(role);
      const r = await api(role, method, req.path, req.body, req.auth);
      got[role] = r.status;
      expectEnvelope(r);
      if (r.status !== c.expect[role]) {
        // show the reply of the first surprise
        expect({ role, status: r.status, body: r.body }).toEqual({ role, status: c.expect[role], body: r.body });
      }
      if (r.status === c.expect[role]) await c.check?.(role, r);
    }
    expect(got).toEqual(c.expect);
  });
}

test("DELETE /api/token/:id by B or anonymous leaves A's token in place", async () => {
  for (const role of ["anon", "b"] as Role[]) {
    const t = await freshAToken();
    const r = await api(role, "DELETE", `/api/token/${t.id}`);
    expect(r.status).toBe(role === "anon" ? 401 : 404);
    expect((await tokenOf(t.id)).id).toBe(t.id);
  }
});

test("B's 404 on A's token is the same reply as for a token that does not exist", async () => {
  const t = await freshAToken();
  const missing = t.id + 100_000;
  const pairs: [string, string, unknown, unknown][] = [
    ["GET", `/api/token/${t.id}`, undefined, undefined],
    ["DELETE", `/api/token/${t.id}`, undefined, undefined],
    ["POST", `/api/token/${t.id}/key`, {}, {}],
    ["PUT", "/api/token/", { id: t.id, name: "probe" }, { id: missing, name: "probe" }],
    ["PUT", "/api/token/?status_only=true", { id: t.id, status: 2 }, { id: missing, status: 2 }],
  ];
  for (const [method, path, body, missingBody] of pairs) {
    const theirs = await api("b", method, path, body);
    const none = await api("b", method, path.replace(String(t.id), String(missing)), missingBody);
    expect({ method, path, status: theirs.status }).toEqual({ method, path, status: 404 });
    expect(none.status).toBe(404);
    expect(theirs.body.message.replace(String(t.id), "N")).toBe(none.body.message.replace(String(missing), "N"));
  }
  const still = await tokenOf(t.id);
  expect({ name: still.name, status: still.status }).toEqual({ name: t.name, status: TOKEN_STATUS.enabled });
});

test("authentication comes before the body: broken JSON is 401 for anonymous and 403 for users on admin routes", async () => {
  const broken = "{this is: not json";
  for (const c of cases) {
    const [method, path] = c.route.split(" ");
    const isPublic = c.expect.anon !== 401;
    if (isPublic) continue;
    const concrete = path.replace(":id", String(aToken.id)).replace(":name", "matrix-grp");
    const body = method === "POST" || method === "PUT" ? broken : undefined;
    const anon = await call(app.url, method, concrete, body, undefined);
    expect({ route: c.route, status: anon.status }).toEqual({ route: c.route, status: 401 });
    expectEnvelope(anon);
    if (c.expect.a === 403) {
      for (const role of ["a", "b"] as Role[]) {
        const r = await call(app.url, method, concrete, body, auth[role]);
        expect({ route: c.route, role, status: r.status }).toEqual({ route: c.route, role, status: 403 });
      }
    }
  }
  // and a user's own broken body is a 400, not a 401/403
  expect((await call(app.url, "POST", "/api/token/", broken, auth.a)).status).toBe(400);
});

test("unknown or stale credentials are anonymous: 401", async () => {
  for (const cred of [
    { token: "not-a-real-token" },
    { token: "Bearer not-a-real-token" },
    { cookie: "apiyi_session=forged" },
  ]) {
    for (const path of ["/api/user/self", "/api/token/", `/api/token/${aToken.id}`, "/api/user/"]) {
      const r = await call(app.url, "GET", path, undefined, cred);
      expect({ path, cred, status: r.status }).toEqual({ path, cred, status: 401 });
    }
  }
  // a signed-out session no longer works
  const session = await login(app.url, "user-a", PASSWORD);
  expect((await call(app.url, "GET", "/api/user/self", undefined, session)).status).toBe(200);
  expect((await call(app.url, "POST", "/api/user/logout", {}, session)).status).toBe(200);
  expect((await call(app.url, "GET", "/api/user/self", undefined, session)).status).toBe(401);
});

test("with sign-up switched on, anyone may register; it is still an admin switch", async () => {
  expectReply(await api("admin", "PUT", "/api/setting", { register_enabled: true }), 200);
  const r = await api("anon", "POST", "/api/user/register", { username: "signed-up", password: PASSWORD });
  expect(expectReply(r, 201)).toMatchObject({ username: "signed-up", role: "user" });
  expectReply(await api("admin", "PUT", "/api/setting", { register_enabled: false }), 200);
});

test("non-API endpoints are public", async () => {
  for (const path of ["/healthz", "/readyz", "/openapi.json"]) {
    for (const role of ROLES) {
      const r = await call(app.url, "GET", path, undefined, auth[role]);
      expect({ path, role, status: r.status }).toEqual({ path, role, status: 200 });
    }
  }
});

test("/openapi.json lists every route exercised here, and the matrix covers every route it lists", async () => {
  const r = await call(app.url, "GET", "/openapi.json");
  expect(r.status).toBe(200);
  const paths = r.body.paths as Record<string, Record<string, unknown>>;
  const toDoc = (p: string) => p.replace(/:(\w+)/g, "{$1}");
  const exercised = new Set(cases.map((c) => c.route));
  for (const route of exercised) {
    const [method, path] = route.split(" ");
    expect({ route, documented: !!paths[toDoc(path)]?.[method.toLowerCase()] }).toEqual({ route, documented: true });
  }
  const documented = Object.entries(paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
  );
  const covered = new Set([...exercised].map((route) => toDoc(route)));
  for (const op of documented) expect({ op, covered: covered.has(op) }).toEqual({ op, covered: true });
  // path parameters use {id} / {name}
  expect(paths["/api/token/{id}"]).toBeDefined();
  expect(paths["/api/group/{name}"]).toBeDefined();
  expect(Object.keys(paths).some((p) => p.includes(":"))).toBe(false);
});
