// The CLI as a real process (`bun src/main.ts …`): the overview (every command's and group's --help is
// test/cli/help.test.ts), `version`, one-line
// exit-2 errors for bad commands/flags/values, flags winning over env, `migrate` on an empty data
// dir, `admin create` / `admin reset-password` checked by signing in over HTTP, `token create`
// (stdout is the key alone; the token shows up through the API with its quota, models and expiry),
// a CLI write reaching a running server within 1 s, and `health` while a server runs and after it stops.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../../package.json" with { type: "json" };
import { COMMANDS } from "../../../src/cli/index";
import { TOKEN_STATUS } from "../../../src/core/status";
import { expectOneLineError } from "../../support/expect";
import {
  ADMIN_PASSWORD,
  APP,
  appEnv,
  call,
  cli,
  client,
  login,
  scratchDirs,
  startServer,
  useServer,
} from "../../support/server";

const KEY = /^sk-[0-9A-Za-z]{48}$/;

const newDir = scratchDirs("apiyi-cli-");
// every CLI run happens in an empty folder, so a default ./data never lands in the repository
let cwd: string;

/** `cli()` from the harness, run in `cwd` (APIYI_* of the caller dropped, killed after `timeoutMs`). */
const run = (args: string[], env: Record<string, string> = {}, timeoutMs?: number) =>
  cli(args, { env, cwd, timeoutMs });

/** A port nobody listens on right now. */
function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** Starts `serve` with exactly the given args/env (no defaults added) and waits for its URL. */
async function serveRaw(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([...APP, "serve", ...args], {
    env: appEnv({ APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env }),
    cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 15_000;
  while (!/listening on http:\/\/\S+ \(data: .*\)/.test(out)) {
    const { value, done } = await Promise.race([
      reader.read(),
      Bun.sleep(Math.max(0, deadline - Date.now())).then(() => ({ value: undefined, done: true })),
    ]);
    if (done) {
      proc.kill();
      throw new Error(`serve did not start:\n${out}\n${await new Response(proc.stderr).text()}`);
    }
    out += decoder.decode(value);
  }
  reader.releaseLock();
  const m = /listening on (http:\/\/\S+) \(data: (.*)\)/.exec(out)!;
  return {
    url: m[1],
    data: m[2],
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

const app = useServer();
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  cwd = newDir("apiyi-cli-cwd-");
  admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
});

describe("help and version", () => {
  test("apiyi --help exits 0 and lists every command of the table", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^usage: apiyi /m);
    for (const { name } of COMMANDS) expect(top.stdout).toContain(`  ${name} `);
  });

  test("version prints the package.json version", async () => {
    const r = await run(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe("bad input: exit 2, one line on stderr, no stack trace", () => {
  test("unknown command", async () => {
    expectOneLineError(await run(["frobnicate"]), "frobnicate");
    expectOneLineError(await run(["admin", "frobnicate"]), "admin frobnicate");
  });

  test("unknown flag", async () => {
    const d = newDir();
    expectOneLineError(await run(["serve", "--bogus", "--data-dir", d]), "--bogus");
    expectOneLineError(
      await run(["token", "create", "--user", "admin", "--name", "x", "--colour", "red", "--data-dir", d]),
      "--colour",
    );
    expectOneLineError(await run(["migrate", "--port", "1", "--data-dir", d]), "--port");
  });

  test("missing required flag", async () => {
    const d = app.server.dataDir;
    expectOneLineError(await run(["token", "create", "--name", "x", "--data-dir", d]), "--user");
    expectOneLineError(await run(["token", "create", "--user", "admin", "--data-dir", d]), "--name");
    expectOneLineError(await run(["admin", "create", "--username", "someone", "--data-dir", d]), "--password");
    expectOneLineError(await run(["admin", "reset-password", "--data-dir", d]), "--username");
  });

  test("bad values", async () => {
    const d = newDir();
    const port = String(freePort());
    expectOneLineError(await run(["serve", "--port", "abc", "--data-dir", d]), "--port");
    expectOneLineError(await run(["serve", "--data-dir", d], { APIYI_PORT: "99999" }), "APIYI_PORT");
    expectOneLineError(
      await run(["serve", "--port", port, "--data-dir", d, "--shutdown-timeout=-5"]),
      "--shutdown-timeout",
    );
    expectOneLineError(await run(["health"], { APIYI_PORT: "nope" }), "APIYI_PORT");

    const tok = (...extra: string[]) =>
      run(["token", "create", "--user", "admin", "--name", "bad", "--data-dir", app.server.dataDir, ...extra]);
    expectOneLineError(await tok("--expires", "notadate"), "--expires");
    expectOneLineError(await tok("--expires", "2001-01-01"), "--expires");
    expectOneLineError(await tok("--quota-usd", "1.1234567"), "--quota-usd");
    expectOneLineError(await tok("--quota-usd=-3"), "--quota-usd");
    expectOneLineError(
      await tok("--quota-usd", "1", "--unlimited"),
      /--quota-usd.*--unlimited|--unlimited.*--quota-usd/,
    );
    expectOneLineError(await tok("--fallback", "no-such-group"), "--fallback");
    expectOneLineError(await tok("--group", "no-such-group"), "--group");
    expectOneLineError(await tok("--rpm-limit", "ten"), "--rpm-limit");
    expectOneLineError(await tok("--max-parallel", "-2"), "--max-parallel");
    expectOneLineError(
      await run(["token", "create", "--user", "nobody-here", "--name", "x", "--data-dir", app.server.dataDir]),
      "nobody-here",
    );
    expectOneLineError(
      await run(["token", "create", "--user", "admin", "--name", "x".repeat(51), "--data-dir", app.server.dataDir]),
      "--name",
    );
    expectOneLineError(
      await run(["admin", "create", "--username", "shorty", "--password", "short", "--data-dir", app.server.dataDir]),
      "password",
    );

    // nothing was created by the refused commands
    const list = await admin.get("/api/token/?p=1&size=100");
    expect(list.body.data.items.map((t: { name: string }) => t.name)).not.toContain("bad");
  });

  test("a calendar date that does not exist is refused, not rolled over into another day", async () => {
    const r = await run([
      "token",
      "create",
      "--user",
      "admin",
      "--name",
      "bad-date",
      "--expires",
      "2030-02-30",
      "--data-dir",
      app.server.dataDir,
    ]);
    expectOneLineError(r, "--expires");
  });

  test("a blank port is refused, not taken as 0 (any free port)", async () => {
    // a short timeout: a server that wrongly starts is killed
    const d = newDir();
    expectOneLineError(await run(["serve", "--port", " ", "--host", "127.0.0.1", "--data-dir", d], {}, 4000), "--port");
    expectOneLineError(
      await run(["serve", "--host", "127.0.0.1", "--data-dir", d], { APIYI_PORT: " " }, 4000),
      "APIYI_PORT",
    );
  });

  test("a stray positional argument", async () => {
    expectOneLineError(await run(["version", "extra"]), "extra");
    expectOneLineError(await run(["migrate", "now", "--data-dir", newDir()]), "now");
  });
});

describe("flags and environment", () => {
  test("--port and --data-dir win over APIYI_PORT and APIYI_DATA_DIR; env applies without flags", async () => {
    const flagPort = freePort();
    let envPort = freePort();
    while (envPort === flagPort) envPort = freePort();
    const flagDir = newDir();
    const envDir = join(newDir(), "from-env");

    const a = await serveRaw(["--port", String(flagPort), "--host", "127.0.0.1", "--data-dir", flagDir], {
      APIYI_PORT: String(envPort),
      APIYI_HOST: "localhost",
      APIYI_DATA_DIR: envDir,
    });
    try {
      expect(a.url).toBe(`http://127.0.0.1:${flagPort}`);
      expect(a.data).toBe(flagDir);
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
      expect(existsSync(join(flagDir, "apiyi.db"))).toBe(true);
      expect(existsSync(envDir)).toBe(false);
    } finally {
      await a.stop();
    }

    const b = await serveRaw([], { APIYI_PORT: String(envPort), APIYI_HOST: "127.0.0.1", APIYI_DATA_DIR: envDir });
    try {
      expect(b.url).toBe(`http://127.0.0.1:${envPort}`);
      expect(b.data).toBe(envDir);
      expect(existsSync(join(envDir, "apiyi.db"))).toBe(true);
    } finally {
      await b.stop();
    }
  });
});

describe("migrate", () => {
  test("creates the database in an empty data dir and exits 0", async () => {
    const d = join(newDir(), "fresh");
    const r = await run(["migrate", "--data-dir", d]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(existsSync(join(d, "apiyi.db"))).toBe(true);
    const { Database } = await import("bun:sqlite");
    const db = new Database(join(d, "apiyi.db"), { readonly: true });
    try {
      const tables = db
        .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((t) => t.name);
      for (const t of ["users", "tokens", "groups", "channels", "logs", "settings"]) expect(tables).toContain(t);
    } finally {
      db.close();
    }
  });
});

describe("admin accounts", () => {
  test("admin create, then signing in over HTTP works (server running on the same data dir)", async () => {
    const r = await run([
      "admin",
      "create",
      "--username",
      "ops",
      "--password",
      "ops-password-1",
      "--data-dir",
      app.server.dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const ops = client(app.url, await login(app.url, "ops", "ops-password-1"));
    const self = await ops.get("/api/user/self");
    expect(self.status).toBe(200);
    expect(self.body.data).toMatchObject({ username: "ops", role: "admin" });

    // a second admin create with the same name is refused in one line
    expectOneLineError(
      await run([
        "admin",
        "create",
        "--username",
        "ops",
        "--password",
        "ops-password-2",
        "--data-dir",
        app.server.dataDir,
      ]),
      "ops",
    );
  });

  test("admin reset-password prints a new password that works while the old one fails", async () => {
    const created = await admin.post("/api/user/", { username: "resetme", password: "old-password-1" });
    expect(created.status).toBe(201);
    const oldSession = await login(app.url, "resetme", "old-password-1");

    const r = await run(["admin", "reset-password", "--username", "resetme", "--data-dir", app.server.dataDir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBe(1);
    const fresh = lines[0].trim();
    expect(fresh.length).toBeGreaterThanOrEqual(12);
    expect(fresh).not.toBe("old-password-1");

    expect(
      (await call(app.url, "POST", "/api/user/login", { username: "resetme", password: "old-password-1" })).status,
    ).toBe(401);
    const session = await login(app.url, "resetme", fresh);
    expect((await client(app.url, session).get("/api/user/self")).body.data.username).toBe("resetme");
    // the old session was signed out
    expect((await client(app.url, oldSession).get("/api/user/self")).status).toBe(401);

    expectOneLineError(
      await run(["admin", "reset-password", "--username", "ghost", "--data-dir", app.server.dataDir]),
      "ghost",
    );
  });
});

describe("token create", () => {
  test("prints only the key; the token appears through the API with its fields", async () => {
    const r = await run([
      "token",
      "create",
      "--user",
      "admin",
      "--name",
      "cli-full",
      "--quota-usd",
      "2.5",
      "--group",
      "default",
      "--models",
      "a,b",
      "--expires",
      "2030-01-01",
      "--data-dir",
      app.server.dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sk-[0-9A-Za-z]{48}\n$/);
    expect(r.stderr).toBe("");
    const key = r.stdout.trim();

    const list = await admin.get("/api/token/?p=1&size=100");
    expect(list.status).toBe(200);
    const token = list.body.data.items.find((t: { name: string }) => t.name === "cli-full");
    expect(token).toBeDefined();
    expect(token).toMatchObject({
      name: "cli-full",
      remain_quota: 1_250_000,
      unlimited_quota: false,
      group: "default",
      fallback_groups: [],
      models: ["a", "b"],
      expired_time: Date.UTC(2030, 0, 1) / 1000,
      status: TOKEN_STATUS.enabled,
    });
    expect(token.expired_time).toBe(1893456000);
    expect(token.key).not.toBe(key); // listed masked
    expect(token.key.startsWith(key.slice(0, 7))).toBe(true);

    // the owner can read the full key back, and it is the one the CLI printed
    const revealed = await admin.post(`/api/token/${token.id}/key`);
    expect(revealed.status).toBe(200);
    expect(revealed.body.data.key).toBe(key);
  });

  test("without --quota-usd the token is unlimited and never expires; --fallback takes existing groups", async () => {
    expect(
      (await admin.post("/api/group/", { name: "backup", description: "b", multiplier: 1, selectable: true })).status,
    ).toBe(201);
    const r = await run([
      "token",
      "create",
      "--user",
      "admin",
      "--name",
      "cli-plain",
      "--fallback",
      "backup",
      "--data-dir",
      app.server.dataDir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(KEY);
    const list = await admin.get("/api/token/search?keyword=cli-plain");
    const token = list.body.data.items.find((t: { name: string }) => t.name === "cli-plain");
    expect(token).toMatchObject({
      unlimited_quota: true,
      expired_time: -1,
      group: "default",
      fallback_groups: ["backup"],
      models: [],
    });

    // a duplicate name is refused in one line
    expectOneLineError(
      await run(["token", "create", "--user", "admin", "--name", "cli-plain", "--data-dir", app.server.dataDir]),
      "cli-plain",
    );
  });

  test("a CLI write reaches the running server within 1 s", async () => {
    const status = async () => {
      const s = await admin.get("/api/status");
      expect(s.status).toBe(200);
      return s.body.data.snapshot as { tokens: number; generation: number };
    };
    // earlier tests wrote through the CLI too: start from a snapshot that has caught up with the database
    const inDatabase = (await admin.get("/api/token/?size=1")).body.data.total as number;
    let before = await status();
    for (let i = 0; i < 50 && before.tokens !== inDatabase; i++) {
      await Bun.sleep(20);
      before = await status();
    }
    expect(before.tokens).toBe(inDatabase);
    const r = await run(["token", "create", "--user", "admin", "--name", "cli-live", "--data-dir", app.server.dataDir]);
    expect(r.code).toBe(0);
    const committedAt = Date.now();
    let now = before;
    while (now.tokens <= before.tokens && Date.now() - committedAt < 1000) {
      await Bun.sleep(20);
      now = await status();
    }
    const elapsed = Date.now() - committedAt;
    expect(now.tokens).toBe(before.tokens + 1);
    expect(now.generation).toBeGreaterThan(before.generation);
    expect(elapsed).toBeLessThanOrEqual(1000);
  });
});

describe("health", () => {
  test("exits 0 while a server runs and 1 after it stops", async () => {
    const s = await startServer({ dataDir: newDir() });
    const port = new URL(s.url).port;
    try {
      const up = await run(["health", "--port", port]);
      expect(up.code).toBe(0);
      const upByEnv = await run(["health"], { APIYI_PORT: port, APIYI_HOST: "127.0.0.1" });
      expect(upByEnv.code).toBe(0);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    const down = await run(["health", "--port", port]);
    expect(down.code).toBe(1);
  });
});
