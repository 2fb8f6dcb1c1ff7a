// CSRF on the management API (issue 10, item 1), as a matrix: every state-changing /api route, listed
// from the server's own /openapi.json (a new route without an entry in BODIES fails the first test),
// with real ids, × the ways another site's page could send it with the admin's session cookie:
//   - no CSRF token (same origin) → 403
//   - the right token, but from another origin: a foreign site or another port of the same host, with
//     Sec-Fetch-Site: same-site (what SameSite=Lax lets through), or same-site alone → 403
//   - the right token and origin, but content-type text/plain (a "simple" cross-site body) → 415
// and after each route's cases the database is byte-for-byte what it was (every table's rows).
// Sign-in and sign-up act for nobody: no token is asked, but a foreign origin (login CSRF) is refused
// and text/plain is 415. Then the control: every route passes with the token, the origin and JSON, and
// an access token in Authorization (bare or Bearer) needs neither token nor origin. The console's
// actions and sign-in refuse Sec-Fetch-Site: same-site too. Behind a TLS-terminating proxy (the
// browser's Origin is https://, the request http://) the public_url setting's origin is this site's.
import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { expectEnvelope, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, useServer, type Reply } from "../../support/server";

setDefaultTimeout(60_000);
const app = useServer();
const PUBLIC = "https://apiyi.example.com";
const proxied = useServer({ args: ["--public-url", PUBLIC] });

/** A valid JSON body for each write route (as /openapi.json spells its path), so that a refusal is
 * the CSRF check's and not the body's; undefined: the route takes none. */
const BODIES: Record<string, (f: Fixtures) => unknown> = {
  "POST /api/user/login": () => ({ username: "admin", password: ADMIN_PASSWORD }),
  "POST /api/user/logout": () => undefined,
  "POST /api/user/register": () => ({ username: "newcomer", password: "newcomer-pass-1" }),
  "PUT /api/user/self": () => ({ current_password: ADMIN_PASSWORD, password: ADMIN_PASSWORD }),
  "POST /api/user/token": () => undefined,
  "POST /api/user/": () => ({ username: "forged-user", password: "forged-pass-1" }),
  "PUT /api/user/": (f) => ({ id: f.userId, status: 2 }),
  "DELETE /api/user/{id}": () => undefined,
  "POST /api/user/{id}/topup": () => ({ quota: 1_000_000 }),
  "POST /api/user/{id}/adjust": () => ({ delta: 5, reason: "forged" }),
  "POST /api/token/": () => ({ name: "forged-token", unlimited_quota: true }),
  "PUT /api/token/": (f) => ({ id: f.tokenId, name: "renamed" }),
  "DELETE /api/token/{id}": () => undefined,
  "POST /api/token/{id}/key": () => undefined,
  "POST /api/group/": () => ({ name: "forged-group" }),
  "PUT /api/group/{name}": () => ({ description: "forged" }),
  "DELETE /api/group/{name}": () => undefined,
  "POST /api/channel/": () => ({
    name: "forged-channel",
    type: "openai",
    base_url: "http://127.0.0.1:9/v1",
    key: "sk-forged",
    models: "m-forged",
  }),
  "PUT /api/channel/": (f) => ({ id: f.channelId, name: "renamed" }),
  "DELETE /api/channel/{id}": () => undefined,
  "POST /api/channel/{id}/test": () => ({}),
  "POST /api/channel/{id}/balance": () => ({}),
  "POST /api/pricing/": () => ({ model: "m-forged", input: "1", output: "2" }),
  "DELETE /api/pricing/{model}": () => undefined,
  "POST /api/pricing/catalog/apply": () => ({ models: ["gpt-4o-mini"] }),
  "PUT /api/setting": () => ({ new_user_quota: 123 }),
  "PUT /api/user/setting": () => ({ quota_warning_threshold: 777 }),
  "POST /api/redemption/": () => ({ name: "forged-codes", count: 1, quota: 1_000_000 }),
  "PUT /api/redemption/": (f) => ({ id: f.redemptionId, name: "renamed" }),
  "DELETE /api/redemption/invalid": () => undefined,
  "DELETE /api/redemption/{id}": () => undefined,
  "POST /api/user/topup": (f) => ({ key: f.code }),
};
/** Routes that act for nobody (no session, so no CSRF token); only the origin and the type are checked. */
const ANONYMOUS = new Set(["POST /api/user/login", "POST /api/user/register"]);

type Fixtures = {
  userId: number;
  tokenId: number;
  channelId: number;
  group: string;
  model: string;
  redemptionId: number;
  code: string;
};
let fx: Fixtures;
let admin: { cookie: string; csrf: string };
let accessToken = "";
let writes: string[] = [];

/** `/api/user/{id}` → `/api/user/7`: the id of a real object of the route's kind. */
function realPath(route: string) {
  const path = route.split(" ")[1];
  const id = path.startsWith("/api/user/")
    ? fx.userId
    : path.startsWith("/api/token/")
      ? fx.tokenId
      : path.startsWith("/api/redemption/")
        ? fx.redemptionId
        : fx.channelId;
  return path.replace("{id}", String(id)).replace("{name}", fx.group).replace("{model}", fx.model);
}

type Send = { cookie?: string; csrf?: string; origin?: string; site?: string; type?: string; authorization?: string };

async function send(route: string, how: Send, body = BODIES[route](fx)): Promise<Reply> {
  const [method] = route.split(" ");
  const headers: Record<string, string> = {};
  if (how.cookie) headers.cookie = how.cookie;
  if (how.csrf) headers["x-csrf-token"] = how.csrf;
  if (how.origin) headers.origin = how.origin;
  if (how.site) headers["sec-fetch-site"] = how.site;
  if (how.authorization) headers.authorization = how.authorization;
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text !== undefined || how.type) headers["content-type"] = how.type ?? "application/json";
  const res = await fetch(app.url + realPath(route), {
    method,
    headers,
    body: how.type && text === undefined ? "{}" : text,
  });
  const raw = await res.text();
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Every row of every table: what "nothing changed" compares. */
function dbState(): string {
  const db = new Database(join(app.server.dataDir, "apiyi.db"), { readonly: true });
  try {
    const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    return JSON.stringify(tables.map(({ name }) => [name, db.query(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const session = client(app.url, admin);
  accessToken = expectReply(await session.post("/api/user/token"), 200).access_token;
  const api = client(app.url, { token: `Bearer ${accessToken}` });
  expectReply(await api.put("/api/setting", { register_enabled: true }), 200);
  const userId = expectReply(
    await api.post("/api/user/", { username: "victim-user", password: "victim-pass-1" }),
    201,
  ).id;
  const tokenId = expectReply(await api.post("/api/token/", { name: "admins-token", unlimited_quota: true }), 201).id;
  expectReply(await api.post("/api/group/", { name: "spare-group" }), 201);
  const channelId = expectReply(
    await api.post("/api/channel/", {
      name: "ch",
      type: "openai",
      base_url: "http://127.0.0.1:9/v1",
      key: "sk-upstream",
      models: "m-priced",
      balance_source: "oneapi", // a balance read fails fast on the dead port, and is recorded
    }),
    201,
  ).id;
  expectReply(await api.post("/api/pricing/", { model: "m-priced", input: "1", output: "2" }), 201);
  const [code] = expectReply(await api.post("/api/redemption/", { name: "fixture", quota: 10 }), 201);
  const redemptionId = expectReply(await api.get(`/api/redemption/search?keyword=${code}`), 200).items[0].id;
  fx = { userId, tokenId, channelId, group: "spare-group", model: "m-priced", redemptionId, code };

  const doc = (await (await fetch(`${app.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => m !== "get")
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
});

test("the matrix covers every state-changing route of /openapi.json", () => {
  expect(writes.length).toBeGreaterThan(20);
  expect(writes.filter((r) => !(r in BODIES))).toEqual([]);
});

describe("every write route, sent as another site's page could", () => {
  test("session routes: no CSRF token → 403; a foreign or same-site origin → 403; text/plain → 415; nothing changed", async () => {
    const other = `http://127.0.0.1:${Number(new URL(app.url).port) === 1 ? 2 : 1}`; // another port of the same host
    const forged: [string, Send, number][] = [
      ["no CSRF token", { cookie: admin.cookie, origin: app.url }, 403],
      ["no CSRF token, no Origin", { cookie: admin.cookie }, 403],
      [
        "a foreign origin",
        { cookie: admin.cookie, csrf: admin.csrf, origin: "http://evil.example", site: "same-site" },
        403,
      ],
      ["another port", { cookie: admin.cookie, csrf: admin.csrf, origin: other, site: "same-site" }, 403],
      ["Sec-Fetch-Site: same-site", { cookie: admin.cookie, csrf: admin.csrf, site: "same-site" }, 403],
      ["Sec-Fetch-Site: cross-site", { cookie: admin.cookie, csrf: admin.csrf, site: "cross-site" }, 403],
      ["Origin: null", { cookie: admin.cookie, csrf: admin.csrf, origin: "null" }, 403],
      [
        "text/plain",
        { cookie: admin.cookie, csrf: admin.csrf, origin: app.url, site: "same-origin", type: "text/plain" },
        415,
      ],
      [
        "a form post",
        { cookie: admin.cookie, csrf: admin.csrf, origin: app.url, type: "application/x-www-form-urlencoded" },
        415,
      ],
    ];
    const seen: string[] = [];
    for (const route of writes.filter((r) => !ANONYMOUS.has(r))) {
      const before = dbState();
      for (const [name, how, status] of forged) {
        const r = await send(route, how);
        seen.push(`${route} · ${name} → ${r.status}`);
        expect(`${route} · ${name} → ${r.status}`).toBe(`${route} · ${name} → ${status}`);
        expectEnvelope(r);
        expect(r.headers.get("set-cookie")).toBeNull(); // logout included: the cookie stays
      }
      expect({ route, unchanged: dbState() === before }).toEqual({ route, unchanged: true });
    }
    expect(seen.length).toBe((writes.length - ANONYMOUS.size) * forged.length);
  });

  test("sign-in and sign-up (no session to protect): a foreign origin → 403 (login CSRF), text/plain → 415; nothing changed", async () => {
    const forged: [string, Send, number][] = [
      ["a foreign origin", { origin: "http://evil.example", site: "cross-site" }, 403],
      ["a sibling site", { origin: "http://evil.example", site: "same-site" }, 403],
      ["text/plain", { origin: app.url, type: "text/plain" }, 415],
    ];
    for (const route of ANONYMOUS) {
      const before = dbState();
      for (const [name, how, status] of forged) {
        const r = await send(route, how);
        expect(`${route} · ${name} → ${r.status}`).toBe(`${route} · ${name} → ${status}`);
        expect(r.headers.get("set-cookie")).toBeNull();
      }
      expect({ route, unchanged: dbState() === before }).toEqual({ route, unchanged: true });
    }
  });
});

describe("what still works", () => {
  test("a write with an access token in Authorization (Bearer or bare) needs no CSRF token and no Origin", async () => {
    for (const authorization of [`Bearer ${accessToken}`, accessToken]) {
      const r = await send(
        "POST /api/token/",
        { authorization },
        { name: `by-access-token-${authorization.length}`, unlimited_quota: true },
      );
      expectReply(r, 201);
    }
  });

  test("a cookie write with a stale session needs no token to be told 401", async () => {
    expectReply(await send("POST /api/token/", { cookie: "apiyi_session=not-a-session", origin: app.url }), 401);
  });

  test("the console's own pages (token, same origin, Sec-Fetch-Site: same-origin) pass on every route", async () => {
    // deletes and sign-out last, so the objects they remove serve the routes before them (deleting the
    // invalid codes after the one code that the redeem route used)
    const rank = (r: string) =>
      r === "POST /api/user/logout"
        ? 3
        : r.startsWith("DELETE /api/user/") || r === "DELETE /api/redemption/invalid"
          ? 2
          : r.startsWith("DELETE")
            ? 1
            : 0;
    for (const route of [...writes].sort((a, b) => rank(a) - rank(b))) {
      const how = ANONYMOUS.has(route)
        ? { origin: app.url, site: "same-origin" }
        : { cookie: admin.cookie, csrf: admin.csrf, origin: app.url, site: "same-origin" };
      const r = await send(route, how);
      expect(
        `${route} → ${r.status >= 200 && r.status < 300 ? "2xx" : r.status}: ${JSON.stringify(r.body).slice(0, 200)}`,
      ).toStartWith(`${route} → 2xx`);
    }
  });
});

describe("the console's own checks are as strict", () => {
  const consoleAction = (headers: Record<string, string>) =>
    fetch(`${app.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "hx-request": "true", ...headers },
      body: new URLSearchParams({ name: "from-elsewhere", unlimited: "1", never: "1" }),
    });

  test("an htmx action with the token from another port, a sibling site, or Sec-Fetch-Site: same-site alone → 403, nothing created", async () => {
    const session = await login(app.url, "admin", ADMIN_PASSWORD);
    const before = dbState();
    const base = { cookie: session.cookie, "x-csrf-token": session.csrf };
    const elsewhere: Record<string, string>[] = [
      { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "http://127.0.0.1:1", "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
    ];
    for (const extra of elsewhere) {
      const res = await consoleAction({ ...base, ...extra });
      expect({ extra, status: res.status }).toEqual({ extra, status: 403 });
    }
    expect(dbState()).toBe(before);
    expect((await consoleAction({ ...base, origin: app.url, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  test("the sign-in form from a sibling site → 403, no session", async () => {
    const res = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-site" },
      body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD }),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("behind a TLS-terminating proxy (public_url https://…)", () => {
  test("a cookie write whose Origin is public_url's passes; https://<Host> passes when the browser says same-origin; a foreign https origin does not", async () => {
    const session = await login(proxied.url, "admin", ADMIN_PASSWORD);
    const host = new URL(proxied.url).host;
    const write = (origin: string, site?: string) =>
      fetch(`${proxied.url}/api/group/`, {
        method: "POST",
        headers: {
          cookie: session.cookie,
          "x-csrf-token": session.csrf,
          "content-type": "application/json",
          origin,
          ...(site ? { "sec-fetch-site": site } : {}),
        },
        body: JSON.stringify({ name: `g${Math.random().toString(36).slice(2, 8)}` }),
      });
    expect((await write(PUBLIC, "same-origin")).status).toBe(201);
    expect((await write(PUBLIC)).status).toBe(201);
    expect((await write(`https://${host}`, "same-origin")).status).toBe(201);
    expect((await write(`https://${host}`)).status).toBe(403);
    expect((await write("https://evil.example.com", "same-site")).status).toBe(403);
    expect((await write("https://other.example.com")).status).toBe(403);
  });

  test("the console's sign-in form posted from public_url's origin signs in", async () => {
    const res = await fetch(`${proxied.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: PUBLIC, "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
  });
});
