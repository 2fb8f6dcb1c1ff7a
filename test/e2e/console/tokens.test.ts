// The console's /token page over HTTP: sign-in, the table, the New dialog (with its errors), the
// one-time key, enable/disable and delete through htmx actions, CSRF and origin checks, escaping.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { ADMIN_PASSWORD, call, login, makeUser, useServer } from "../../support/server";

const app = useServer();
let admin: Awaited<ReturnType<typeof login>>;

const { page, act } = consoleHttp(app, { as: () => admin });

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
});

test("anonymous visitors are sent to sign in, and come back where they were going", async () => {
  const r = await page("/token?keyword=x", {});
  expect(r.status).toBe(302);
  expect(r.location).toBe("/login?next=%2Ftoken%3Fkeyword%3Dx");
  expect((await page("/", {})).location).toBe("/token");
});

test("the sign-in form: a friendly error, then a session cookie and a local redirect only", async () => {
  const bad = await fetch(`${app.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ username: "admin", password: "nope", next: "/log" }),
    redirect: "manual",
  });
  expect(bad.status).toBe(401);
  expect(await bad.text()).toContain("wrong username or password");
  const ok = await fetch(`${app.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD, next: "//evil.example/x" }),
    redirect: "manual",
  });
  expect(ok.status).toBe(303);
  expect(ok.headers.get("location")).toBe("/token");
  expect(ok.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
});

test("the table shows the user's tokens with masked keys and an empty-state hint when searching finds none", async () => {
  const r = await page("/token");
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toContain("text/html");
  expect(r.text).toContain("default");
  expect(r.text).toMatch(/sk-[0-9A-Za-z]{4}…[0-9A-Za-z]{4}/);
  expect(r.text).not.toMatch(/sk-[0-9A-Za-z]{48}/);
  expect((await page("/token?keyword=nothing-like-this")).text).toContain("No tokens yet — click New.");
});

test("New: the dialog, inline validation errors, then the row and the full key once", async () => {
  const dialog = await page("/token/new");
  expect(dialog.text).toContain("<dialog");
  expect(dialog.text).toContain("Usage first (recommended)");
  const invalid = await act("POST", "/token", {
    name: "",
    unlimited: "1",
    never: "1",
    billing_mode: "usage_first",
    group: "default",
  });
  expect(invalid.status).toBe(200);
  expect(invalid.text).toContain("name: must not be empty");
  const badIp = await act("POST", "/token", {
    name: "x",
    unlimited: "1",
    never: "1",
    group: "default",
    allow_ips: "office",
  });
  expect(badIp.text).toContain("&quot;office&quot; is neither an IP address nor a CIDR");
  const made = await act("POST", "/token", {
    name: "laptop",
    quota_usd: "2.5",
    never: "1",
    billing_mode: "usage",
    group: "default",
    allow_ips: "10.0.0.0/8",
  });
  expect(made.status).toBe(200);
  expect(made.text).toMatch(/sk-[0-9A-Za-z]{48}/);
  expect(made.text).toContain('hx-swap-oob="afterbegin:#token-rows"');
  expect(JSON.parse(made.headers.get("hx-trigger")!).toast.message).toBe("Token created");
  const list = await page("/token");
  expect(list.text).toContain("laptop");
  expect(list.text).toContain("$2.50"); // 2.5 USD = 1,250,000 units, shown in dollars
});

test("disable, enable and delete through htmx actions", async () => {
  const made = await act("POST", "/token", { name: "toggle", unlimited: "1", never: "1", group: "default" });
  const id = /id="token-(\d+)"/.exec(made.text)![1];
  const off = await act("PUT", `/token/${id}/status`, { status: "2" });
  expect(off.text).toContain("disabled");
  expect(off.text).toContain(">Enable<");
  const on = await act("PUT", `/token/${id}/status`, { status: "1" });
  expect(on.text).toContain("enabled");
  const gone = await act("DELETE", `/token/${id}`);
  expect(gone.status).toBe(200);
  expect((await page("/token")).text).not.toContain(`id="token-${id}"`);
});

test("state changes need the CSRF token and our own origin", async () => {
  expect(
    (await act("POST", "/token", { name: "x1", unlimited: "1", never: "1" }, { ...admin, csrf: "forged" })).status,
  ).toBe(403);
  expect(
    (
      await act("POST", "/token", { name: "x2", unlimited: "1", never: "1" }, undefined, {
        origin: "https://evil.example",
      })
    ).status,
  ).toBe(403);
  expect((await page("/token")).text).not.toContain(">x1<");
});

test("another user's token cannot be touched: it is 'not found'", async () => {
  const bob = await makeUser(app.url, admin, "bob");
  // admins see everyone's tokens: take the row of the admin's own "laptop"
  const adminRow = /id="token-(\d+)"><td class="name"[^>]*>laptop</.exec((await page("/token")).text)![1];
  const r = await act("PUT", `/token/${adminRow}/status`, { status: "2" }, bob.auth);
  expect({ status: r.status, text: r.text }).toEqual({ status: 200, text: "" });
  expect(r.headers.get("hx-reswap")).toBe("none");
  expect(r.headers.get("hx-trigger")).toContain("not found");
  expect((await page("/token", bob.auth)).text).not.toContain(`id="token-${adminRow}"`);
});

test("a token named like HTML renders as text", async () => {
  await act("POST", "/token", { name: "<img src=x onerror=alert(1)>", unlimited: "1", never: "1", group: "default" });
  const r = await page("/token");
  expect(r.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
  expect(r.text).not.toContain("<img src=x onerror=alert(1)>");
});

afterAll(() => {});

test("the whitelist offers the models the chosen groups serve, and follows a change of group", async () => {
  await call(app.url, "POST", "/api/group/", { name: "vip-models", selectable: true }, admin);
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "d", base_url: "http://127.0.0.1:9/v1", key: "sk-x", models: "only-default" },
    admin,
  );
  await call(
    app.url,
    "POST",
    "/api/channel/",
    { name: "v", base_url: "http://127.0.0.1:9/v1", key: "sk-y", models: "only-vip", group: "vip-models" },
    admin,
  );
  const dialog = (await page("/token/new")).text;
  expect(dialog).toContain('value="only-default"');
  expect(dialog).not.toContain('value="only-vip"');
  expect(dialog).toContain('hx-get="/token/models"');
  const vip = (await page("/token/models?group=vip-models&fallback1=&fallback2=")).text;
  expect(vip).toContain('value="only-vip"');
  expect(vip).not.toContain('value="only-default"');
  const both = (await page("/token/models?group=default&fallback1=vip-models&fallback2=")).text;
  expect(both).toContain('value="only-vip"');
  expect(both).toContain('value="only-default"');
});
