// Redemption codes against people trying to cheat (real server, real HTTP): 100 users redeeming one
// code at the same moment get exactly one credit; used, expired, disabled, unknown and malformed
// codes answer one identical refusal; failures are limited per user and per client address (the
// server trusts 127.0.0.1 as a proxy, so each request names its client in X-Forwarded-For); and no
// full code is left anywhere in the database (every table's text, the raw files) or the server's output.
import { beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LOG_TYPE } from "../../../src/core/status";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer({ env: { APIYI_TRUSTED_PROXIES: "127.0.0.1" } });
let adminAuth: Auth;
let admin: ReturnType<typeof client>;
const nowSec = () => Math.floor(Date.now() / 1000);
const UNIFORM = "this code is invalid, used or expired";
let ipSerial = 0;
/** A client address nobody has used yet in this file. */
const freshIp = () => `10.9.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

/** POST /api/user/topup as `auth` from client address `ip`. */
async function redeem(auth: { cookie: string; csrf: string }, key: string, ip: string) {
  const res = await fetch(`${app.url}/api/user/topup`, {
    method: "POST",
    headers: {
      cookie: auth.cookie,
      "x-csrf-token": auth.csrf,
      origin: app.url,
      "content-type": "application/json",
      "x-forwarded-for": ip,
    },
    body: JSON.stringify({ key }),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get("retry-after") };
}

async function make(body: Record<string, unknown>) {
  return expectReply(await admin.post("/api/redemption/", body), 201) as string[];
}
const idOf = async (code: string) =>
  expectReply(await admin.get(`/api/redemption/search?keyword=${code}`), 200).items[0].id as number;

/** `n` users with a live session each, written straight into the database (100 sign-ups and sign-ins
 * through the API would spend minutes on argon2 on a small machine); everything after is real HTTP. */
async function quickUsers(prefix: string, n: number) {
  const db = new Database(join(app.server.dataDir, "apiyi.db"));
  const made = [];
  for (let i = 0; i < n; i++) {
    const { id } = db
      .query("INSERT INTO users (username, password_hash) VALUES (?, 'not-a-hash') RETURNING id")
      .get(`${prefix}${i}`) as { id: number };
    const session = randomBytes(24).toString("hex");
    db.run("INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (?, ?, ?)", [
      createHash("sha256").update(session).digest("hex"),
      id,
      nowSec() + 3600,
    ]);
    made.push({ id, cookie: `apiyi_session=${session}` });
  }
  db.close();
  return Promise.all(
    made.map(async ({ id, cookie }) => {
      const self = expectReply(await client(app.url, { cookie }).get("/api/user/self"), 200);
      const auth = { cookie, csrf: self.csrf_token as string };
      return { id, auth, api: client(app.url, auth) };
    }),
  );
}

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
});

test("100 users redeem one code at once: exactly one credit, one log row with the amount in quota", async () => {
  const users = await quickUsers("race", 100);
  const [code] = await make({ name: "race", quota: 1_000_000 });
  const replies = await Promise.all(users.map((u) => redeem(u.auth, code, freshIp())));
  const won = replies.filter((r) => r.status === 200);
  expect(won).toHaveLength(1);
  expect(won[0].body.data).toBe(1_000_000);
  for (const r of replies.filter((r) => r.status !== 200))
    expect(r).toMatchObject({ status: 400, body: { message: UNIFORM } });
  const balances = await Promise.all(users.map(async (u) => expectReply(await u.api.get("/api/user/self"), 200).quota));
  expect(balances.filter((q) => q === 1_000_000)).toHaveLength(1);
  expect(balances.filter((q) => q === 0)).toHaveLength(99);
  const rows = expectReply(await admin.get(`/api/log/?type=${LOG_TYPE.topup}&size=100`), 200).items.filter(
    (l: { content: string }) => l.content.includes(`…${code.slice(-4)}`),
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ type: LOG_TYPE.topup, quota: 1_000_000 });
  expect(rows[0].user_id).toBe(users[balances.indexOf(1_000_000)].id);
});

test("used, expired, disabled, unknown and malformed codes get the same refusal", async () => {
  const erin = await makeUser(app.url, adminAuth, "erin");
  const [used, expired, disabled] = await make({
    name: "refusals",
    count: 3,
    quota: 10,
    expired_time: nowSec() + 3600,
  });
  expectReply(await erin.api.post("/api/user/topup", { key: used }), 200);
  const db = new Database(join(app.server.dataDir, "apiyi.db"));
  db.run("UPDATE redemptions SET expired_time = ? WHERE id = ?", [nowSec() - 1, await idOf(expired)]);
  db.close();
  expectReply(await admin.put("/api/redemption/?status_only=1", { id: await idOf(disabled), status: 2 }), 200);
  const unknown = "0123456789abcdef0123456789abcdef";
  const replies = [];
  for (const key of [used, expired, disabled, unknown, "not a code", ""])
    replies.push(await redeem(erin.auth, key, freshIp()));
  for (const r of replies)
    expect(r).toMatchObject({ status: 400, body: { success: false, message: UNIFORM, data: null } });
  expect(expectReply(await erin.api.get("/api/user/self"), 200).quota).toBe(10);
  // the expired and the disabled codes stay unused
  expect(expectReply(await admin.get(`/api/redemption/${await idOf(expired)}`), 200).status).toBe(1);
  expect(expectReply(await admin.get(`/api/redemption/${await idOf(disabled)}`), 200).used_user_id).toBe(0);
});

test("10 failures per user in 10 minutes, from any addresses: then 429 with Retry-After, even for a good code", async () => {
  const fay = await makeUser(app.url, adminAuth, "fay");
  const [good] = await make({ name: "limit", quota: 10 });
  for (let i = 0; i < 10; i++) expect((await redeem(fay.auth, `bad${i}`, freshIp())).status).toBe(400);
  const limited = await redeem(fay.auth, good, freshIp());
  expect(limited.status).toBe(429);
  expect(limited.body.message).toContain("too many failed redemptions");
  expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  expect(expectReply(await fay.api.get("/api/user/self"), 200).quota).toBe(0);
  // another user is not held up by fay's failures
  const gus = await makeUser(app.url, adminAuth, "gus");
  expect((await redeem(gus.auth, good, freshIp())).status).toBe(200);
});

test("10 failures per address in 10 minutes, over any users: then 429 there, other addresses still work", async () => {
  const ip = freshIp();
  const users = await quickUsers("probe", 11);
  for (const u of users.slice(0, 10)) expect((await redeem(u.auth, "f".repeat(32), ip)).status).toBe(400);
  const [good] = await make({ name: "per-ip", quota: 10 });
  expect((await redeem(users[10].auth, good, ip)).status).toBe(429);
  expect((await redeem(users[10].auth, good, freshIp())).status).toBe(200);
});

test("successful redemptions never count against the limit", async () => {
  const hal = await makeUser(app.url, adminAuth, "hal");
  const codes = await make({ name: "many", count: 15, quota: 1 });
  const ip = freshIp();
  for (const code of codes) expect((await redeem(hal.auth, code, ip)).status).toBe(200);
  expect(expectReply(await hal.api.get("/api/user/self"), 200).quota).toBe(15);
});

test("no full code anywhere in the database (every table's text, the raw files) or in the server's output", async () => {
  const codes = await make({ name: "leak-check", count: 20, quota: 10 });
  const ivy = await makeUser(app.url, adminAuth, "ivy");
  expectReply(await ivy.api.post("/api/user/topup", { key: codes[0] }), 200);
  const db = new Database(join(app.server.dataDir, "apiyi.db"), { readonly: true });
  const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  let dump = "";
  for (const { name } of tables) dump += JSON.stringify(db.query(`SELECT * FROM "${name}"`).all());
  db.close();
  expect(dump).toContain(`…${codes[0].slice(-4)}`); // the masks are there
  const files = readdirSync(app.server.dataDir).map((f) =>
    readFileSync(join(app.server.dataDir, f)).toString("latin1"),
  );
  for (const code of codes) {
    expect(dump.includes(code)).toBe(false);
    expect(files.some((f) => f.includes(code))).toBe(false);
    expect(app.server.output().includes(code) || app.server.errors().includes(code)).toBe(false);
  }
});
