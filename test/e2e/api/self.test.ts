// A user changes their own password: the current one is required, other sessions end, this one stays.
import { expect, test } from "bun:test";
import { expectInvalid, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, useServer } from "../../support/server";

const app = useServer();

test("PUT /api/user/self changes the password and ends the other sessions only", async () => {
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const { auth: first } = await makeUser(app.url, admin, "carol", "carol-pass-1");
  const second = await login(app.url, "carol", "carol-pass-1");
  const me = client(app.url, first);

  expectInvalid(
    await me.put("/api/user/self", { current_password: "nope", password: "carol-pass-2" }),
    "current_password",
  );
  expectInvalid(await me.put("/api/user/self", { current_password: "carol-pass-1", password: "short" }), "password");

  const ok = expectReply(
    await me.put("/api/user/self", { current_password: "carol-pass-1", password: "carol-pass-2" }),
    200,
  );
  expect(ok.username).toBe("carol");
  expectReply(await me.get("/api/user/self"), 200); // this session stays
  expectReply(await client(app.url, second).get("/api/user/self"), 401); // the other one ended
  expectReply(await call(app.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-1" }), 401);
  await login(app.url, "carol", "carol-pass-2");
});

test("anonymous callers cannot change a password", async () => {
  expectReply(await call(app.url, "PUT", "/api/user/self", { current_password: "x", password: "y".repeat(10) }), 401);
});
