// A user changes their own password: the current one is required, other sessions end, this one stays.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADMIN_PASSWORD, call, client, login, makeUser, removeDir, startServer, type Server } from "../support/server";

let server: Server;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

test("PUT /api/user/self changes the password and ends the other sessions only", async () => {
  const admin = await login(server.url, "admin", ADMIN_PASSWORD);
  const { auth: first } = await makeUser(server.url, admin, "carol", "carol-pass-1");
  const second = await login(server.url, "carol", "carol-pass-1");
  const me = client(server.url, first);

  const wrong = await me.put("/api/user/self", { current_password: "nope", password: "carol-pass-2" });
  expect(wrong.status).toBe(422);
  expect(wrong.body.message).toContain("current_password");
  const short = await me.put("/api/user/self", { current_password: "carol-pass-1", password: "short" });
  expect(short.status).toBe(422);
  expect(short.body.message).toContain("password");

  const ok = await me.put("/api/user/self", { current_password: "carol-pass-1", password: "carol-pass-2" });
  expect(ok.status).toBe(200);
  expect(ok.body.data.username).toBe("carol");
  expect((await me.get("/api/user/self")).status).toBe(200); // this session stays
  expect((await client(server.url, second).get("/api/user/self")).status).toBe(401); // the other one ended
  expect((await call(server.url, "POST", "/api/user/login", { username: "carol", password: "carol-pass-1" })).status).toBe(401);
  await login(server.url, "carol", "carol-pass-2");
});

test("anonymous callers cannot change a password", async () => {
  const r = await call(server.url, "PUT", "/api/user/self", { current_password: "x", password: "y".repeat(10) });
  expect(r.status).toBe(401);
});
