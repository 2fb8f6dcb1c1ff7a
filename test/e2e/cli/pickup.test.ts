// README's First call, pasted as one block: a key (and a channel, and a price) made by the CLI, another
// process writing the same SQLite file, works on the very next call to a running server, every time. The
// server does not wait for its 200 ms poll: before refusing a well-formed unknown key (or a model it has
// no channel or price for) it checks the configuration version every management write bumps, and reloads.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, chatCall, cli, client, login, useServer } from "../../support/server";

setDefaultTimeout(60_000);

const mock = startMockUpstream();
const app = useServer();
afterAll(() => mock.stop());

const dataDir = () => ["--data-dir", app.server.dataDir];
const ROUNDS = 4;

async function run(args: string[]): Promise<string> {
  const r = await cli([...args, ...dataDir()]);
  if (r.code !== 0) throw new Error(`apiyi ${args.join(" ")}: ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(async () => {
  await run(["channel", "add", "--name", "first", "--base-url", mock.url, "--key", "sk-up", "--models", "gpt-4o-mini"]);
});

test(`a key made by \`apiyi token create\` works on the very next call (${ROUNDS} of ${ROUNDS})`, async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const key = await run(["token", "create", "--user", "admin", "--name", `laptop-${i}`]);
    const res = await chatCall(app.url, key, "gpt-4o-mini");
    expect({ round: i, status: res.status, body: await res.text() }).toMatchObject({ round: i, status: 200 });
  }
});

test(`a channel added by \`apiyi channel add\` (and priced by \`apiyi price set\`) serves the very next call (${ROUNDS} of ${ROUNDS})`, async () => {
  const key = await run(["token", "create", "--user", "admin", "--name", "channels"]);
  for (let i = 0; i < ROUNDS; i++) {
    const model = `cli-model-${i}`;
    await run(["channel", "add", "--name", `cli-${i}`, "--base-url", mock.url, "--key", "sk-up", "--models", model]);
    await run(["price", "set", "--model", model, "--input", "1", "--output", "2"]);
    const res = await chatCall(app.url, key, model);
    expect({ round: i, status: res.status, body: await res.text() }).toMatchObject({ round: i, status: 200 });
  }
});

test("the server's own writes do not make it reload; an unknown key still gets 401 after the check", async () => {
  const admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  const generation = async () => (await admin.get("/api/status")).body.data.snapshot.generation as number;
  const before = await generation();
  const made = await admin.post("/api/token/", { name: "own-write", unlimited_quota: true });
  expect(made.status).toBe(201);
  // one step for the write itself; a reload of its own bump would add another within the 200 ms poll
  await Bun.sleep(500);
  expect(await generation()).toBe(before + 1);
  const res = await chatCall(app.url, `sk-${"x".repeat(48)}`, "gpt-4o-mini");
  expect(res.status).toBe(401);
  expect(await generation()).toBe(before + 1);
});
