// Every management write bumps the configuration version in the database (the marker other processes
// and the server's own poll compare), through each route that changes tokens, users, groups, channels,
// prices or settings, deletes included; what is not configuration (a call's balance and log row,
// signing in) never moves it, which is why it replaced PRAGMA data_version (issue 10, item 14).
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, client, login, type Reply, useServer } from "../../support/server";
import { ON_POSTGRES, sqliteOnly } from "../../support/backend";

setDefaultTimeout(60_000);

const mock = startMockUpstream();
const app = useServer();
let db: Database;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  if (!ON_POSTGRES) db = new Database(join(app.server.dataDir, "apiyi.db"), { readonly: true });
  admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
});
afterAll(() => {
  db?.close();
  mock.stop();
});

const version = () =>
  Number(
    (db.query("SELECT value FROM settings WHERE key = 'config_version'").get() as { value: string } | null)?.value ?? 0,
  );

/** Runs `write` (which must succeed) and returns how far it moved the version. */
async function bumpOf(write: () => Promise<Reply>): Promise<number> {
  const before = version();
  const r = await write();
  expect({ status: r.status < 300, body: r.body }).toMatchObject({ status: true });
  return version() - before;
}

sqliteOnly("every management write bumps the version, deletes and settings included", async () => {
  const ids: Record<string, number> = {};
  const steps: [string, () => Promise<Reply>][] = [
    [
      "create a group",
      () => admin.post("/api/group/", { name: "team", description: "t", multiplier: 1, selectable: true }),
    ],
    ["update a group", () => admin.put("/api/group/team", { description: "the team" })],
    ["set a price", () => admin.post("/api/pricing/", { model: "gpt-4o-mini", input: "1", output: "2" })],
    ["set a second price", () => admin.post("/api/pricing/", { model: "spare-model", input: "1", output: "2" })],
    ["delete a price", () => admin.del("/api/pricing/spare-model")],
    [
      "create a channel",
      async () => {
        const r = await admin.post("/api/channel/", {
          name: "mock",
          base_url: mock.url,
          key: "sk-up",
          models: "gpt-4o-mini",
        });
        ids.channel = r.body.data?.id;
        return r;
      },
    ],
    ["update a channel", () => admin.put("/api/channel/", { id: ids.channel, weight: 3 })],
    ["disable a channel", () => admin.put("/api/channel/?status_only=true", { id: ids.channel, status: 2 })],
    ["enable a channel", () => admin.put("/api/channel/?status_only=true", { id: ids.channel, status: 1 })],
    [
      "create a user",
      async () => {
        const r = await admin.post("/api/user/", { username: "carol", password: "carol-password-1" });
        ids.user = r.body.data?.id;
        return r;
      },
    ],
    ["update a user", () => admin.put("/api/user/", { id: ids.user, unlimited: true })],
    ["top up a user", () => admin.post(`/api/user/${ids.user}/topup`, { quota: 1000 })],
    ["adjust a balance", () => admin.post(`/api/user/${ids.user}/adjust`, { delta: -10, reason: "test" })],
    [
      "create a token",
      async () => {
        const r = await admin.post("/api/token/", { name: "versioned", unlimited_quota: true });
        ids.token = r.body.data?.id;
        return r;
      },
    ],
    ["update a token", () => admin.put("/api/token/", { id: ids.token, name: "versioned-2" })],
    ["disable a token", () => admin.put("/api/token/?status_only=true", { id: ids.token, status: 2 })],
    ["delete a token", () => admin.del(`/api/token/${ids.token}`)],
    ["change a setting", () => admin.put("/api/setting", { max_attempts: 3 })],
    ["delete a user", () => admin.del(`/api/user/${ids.user}`)],
    ["delete a channel", () => admin.del(`/api/channel/${ids.channel}`)],
    ["delete a group", () => admin.del("/api/group/team")],
  ];
  for (const [what, write] of steps) {
    const moved = await bumpOf(write);
    expect({ what, bumped: moved > 0 }).toEqual({ what, bumped: true });
  }
});

sqliteOnly("a call's balance and log row, and signing in, do not move it", async () => {
  await admin.post("/api/pricing/", { model: "gpt-4o-mini", input: "1", output: "2" });
  await admin.post("/api/channel/", { name: "mock-2", base_url: mock.url, key: "sk-up", models: "gpt-4o-mini" });
  const key = expectReply(await admin.post("/api/token/", { name: "caller", unlimited_quota: true }), 201).key;
  const before = version();
  for (let i = 0; i < 3; i++) expect((await chatCall(app.url, key, "gpt-4o-mini")).status).toBe(200);
  await login(app.url, "admin", ADMIN_PASSWORD);
  let rows: unknown[] = []; // the log writer commits in batches: wait (bounded) until all three rows are in
  for (const until = Date.now() + 3000; rows.length < 3 && Date.now() < until; await Bun.sleep(50)) {
    rows = expectReply(await admin.get("/api/log/?token_name=caller"), 200).items;
  }
  expect(rows.length).toBe(3);
  expect(version()).toBe(before);
});
