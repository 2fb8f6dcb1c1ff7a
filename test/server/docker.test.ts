// What the Docker image runs into, without Docker: listening on 0.0.0.0 (the image's APIYI_HOST) and a
// data dir the process cannot write (a root-owned bind mount while the image runs as uid 10001).
// - the start line names the address really bound (0.0.0.0:PORT, every interface) and a URL that
//   reaches the server, not a 127.0.0.1 it is not limited to;
// - an unwritable data dir stops `serve` with one line that says what to chown, exit code 1;
// - the build context (.dockerignore) carries only what the Dockerfile copies, and the image's drain
//   fits in `docker stop`'s 10 s.
// Tests run as root here, and chmod does not stop root: the "root-owned folder" cases run the server
// as uid 10001, exactly as the image does (as a non-root user they use a folder without write access).
import { afterAll, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_PASSWORD, APP, appEnv, ROOT, scratchDirs } from "../support/server";

const newDir = scratchDirs("apiyi-docker-");
const IMAGE_UID = 10001;
const asRoot = process.getuid?.() === 0;

/** Runs `apiyi serve` on `dataDir` (as uid 10001 when we are root) and returns once it exits or listens. */
async function serve(dataDir: string, args: string[] = [], opts: { asImageUser?: boolean } = {}) {
  const user = opts.asImageUser && asRoot ? { uid: IMAGE_UID, gid: IMAGE_UID } : {};
  const proc = Bun.spawn([...APP, "serve", "--port", "0", "--data-dir", dataDir, ...args], {
    ...user,
    cwd: "/tmp",
    env: appEnv({ APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, HOME: "/tmp" }),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000, // a server that wrongly starts is killed
  });
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
    const { value, done } = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => ({ value: undefined, done: true }))]);
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

/** `serve` must stop at once with exit 1 and exactly one line naming the fix. */
async function expectChownLine(dataDir: string, opts: { asImageUser?: boolean } = {}) {
  const proc = await serve(dataDir, [], opts);
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const uid = opts.asImageUser && asRoot ? IMAGE_UID : process.getuid!();
  expect({ code, lines: stderr.trimEnd().split("\n").length }).toEqual({ code: 1, lines: 1 });
  expect(stderr).toContain(`apiyi serve: data dir ${dataDir}: permission denied`);
  expect(stderr).toContain(`chown -R ${uid}:`);
  expect(stderr).not.toContain("EACCES: permission denied, open");
}

test("a data dir owned by another user (root-owned bind mount): one line saying what to chown, exit 1", async () => {
  const dataDir = join(newDir(), "data");
  mkdirSync(dataDir, { mode: 0o755 });
  if (!asRoot) chmodSync(dataDir, 0o555); // as a non-root user: a folder without write access
  await expectChownLine(dataDir, { asImageUser: true });
});

test("a writable data dir whose database and secret another user owns (an earlier run as root): the same line", async () => {
  const dataDir = join(newDir(), "data");
  mkdirSync(dataDir, { mode: 0o777 });
  chmodSync(dataDir, 0o777);
  for (const name of ["apiyi.db", "secret"]) writeFileSync(join(dataDir, name), "", { mode: 0o600 });
  if (asRoot) chownSync(dataDir, IMAGE_UID, IMAGE_UID);
  else for (const name of ["apiyi.db", "secret"]) chmodSync(join(dataDir, name), 0o000);
  await expectChownLine(dataDir, { asImageUser: true });
});

test("a file where the data folder should be: one line, exit 1", async () => {
  const file = join(newDir(), "not-a-folder");
  writeFileSync(file, "");
  for (const dataDir of [file, join(file, "data")]) {
    const proc = await serve(dataDir);
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: `apiyi serve: data dir ${dataDir}: it (or a folder above it) is a file, not a folder; give --data-dir a folder\n` });
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
  expect(lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1)).sort()).toEqual(copied.sort());
  for (const never of ["**/node_modules", "**/secret", "**/*.db", "**/*.db-wal", "**/.env*"]) expect(lines).toContain(never);
});

test("the image's drain fits in docker stop's default 10 s, and its user is 10001:10001", () => {
  const timeout = /APIYI_SHUTDOWN_TIMEOUT=(\d+)/.exec(dockerfile())?.[1];
  expect(Number(timeout)).toBeLessThan(10);
  expect(dockerfile()).toMatch(/groupadd --system --gid 10001 apiyi/);
  expect(dockerfile()).toMatch(/useradd --system --uid 10001 --gid 10001/);
});
