// The console's /account page over HTTP: balance (or unlimited) and use, the change-password form
// (errors inline, a toast on success, the old password refused afterwards, this session kept, the
// others ended), and rotating the management-API access token (shown once, works on /api/user/self,
// the previous one stops working). Actions need the CSRF token.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
let admin: Auth;
let carol: Awaited<ReturnType<typeof makeUser>>;

const { page, act } = consoleHttp(app);

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  carol = await makeUser(app.url, admin, "carol", "carol-pass-1");
  expectReply(await client(app.url, admin).post(`/api/user/${carol.id}/topup`, { quota: 1_250_000 }), 200);
});

test("the balance in $ and what was used; an unlimited account says so", async () => {
  const r = await page("/account", carol.auth);
  expect(r.status).toBe(200);
  expect(r.text).toContain("<title>Account · apiyi</title>");
  expect(r.text).toContain('<dd id="balance">$2.50</dd>');
  expect(r.text).toContain("<dt>Used</dt><dd>$0.00</dd>");
  expect(r.text).toContain("carol · user");
  expect(r.text).toContain("You have no access token yet.");
  const a = await page("/account", admin);
  expect(a.text).toContain('<dd id="balance">unlimited</dd>');
  expect(a.text).toContain("admin · admin");
});

test("change password: errors inline in the form, then success with a toast", async () => {
  const other = await login(app.url, "carol", "carol-pass-1"); // a second session, to be ended

  const wrong = await act(
    "POST",
    "/account/password",
    { current_password: "nope", password: "carol-pass-2", password_again: "carol-pass-2" },
    carol.auth,
  );
  expect(wrong.status).toBe(200);
  expect(wrong.text).toContain('<form id="password-form"');
  expect(wrong.text).toContain(
    '<p class="alert error" role="alert">current_password: is not your current password</p>',
  );
  expect(wrong.trigger).toEqual({});

  const differ = await act(
    "POST",
    "/account/password",
    { current_password: "carol-pass-1", password: "carol-pass-2", password_again: "carol-pass-3" },
    carol.auth,
  );
  expect(differ.text).toContain("the two new passwords differ");
  const short = await act(
    "POST",
    "/account/password",
    { current_password: "carol-pass-1", password: "short", password_again: "short" },
    carol.auth,
  );
  expect(short.text).toContain("password: at least 8 characters");
  // nothing changed so far
  expectReply(await call(app.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-1" }), 200);

  const ok = await act(
    "POST",
    "/account/password",
    { current_password: "carol-pass-1", password: "carol-pass-2", password_again: "carol-pass-2" },
    carol.auth,
  );
  expect(ok.status).toBe(200);
  expect(ok.trigger.toast).toEqual({ message: "Password changed", kind: "ok" });
  expect(ok.text).toContain('<form id="password-form"');
  expect(ok.text).not.toContain("alert error");

  expectReply(await call(app.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-1" }), 401);
  expectReply(await call(app.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-2" }), 200);
  expect((await page("/account", carol.auth)).status).toBe(200); // this session stays
  expect((await page("/account", other)).status).toBe(302); // the other one ended
});

test("password changes need the CSRF token", async () => {
  const r = await act(
    "POST",
    "/account/password",
    { current_password: "carol-pass-2", password: "carol-pass-9", password_again: "carol-pass-9" },
    { ...carol.auth, csrf: "forged" },
  );
  expect(r.status).toBe(403);
  expectReply(await call(app.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-2" }), 200);
});

test("rotating the access token shows it once, and it works on the management API", async () => {
  const first = await act("POST", "/account/access-token", {}, carol.auth);
  expect(first.status).toBe(200);
  expect(first.trigger.toast.message).toBe("New access token created");
  const token = /<code id="access-token">([0-9A-Za-z]+)<\/code>/.exec(first.text)![1];
  expect(first.text).toContain(`data-copy="${token}"`);
  expect(first.text).toContain("<dialog data-autoopen");
  expect(first.text).toContain('id="access-token-card" hx-swap-oob="true"');
  expect(first.text).toContain("Rotate access token");

  const self = expectReply(await client(app.url, { token: `Bearer ${token}` }).get("/api/user/self"), 200);
  expect(self.username).toBe("carol");
  expect(self.has_access_token).toBe(true);
  // the page no longer shows it, only that one exists
  const r = await page("/account", carol.auth);
  expect(r.text).not.toContain(token);
  expect(r.text).toContain("You have an access token.");

  const second = await act("POST", "/account/access-token", {}, carol.auth);
  const next = /<code id="access-token">([0-9A-Za-z]+)<\/code>/.exec(second.text)![1];
  expect(next).not.toBe(token);
  expectReply(await client(app.url, { token: `Bearer ${token}` }).get("/api/user/self"), 401);
  expectReply(await client(app.url, { token: next }).get("/api/user/self"), 200);

  expect((await act("POST", "/account/access-token", {}, { ...carol.auth, csrf: "forged" })).status).toBe(403);
});
