// What the Docker image runs into, without Docker: listening on 0.0.0.0 (the image's APIYI_HOST) and a
// data dir the process cannot write (a root-owned bind mount while the image runs as uid 10001).
// - the start line names the address really bound (0.0.0.0:PORT, every interface) and a URL that
//   reaches the server, not a 127.0.0.1 it is not limited to;
// - an unwritable data dir stops `serve` with one line that says what to chown, exit code 1;
// - the build context (.dockerignore) carries only what the Dockerfile copies, and the image's drain
//   fits in `docker stop`'s 10 s.
// chmod does not stop root, and tests run as root here. So a folder "owned by another user" is made
// honestly (one of, by what the machine allows):
// - as root, with the checkout readable by others: the server runs as uid 10001 (exactly the image's
//   user) on folders and files root owns;
// - as root otherwise (a checkout under /root): the server runs as root without the capabilities that
//   let root ignore permissions (setpriv drops CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH) on folders and
//   files uid 10001 owns;
// - as another user: the server runs as that user on folders and files without write access.
import { afterAll, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ADMIN_PASSWORD, APP, appEnv, ROOT, scratchDirs } from "../../support/server";

const newDir = scratchDirs("apiyi-docker-");
const IMAGE_UID = 10001;

/** Can a user who is neither owner nor in the group reach and read `path`? */
function openToOthers(path: string): boolean {
  if ((statSync(path).mode & 0o004) === 0) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === "/") return true;
  }
}

/** How the server is run so that the folders it gets belong to someone else (see the header). */
const stranger = (() => {
  const uid = process.getuid!();
  if (uid !== 0)
    return {
      how: "as this user, folder not writable",
      prefix: [],
      spawn: {},
      uid,
      foreign: (p: string) => chmodSync(p, statSync(p).isDirectory() ? 0o555 : 0o000),
    };
  if (openToOthers(APP.at(-1)!) && openToOthers(join(ROOT, "package.json")) && openToOthers(process.execPath)) {
    return {
      how: "as uid 10001",
      prefix: [],
      spawn: { uid: IMAGE_UID, gid: IMAGE_UID },
      uid: IMAGE_UID,
      foreign: (_: string) => {},
    };
  }
  return {
    how: "as root without CAP_DAC_OVERRIDE",
    prefix: ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"],
    spawn: {},
    uid: 0,
    foreign: (p: string) => chownSync(p, IMAGE_UID, IMAGE_UID),
  };
})();

/** Runs `apiyi serve` on `dataDir` (as the stranger when asked); a server that wrongly starts is killed. */
async function serve(dataDir: string, args: string[] = [], opts: { asStranger?: boolean } = {}) {
  const proc = Bun.spawn(
    [...(opts.asStranger ? stranger.prefix : []), ...APP, "serve", "--port", "0", "--data-dir", dataDir, ...args],
    {
      ...(opts.asStranger ? stranger.spawn : {}),
      cwd: "/tmp",
      env: appEnv({ APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, HOME: "/tmp" }),
      stdout: "pipe",
      stderr: "pipe",
      timeout: 20_000,
    },
  );
  return proc;
}

const running: Bun.Subprocess[] = [];
afterAll(async () => {
  for (const p of running) p.kill("SIGKILL");
});

test("--host 0.0.0.0: the start line names 0.0.0.0:PORT (every interface) and a URL that reaches it", async () => {
  const proc = await serve(newDir(), ["--host", "0.0.0.0"]);
  running.push(proc);
  let out = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 15_000;
  while (!/\nconsole: .*\n/.test(out) && Date.now() < deadline) {
    const { value, done } = await Promise.race([
      reader.read(),
      Bun.sleep(deadline - Date.now()).then(() => ({ value: undefined, done: true })),
    ]);
    if (done) break;
    out += decoder.decode(value);
  }
  const m = /^apiyi \S+ listening on 0\.0\.0\.0:(\d+), every interface \(data: .+\)$/m.exec(out);
  expect({ out, listening: Boolean(m) }).toEqual({ out, listening: true });
  const port = m![1];
  expect(out).not.toContain("listening on http://127.0.0.1");
  expect(out).toMatch(new RegExp(`^console: http://127\\.0\\.0\\.1:${port}/ from this machine`, "m"));
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
});

/** A folder the stranger can reach (the scratch dirs are 0700). */
function parentFolder() {
  const dir = newDir();
  chmodSync(dir, 0o755);
  return dir;
}

/** `serve` must stop at once with exit 1 and exactly one line naming what failed and the fix. */
async function expectChownLine(dataDir: string, failedOn: string) {
  const proc = await serve(dataDir, [], { asStranger: true });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  expect({ how: stranger.how, code, lines: stderr.trimEnd().split("\n").length }).toEqual({
    how: stranger.how,
    code: 1,
    lines: 1,
  });
  expect(stderr).toStartWith(
    `apiyi serve: data dir ${dataDir}: permission denied on ${failedOn} for this process (uid ${stranger.uid}); `,
  );
  expect(stderr).toContain(`chown -R ${stranger.uid}:`);
  expect(stderr).not.toContain("EACCES");
}

test("a data dir owned by another user (a root-owned bind mount): one line saying what to chown, exit 1", async () => {
  const dataDir = join(parentFolder(), "data");
  mkdirSync(dataDir, { mode: 0o755 });
  stranger.foreign(dataDir);
  await expectChownLine(dataDir, dataDir);
});

test("a writable data dir whose database another user owns (an earlier run as root): the same line, naming the file", async () => {
  const dataDir = join(parentFolder(), "data");
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o777);
  const db = join(dataDir, "apiyi.db");
  writeFileSync(db, "", { mode: 0o600 });
  stranger.foreign(db);
  await expectChownLine(dataDir, db);
});

test("a file where the data folder should be: one line, exit 1", async () => {
  const file = join(newDir(), "not-a-folder");
  writeFileSync(file, "");
  for (const dataDir of [file, join(file, "data")]) {
    const proc = await serve(dataDir);
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `apiyi serve: data dir ${dataDir}: it (or a folder above it) is a file, not a folder; give --data-dir a folder\n`,
    });
  }
});

const dockerfile = () => readFileSync(join(ROOT, "Dockerfile"), "utf8");

test(".dockerignore lets in only what the Dockerfile copies: no node_modules, binary, data dir, .git or secret", () => {
  const lines = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const copied = dockerfile()
    .split("\n")
    .filter((l) => /^COPY\s/.test(l) && !l.includes("--from="))
    .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));
  expect(lines[0]).toBe("*"); // everything out first: a data dir under any name stays out
  expect(
    lines
      .filter((l) => l.startsWith("!"))
      .map((l) => l.slice(1))
      .sort(),
  ).toEqual(copied.sort());
  for (const never of ["**/node_modules", "**/secret", "**/*.db", "**/*.db-wal", "**/.env*"])
    expect(lines).toContain(never);
});

test("the image's drain fits in docker stop's default 10 s, and its user is 10001:10001", () => {
  const timeout = /APIYI_SHUTDOWN_TIMEOUT=(\d+)/.exec(dockerfile())?.[1];
  expect(Number(timeout)).toBeLessThan(10);
  expect(dockerfile()).toMatch(/groupadd --system --gid 10001 apiyi/);
  expect(dockerfile()).toMatch(/useradd --system --uid 10001 --gid 10001/);
});
