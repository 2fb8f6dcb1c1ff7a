// The basic journey through the management API: sign in, list the default token, create one.
import { expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, useServer } from "../../support/server";

const app = useServer();

test("admin signs in, sees the default token and creates another", async () => {
  const api = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  const list = expectReply(await api.get("/api/token/"), 200);
  expect(list.items.map((t: { name: string }) => t.name)).toEqual(["default"]);
  const created = expectReply(await api.post("/api/token/", { name: "ci", unlimited_quota: true }), 201);
  expect(created.key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
});
