// Secrets at rest and at first start: freshly made sk- keys (API and CLI) never appear in the
// database file, its -wal or its -shm, while the server runs and after it stops; <data-dir>/secret is
// generated with mode 0600 only when APIYI_SECRET is unset; a too-short APIYI_SECRET is refused in one
// line; the first admin password is random and printed once (or taken from APIYI_ADMIN_PASSWORD and
// never printed); common defaults never sign in; a key revealed after a restart equals the original.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { call, cli, client, login, scratchDirs, startServer, type Server } from "../../support/server";

const KEY = /^sk-[0-9A-Za-z]{48}$/;
const DEFAULTS = ["123456", "admin", "password", "admin123"];
// registered before the scratch dirs' cleanup, so servers a failed test left running stop first
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});
const newDir = scratchDirs("apiyi-secrets-");
// CLI runs happen in an empty folder of their own, so a default ./data never lands in the repository
let cwd: string | undefined;

/** `cli()` from the harness (APIYI_* of the caller dropped, killed after its default timeout). */
const run = (args: string[], env: Record<string, string> = {}) => cli(args, { env, cwd: (cwd ??= newDir()) });

async function serve(dataDir: string, env: Record<string, string>) {
  const s = await startServer({ dataDir, env });
  servers.push(s);
  return s;
}

/** Waits (bounded) until the server's stdout matches, e.g. the line printed right after "listening". */
async function outputMatching(s: Server, re: RegExp, ms = 5000) {
  const until = Date.now() + ms;
  while (!re.test(s.output()) && Date.now() < until) await Bun.sleep(10);
  return s.output();
}

/** Stops the server and returns everything it printed up to its final "stopped" line. */
async function stopAndCollect(s: Server) {
  expect(await s.stop()).toBe(0);
  const out = await outputMatching(s, /^stopped$/m, 3000);
  expect(out).toMatch(/^stopped$/m);
  return out;
}

/** The database file and its companions as they are on disk right now. */
function databaseBytes(dataDir: string) {
  const files = readdirSync(dataDir).filter((f) => f.startsWith("apiyi.db"));
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dataDir, f))]));
}

/** None of `secrets` (nor the 48 characters after "sk-") occurs in any database file. */
function expectNotAtRest(dataDir: string, secrets: string[]) {
  const files = databaseBytes(dataDir);
  expect(Object.keys(files)).toContain("apiyi.db");
  const needles = secrets.flatMap((s) => (KEY.test(s) ? [s, s.slice(3)] : [s]));
  const found: string[] = [];
  for (const [file, bytes] of Object.entries(files)) {
    for (const n of needles)
      if (bytes.indexOf(Buffer.from(n, "utf8")) !== -1) found.push(`${file} holds ${n.slice(0, 10)}…`);
  }
  expect(found).toEqual([]);
  return Object.keys(files);
}

const loginStatus = async (url: string, username: string, password: string) =>
  (await call(url, "POST", "/api/user/login", { username, password })).status;

const PASSWORD_LINE = /first start: user "admin" created with password (\S+)/;

test("generated secret file, random admin password, keys never stored in plaintext, sealed key survives a restart", async () => {
  const dir = newDir();
  const env = { APIYI_ADMIN_PASSWORD: "", APIYI_SECRET: "" };
  const first = await serve(dir, env);

  // the secret file: generated, mode 0600
  const secretPath = join(dir, "secret");
  expect(existsSync(secretPath)).toBe(true);
  expect(statSync(secretPath).mode & 0o777).toBe(0o600);
  const secret = readFileSync(secretPath, "utf8").trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);

  // the first start prints a random password for "admin", and it works
  const printed = PASSWORD_LINE.exec(await outputMatching(first, PASSWORD_LINE));
  expect(printed).not.toBeNull();
  const password = printed![1];
  expect(password.length).toBeGreaterThanOrEqual(12);
  expect(DEFAULTS).not.toContain(password);
  for (const p of DEFAULTS) expect({ p, status: await loginStatus(first.url, "admin", p) }).toEqual({ p, status: 401 });
  const session = await login(first.url, "admin", password);
  const admin = client(first.url, session);
  expect((await admin.get("/api/user/self")).body.data).toMatchObject({ username: "admin", role: "admin" });

  // keys made through the API and the CLI (the CLI reads the same secret file)
  const created = await admin.post("/api/token/", { name: "api-made", unlimited_quota: true });
  expect(created.status).toBe(201);
  const apiKey: string = created.body.data.key;
  expect(apiKey).toMatch(KEY);
  const cliRun = await run(["token", "create", "--user", "admin", "--name", "cli-made", "--data-dir", dir]);
  expect(cliRun.code).toBe(0);
  const cliKey = cliRun.stdout.trim();
  expect(cliKey).toMatch(KEY);
  const list = await admin.get("/api/token/?p=1&size=50");
  const idOf = (name: string) => list.body.data.items.find((t: { name: string }) => t.name === name).id as number;
  const defaultKey: string = (await admin.post(`/api/token/${idOf("default")}/key`)).body.data.key;
  expect(defaultKey).toMatch(KEY);
  const accessToken: string = (await admin.post("/api/user/token")).body.data.access_token;
  expect(typeof accessToken).toBe("string");
  const sessionValue = session.cookie.split("=").slice(1).join("=");
  const secrets = [apiKey, cliKey, defaultKey, accessToken, sessionValue, password, secret];

  // while the server runs, the WAL holds the fresh writes: grep every file
  const running = expectNotAtRest(dir, secrets);
  // positive control: the same scan does find what is meant to be stored (the masked key)
  const mask = Buffer.from(`${apiKey.slice(0, 7)}…${apiKey.slice(-4)}`, "utf8");
  expect(Object.values(databaseBytes(dir)).some((bytes) => bytes.indexOf(mask) !== -1)).toBe(true);
  expect(running).toContain("apiyi.db-wal");
  expect(running).toContain("apiyi.db-shm");

  // after a stop (checkpointed into the main file) still nothing
  await stopAndCollect(first);
  expectNotAtRest(dir, secrets);

  // restart on the same data dir: same secret, no password printed, the sealed copies still open
  const second = await serve(dir, env);
  expect(readFileSync(secretPath, "utf8").trim()).toBe(secret);
  expect(statSync(secretPath).mode & 0o777).toBe(0o600);
  const again = client(second.url, await login(second.url, "admin", password));
  for (const [name, key] of [
    ["api-made", apiKey],
    ["cli-made", cliKey],
    ["default", defaultKey],
  ] as const) {
    const r = await again.post(`/api/token/${idOf(name)}/key`);
    expect(r.status).toBe(200);
    expect({ name, key: r.body.data.key }).toEqual({ name, key });
  }
  const out = await stopAndCollect(second);
  expect(out).toMatch(/listening on/);
  expect(out).not.toMatch(/password/i);
  expectNotAtRest(dir, secrets);
});

test("APIYI_SECRET and APIYI_ADMIN_PASSWORD from the environment: no secret file, nothing printed", async () => {
  const dir = newDir();
  const env = {
    APIYI_SECRET: "env-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    APIYI_ADMIN_PASSWORD: "chosen-by-operator-1",
  };
  const first = await serve(dir, env);
  expect(existsSync(join(dir, "secret"))).toBe(false);

  for (const p of DEFAULTS) expect({ p, status: await loginStatus(first.url, "admin", p) }).toEqual({ p, status: 401 });
  const admin = client(first.url, await login(first.url, "admin", "chosen-by-operator-1"));
  const created = await admin.post("/api/token/", { name: "env-made", unlimited_quota: true });
  expect(created.status).toBe(201);
  const key: string = created.body.data.key;
  const id: number = created.body.data.id;

  const cliRun = await run(["token", "create", "--user", "admin", "--name", "env-cli", "--data-dir", dir], {
    APIYI_SECRET: env.APIYI_SECRET,
  });
  expect(cliRun.code).toBe(0);
  const cliKey = cliRun.stdout.trim();
  expect(cliKey).toMatch(KEY);
  expect(existsSync(join(dir, "secret"))).toBe(false);
  expectNotAtRest(dir, [key, cliKey, env.APIYI_SECRET, env.APIYI_ADMIN_PASSWORD]);

  const out = await stopAndCollect(first);
  expect(out).toMatch(/listening on/);
  expect(out).not.toMatch(/password/i);
  expect(out).not.toContain(env.APIYI_ADMIN_PASSWORD);
  expectNotAtRest(dir, [key, cliKey, env.APIYI_SECRET, env.APIYI_ADMIN_PASSWORD]);

  // restart with the same secret: the key read back is the one first handed out
  const second = await serve(dir, env);
  const again = client(second.url, await login(second.url, "admin", "chosen-by-operator-1"));
  const revealed = await again.post(`/api/token/${id}/key`);
  expect(revealed.status).toBe(200);
  expect(revealed.body.data.key).toBe(key);
  await stopAndCollect(second);
  expect(existsSync(join(dir, "secret"))).toBe(false);
});

test("a too-short APIYI_SECRET (or admin password) is refused with one line and exit 2", async () => {
  const dir = newDir();
  const oneLine = (r: { code: number; stderr: string }, name: string) => {
    expect({ code: r.code, lines: r.stderr.replace(/\n$/, "").split("\n").length }).toEqual({ code: 2, lines: 1 });
    expect(r.stderr).toContain(name);
    expect(r.stderr).not.toMatch(/^\s*at /m);
  };
  oneLine(
    await run(["serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dir], { APIYI_SECRET: "too-short" }),
    "APIYI_SECRET",
  );
  oneLine(await run(["migrate", "--data-dir", dir], { APIYI_SECRET: "too-short" }), "APIYI_SECRET");
  oneLine(
    await run(["serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dir], { APIYI_ADMIN_PASSWORD: "admin" }),
    "APIYI_ADMIN_PASSWORD",
  );
  expect(existsSync(join(dir, "secret"))).toBe(false);
  expect(existsSync(join(dir, "apiyi.db"))).toBe(false);
});
