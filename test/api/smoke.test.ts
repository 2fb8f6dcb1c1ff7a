// The basic journey through the management API: sign in, list the default token, create one.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADMIN_PASSWORD, client, login, removeDir, startServer, type Server } from "../support/server";

let server: Server;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

test("admin signs in, sees the default token and creates another", async () => {
  const api = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
  const list = await api.get("/api/token/");
  expect(list.status).toBe(200);
  expect(list.body.data.items.map((t: { name: string }) => t.name)).toEqual(["default"]);
  const created = await api.post("/api/token/", { name: "ci", unlimited_quota: true });
  expect(created.status).toBe(201);
  expect(created.body.data.key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
});
