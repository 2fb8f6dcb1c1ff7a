// Sign-up in the console: only while an admin has it on; errors shown in the form; then signed in.
import { expect, test } from "bun:test";
import { ADMIN_PASSWORD, call, login, useServer } from "../../support/server";

const app = useServer();
const post = (username: string, password: string) =>
  fetch(`${app.url}/register`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    redirect: "manual",
  });

test("sign-up is closed until an admin opens it, then creates a user with a default token and signs them in", async () => {
  expect((await fetch(`${app.url}/register`, { redirect: "manual" })).headers.get("location")).toBe("/login");
  expect((await post("newbie", "newbie-pass-1")).status).toBe(403);
  const admin = await login(app.url, "admin", ADMIN_PASSWORD);
  expect((await call(app.url, "PUT", "/api/setting", { register_enabled: true }, admin)).status).toBe(200);
  expect(await (await fetch(`${app.url}/login`)).text()).toContain('href="/register"');

  const short = await post("newbie", "short");
  expect(short.status).toBe(422);
  expect(await short.text()).toContain("password: at least 8 characters");

  const ok = await post("newbie", "newbie-pass-1");
  expect(ok.status).toBe(303);
  expect(ok.headers.get("location")).toBe("/token");
  const cookie = ok.headers.get("set-cookie")!.split(";")[0];
  const tokens = await (await fetch(`${app.url}/token`, { headers: { cookie } })).text();
  expect(tokens).toContain("default");
  expect((await post("newbie", "newbie-pass-2")).status).toBe(409);
});
