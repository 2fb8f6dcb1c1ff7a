// README's run command, exactly (`npx -y bun@1.4.5 run start`), started as a terminal would start a
// job (its own process group, npx leading it): SIGTERM to the npx process, or Ctrl-C (SIGINT to the
// whole group), stops the server: no process of the group is left and the port is closed.
// npx's `sh -c` dies of the SIGTERM without passing it on, which used to orphan `bun run start` and
// the server below it (cli/lifeline.ts).
import { afterEach, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { ADMIN_PASSWORD, appEnv, removeDir, ROOT, tempDir } from "../../support/server";

const README_RUN = ["npx", "-y", "bun@1.4.5", "run", "start"];

/** pids of the live processes in process group `pgid` (from /proc; zombies do not count). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") pids.push(Number(entry));
    } catch {} // gone meanwhile
  }
  return pids;
}

let started: { pgid: number; dataDir: string } | undefined;
afterEach(() => {
  if (!started) return;
  // whatever the test left behind in the group it created
  for (const pid of groupPids(started.pgid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  removeDir(started.dataDir);
  started = undefined;
});

/** Starts the README's run command in its own process group and waits for the server's URL. */
async function startRunCommand(env: Record<string, string> = {}) {
  const dataDir = tempDir("apiyi-run-");
  const proc = Bun.spawn(README_RUN, {
    cwd: ROOT,
    env: appEnv({ APIYI_DATA_DIR: dataDir, APIYI_PORT: "0", APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true, // setsid: npx leads its own group, as a shell job does
  });
  started = { pgid: proc.pid, dataDir };
  let out = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + 45_000;
  while (!/listening on (http:\/\/\S+)/.test(out)) {
    const { value, done } = await Promise.race([
      reader.read(),
      Bun.sleep(Math.max(0, deadline - Date.now())).then(() => ({ value: undefined, done: true })),
    ]);
    if (done) throw new Error(`the run command did not start:\n${out}`);
    out += decoder.decode(value);
  }
  void (async () => {
    // keep draining stdout so that nothing blocks on a full pipe
    while (!(await reader.read()).done);
  })();
  const url = /listening on (http:\/\/\S+)/.exec(out)![1];
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  return { proc, url, pgid: proc.pid };
}

async function portClosed(url: string) {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return false;
  } catch {
    return true;
  }
}

/** Waits (bounded) until the group has no live process and the port refuses connections. */
async function expectAllGone(pgid: number, url: string) {
  const until = Date.now() + 20_000;
  while (Date.now() < until && (groupPids(pgid).length > 0 || !(await portClosed(url)))) await Bun.sleep(100);
  const left = groupPids(pgid).map((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim());
  expect({ left, portClosed: await portClosed(url) }).toEqual({ left: [], portClosed: true });
}

test("SIGTERM to the npx process of `npx -y bun@1.4.5 run start` stops the server", async () => {
  const { proc, url, pgid } = await startRunCommand();
  expect(groupPids(pgid).length).toBeGreaterThan(2); // npx, its sh, bun run start, the server…
  proc.kill("SIGTERM");
  await expectAllGone(pgid, url);
}, 90_000);

test("the same on Bun's fetch (APIYI_UPSTREAM_CLIENT=fetch: serve relaunches itself with the fetch limit)", async () => {
  const { proc, url, pgid } = await startRunCommand({ APIYI_UPSTREAM_CLIENT: "fetch" });
  proc.kill("SIGTERM");
  await expectAllGone(pgid, url);
}, 90_000);

test("Ctrl-C (SIGINT to the process group) stops the server", async () => {
  const { url, pgid } = await startRunCommand();
  process.kill(-pgid, "SIGINT");
  await expectAllGone(pgid, url);
}, 90_000);
