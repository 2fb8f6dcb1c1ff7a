// Sign-in lock-out behind a reverse proxy (issue 10, item 7). The server trusts 127.0.0.1 as its proxy
// (--trusted-proxies), so each test request "comes from" the address in its X-Forwarded-For:
//   - an attacker's failures lock only the attacker's address, for that account: another address
//     signs in to the same account at once, the proxy's own address too; every 429 has Retry-After;
//   - /api/user/login, the console's /login and /register's sign-in share the one throttle;
//   - many addresses failing on one account start its delay: a new address gets 429 (Retry-After)
//     even with the right password, while an address the owner signed in from before gets in;
//   - without trusted proxies X-Forwarded-For is ignored: an attacker cannot rotate it to escape.
// The delay answers 429 with Retry-After instead of sleeping, so nothing here waits on the clock.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, useServer, type Reply } from "../../support/server";

setDefaultTimeout(60_000);
const app = useServer({ args: ["--trusted-proxies", "127.0.0.1"] });
const direct = useServer(); // no trusted proxy: X-Forwarded-For means nothing

async function apiLogin(base: string, username: string, password: string, from?: string): Promise<Reply> {
  const res = await fetch(`${base}/api/user/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(from ? { "x-forwarded-for": from } : {}) },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

function consolePost(path: "/login" | "/register", fields: Record<string, string>, from: string) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url, "x-forwarded-for": from },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** A 429 that says how long to wait, in whole seconds (at most a minute here). */
function expectWait(r: { status: number; headers: Headers }) {
  expect(r.status).toBe(429);
  const wait = r.headers.get("retry-after");
  expect(wait).toMatch(/^\d+$/);
  expect(Number(wait)).toBeGreaterThanOrEqual(1);
  expect(Number(wait)).toBeLessThanOrEqual(60);
}

/** `n` wrong passwords for `username` from `from`, sent together (each is counted before it is checked). */
const failures = (base: string, username: string, from: string | undefined, n = 10) =>
  Promise.all(Array.from({ length: n }, (_, i) => apiLogin(base, username, `wrong-password-${i}`, from)));

let api: ReturnType<typeof client>;
beforeAll(async () => {
  api = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  expectReply(await api.put("/api/setting", { register_enabled: true }), 200);
  for (const name of ["target", "spare1", "spare2", "spare3"])
    expectReply(await api.post("/api/user/", { username: name, password: `${name}-pass-1` }), 201);
});

describe("behind a trusted proxy, the lock is per (client address, account)", () => {
  test("an attacker's 10 failures lock the attacker out of admin, and nobody else", async () => {
    for (const r of await failures(app.url, "admin", "203.0.113.66")) expect(r.status).toBe(401);
    const blocked = await apiLogin(app.url, "admin", ADMIN_PASSWORD, "203.0.113.66");
    expectWait(blocked);
    expect(blocked.body.success).toBe(false);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    // the admin from another address, and through the proxy without a forwarded address, still gets in
    expectReply(await apiLogin(app.url, "admin", ADMIN_PASSWORD, "198.51.100.7"), 200);
    expectReply(await apiLogin(app.url, "admin", ADMIN_PASSWORD), 200);
    // the attacker may still try another account (its own limit is per account)
    expect((await apiLogin(app.url, "spare1", "wrong-password", "203.0.113.66")).status).toBe(401);
  });

  test("the console's /login shares the lock: the attacker gets the sign-in page with 429 and Retry-After; others sign in", async () => {
    const res = await consolePost("/login", { username: "admin", password: ADMIN_PASSWORD }, "203.0.113.66");
    expectWait(res);
    expect(await res.text()).toContain("too many failed sign-ins");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await consolePost("/login", { username: "admin", password: ADMIN_PASSWORD }, "198.51.100.8")).status).toBe(
      303,
    );
  });

  test("one address failing on many accounts is stopped at 30 a minute; /register's sign-in goes through the same throttle", async () => {
    const sprayer = "203.0.113.99";
    for (const name of ["spare1", "spare2", "spare3"])
      for (const r of await failures(app.url, name, sprayer)) expect(r.status).toBe(401);
    expectWait(await apiLogin(app.url, "target", "target-pass-1", sprayer));
    const signUp = await consolePost("/register", { username: "from-sprayer", password: "sprayer-pass-1" }, sprayer);
    expectWait(signUp);
    expect(signUp.headers.get("set-cookie")).toBeNull();
    expect(
      (await consolePost("/register", { username: "from-elsewhere", password: "elsewhere-pass-1" }, "198.51.100.9"))
        .status,
    ).toBe(303);
  });
});

describe("many addresses failing on one account start its delay", () => {
  test("after failures from 10 addresses, a new address waits (429, Retry-After) even with the right password; the owner's usual address does not", async () => {
    expectReply(await apiLogin(app.url, "target", "target-pass-1", "192.0.2.10"), 200); // the owner, before the attack
    for (let i = 0; i < 10; i++)
      expect((await apiLogin(app.url, "target", `guess-${i}`, `198.18.0.${i + 1}`)).status).toBe(401);

    const fresh = await apiLogin(app.url, "target", "target-pass-1", "198.18.1.1");
    expectWait(fresh);
    expect(fresh.body.message).toContain("this account");
    const viaConsole = await consolePost("/login", { username: "target", password: "target-pass-1" }, "198.18.1.2");
    expectWait(viaConsole);

    expectReply(await apiLogin(app.url, "target", "target-pass-1", "192.0.2.10"), 200);
    // other accounts are not slowed
    expectReply(await apiLogin(app.url, "spare2", "spare2-pass-1", "198.18.1.3"), 200);
  });
});

describe("without a trusted proxy", () => {
  test("X-Forwarded-For is ignored: rotating it does not escape the lock", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apiLogin(direct.url, "admin", `wrong-${i}`, `203.0.113.${i + 1}`)),
    );
    for (const r of results) expect(r.status).toBe(401);
    expectWait(await apiLogin(direct.url, "admin", ADMIN_PASSWORD, "203.0.113.200"));
  });
});
