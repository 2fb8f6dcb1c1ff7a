// `apiyi backup FILE` under load: billed calls (fast JSON and slow streams, so holds are in flight)
// run through a real server and the mock upstream while the CLI copies the live data dir. The copy is
// one committed state: balance + held + Σ logged costs = initial, for the user and every token.
// Restored as README says (a fresh data dir, the copy as apiyi.db, the same secret), a server gives
// the holds back at start, balance + Σ logged costs = initial, and every key still works. The command
// refuses to overwrite a file unless --force, and the copy is mode 0600.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectReply } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  call,
  cli,
  login,
  makeUser,
  priceModels,
  scratchDirs,
  startServer,
  type Auth,
  type Server,
} from "../../support/server";

const newDir = scratchDirs("apiyi-backup-");
const BALANCE = 2_000_000;
const TOKEN_QUOTAS = [300_000, 400_000, 500_000];

let mock: MockUpstream;
const servers: Server[] = [];
beforeAll(() => {
  mock = startMockUpstream();
});
afterAll(async () => {
  for (const s of servers) await s.stop("SIGKILL");
  mock?.stop();
});

type Account = { id: number; tokens: { id: number; key: string; quota: number }[] };

/** Two priced models on the mock (fast JSON, slow 25-chunk streams) and a user with limited tokens. */
async function setUp(base: string, admin: Auth) {
  const models = { fast: "backup-fast", slow: "backup-slow" };
  for (const [name, spec] of [
    [models.fast, "ok"],
    [models.slow, "ok,intervalMs=100,chunks=25"],
  ]) {
    expectReply(
      await call(
        base,
        "POST",
        "/api/channel/",
        { name, type: "openai", key: `sk-up-${name}`, group: ["default"], base_url: mock.urlFor(spec), models: [name] },
        admin,
      ),
      201,
    );
  }
  await priceModels(base, admin, [models.fast, models.slow], { input: "1", output: "2", hold_cap_tokens: 200 });
  const u = await makeUser(base, admin, "backup-user");
  expectReply(await call(base, "POST", `/api/user/${u.id}/topup`, { quota: BALANCE }, admin), 200);
  const tokens = [];
  for (const [i, quota] of TOKEN_QUOTAS.entries()) {
    const t = expectReply(await u.api.post("/api/token/", { name: `b${i}`, remain_quota: quota }), 201);
    tokens.push({ id: t.id as number, key: t.key as string, quota });
  }
  return { models, acct: { id: u.id, tokens } as Account };
}

const chat = (base: string, key: string, model: string, stream: boolean) =>
  fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "back me up" }] }),
  });

/** `workers` loops of calls until `stop()`; resolves with how many calls got 200. */
function load(base: string, acct: Account, models: { fast: string; slow: string }, workers: number) {
  let running = true;
  let ok = 0;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      const slow = w % 2 === 0;
      const res = await chat(
        base,
        acct.tokens[(w + i) % acct.tokens.length].key,
        slow ? models.slow : models.fast,
        slow,
      ).catch(() => null);
      if (res?.status === 200) ok++;
      await res?.text().catch(() => "");
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return ok;
    },
  };
}

const one = (db: Database, sql: string, ...args: number[]) => (db.query(sql).get(...args) as { v: number }).v;

/** balance + held + Σ logged costs, for the user and each token, read from a database file. */
function ledgerTotals(path: string, acct: Account) {
  const db = new Database(path, { readonly: true });
  try {
    const charged = (col: string, id: number) =>
      one(db, `SELECT coalesce(sum(quota), 0) AS v FROM logs WHERE ${col} = ? AND type IN (2, 5)`, id);
    const held = (col: string, amount: string, id: number) =>
      one(db, `SELECT coalesce(sum(${amount}), 0) AS v FROM holds WHERE ${col} = ?`, id);
    return {
      holds: one(db, "SELECT count(*) AS v FROM holds"),
      calls: one(db, "SELECT count(*) AS v FROM logs WHERE user_id = ? AND type IN (2, 5)", acct.id),
      user:
        one(db, "SELECT quota AS v FROM users WHERE id = ?", acct.id) +
        held("user_id", "user_amount", acct.id) +
        charged("user_id", acct.id),
      tokens: acct.tokens.map(
        (t) =>
          one(db, "SELECT remain_quota AS v FROM tokens WHERE id = ?", t.id) +
          held("token_id", "token_amount", t.id) +
          charged("token_id", t.id),
      ),
    };
  } finally {
    db.close();
  }
}

test("a backup taken under load is self-consistent, restores, gives its holds back, and its keys work", async () => {
  const liveDir = newDir();
  const live = await startServer({ dataDir: liveDir });
  servers.push(live);
  const admin = await login(live.url, "admin", ADMIN_PASSWORD);
  const { models, acct } = await setUp(live.url, admin);

  const traffic = load(live.url, acct, models, 8);
  // copy once calls have settled and streams are in flight (their holds are in the database)
  const until = Date.now() + 20_000;
  while (ledgerTotals(join(liveDir, "apiyi.db"), acct).calls < 40 && Date.now() < until) await Bun.sleep(50);
  const file = join(newDir(), "apiyi-backup.db");
  const made = await cli(["backup", file, "--data-dir", liveDir]);
  expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: "" });
  expect(made.stdout).toContain(`backup written: ${file}`);
  expect(made.stdout).toContain(join(liveDir, "secret"));
  await Bun.sleep(300); // the load goes on after the copy
  expect(await traffic.stop()).toBeGreaterThan(40);
  await live.stop();

  // the copy: a committed state in mid-run, with calls in flight as holds
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const copied = ledgerTotals(file, acct);
  expect(copied.calls).toBeGreaterThanOrEqual(40);
  expect(copied.holds).toBeGreaterThan(0);
  expect({ user: copied.user, tokens: copied.tokens }).toEqual({ user: BALANCE, tokens: TOKEN_QUOTAS });
  expect(copied.calls).toBeLessThan(ledgerTotals(join(liveDir, "apiyi.db"), acct).calls); // not the end state

  // restore as README says: a fresh data dir, the copy as apiyi.db, the same secret
  const restoredDir = newDir();
  copyFileSync(file, join(restoredDir, "apiyi.db"));
  writeFileSync(join(restoredDir, "secret"), readFileSync(join(liveDir, "secret")), { mode: 0o600 });
  const restored = await startServer({ dataDir: restoredDir });
  servers.push(restored);
  expect(restored.output()).toContain(`released ${copied.holds} hold(s)`);
  const afterStart = ledgerTotals(join(restoredDir, "apiyi.db"), acct);
  expect(afterStart).toEqual({ holds: 0, calls: copied.calls, user: BALANCE, tokens: TOKEN_QUOTAS });

  // balances through the API, then every key still works and is billed
  const admin2 = await login(restored.url, "admin", ADMIN_PASSWORD);
  const shown = expectReply(await call(restored.url, "GET", `/api/user/${acct.id}`, undefined, admin2), 200);
  const db = new Database(join(restoredDir, "apiyi.db"), { readonly: true });
  expect(shown.quota).toBe(one(db, "SELECT quota AS v FROM users WHERE id = ?", acct.id));
  db.close();
  for (const t of acct.tokens) {
    const res = await chat(restored.url, t.key, models.fast, false);
    expect({ token: t.id, status: res.status }).toEqual({ token: t.id, status: 200 });
    await res.text();
  }
  await restored.stop();
  const end = ledgerTotals(join(restoredDir, "apiyi.db"), acct);
  expect(end).toEqual({ holds: 0, calls: copied.calls + acct.tokens.length, user: BALANCE, tokens: TOKEN_QUOTAS });
}, 90_000);

test("an existing file is kept unless --force; a missing FILE or database is one line, exit 2", async () => {
  const dataDir = newDir();
  expect((await cli(["migrate", "--data-dir", dataDir])).code).toBe(0);
  const file = join(newDir(), "kept.db");
  writeFileSync(file, "not a database");
  const refused = await cli(["backup", file, "--data-dir", dataDir]);
  expect({ code: refused.code, stderr: refused.stderr }).toEqual({
    code: 2,
    stderr: `apiyi backup: ${file} already exists; choose another file, or add --force to replace it\n`,
  });
  expect(readFileSync(file, "utf8")).toBe("not a database");

  const forced = await cli(["backup", file, "--force", "--data-dir", dataDir]);
  expect(forced.code).toBe(0);
  const copy = new Database(file, { readonly: true });
  expect(copy.query("PRAGMA quick_check").get()).toEqual({ quick_check: "ok" });
  copy.close();

  const missing = await cli(["backup", "--data-dir", dataDir]);
  expect({ code: missing.code, stderr: missing.stderr }).toEqual({
    code: 2,
    stderr: "apiyi backup: FILE is missing; see apiyi backup --help\n",
  });
  const empty = newDir();
  const noDb = await cli(["backup", join(empty, "x.db"), "--data-dir", join(empty, "nothing-here")]);
  expect({ code: noDb.code, stderr: noDb.stderr }).toEqual({
    code: 2,
    stderr: `apiyi backup: no database at ${join(empty, "nothing-here", "apiyi.db")} (is --data-dir right?)\n`,
  });
}, 30_000);
