// Client-suite support: where test/e2e/clients/install.sh put the real CLIs, one apiyi server plus the mock
// upstream per file (each channel in a group of its own, its models priced, one sk- token per group, all
// made through the management API), and a runner that starts a CLI in a scratch HOME with a minimal
// environment (nothing of the caller's API keys or proxies), stdin at EOF and a hard timeout.
// APIYI_CLIENTS_DIR: where the CLIs are; APIYI_CLI_TIMEOUT_MS: the per-run limit (45 s).
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { startMockUpstream, type MockRequest, type MockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, scratchDirs, useServer } from "../../support/server";

/** What the mock answers every call with; each CLI must print it. */
export const REPLY = "Pong from the apiyi mock upstream";
/** Longest a single CLI run may take before it is killed (they need 1 to 5 s here). */
const CLI_TIMEOUT_MS = Number(process.env.APIYI_CLI_TIMEOUT_MS) || 45_000;

const CLIENTS_DIR = process.env.APIYI_CLIENTS_DIR || join(homedir(), ".cache/apiyi-clients");

/** The installed binary of `name` (claude, codex, gemini, opencode); throws when install.sh has not run. */
export function cliBin(name: "claude" | "codex" | "gemini" | "opencode"): string {
  const bin = join(CLIENTS_DIR, "node_modules/.bin", name);
  if (!existsSync(bin))
    throw new Error(`${bin} is missing: run test/e2e/clients/install.sh (or test/e2e/clients/run.sh) first`);
  return bin;
}

export type ChannelSpec = { type: "openai" | "anthropic" | "gemini"; models: string[]; supports_responses?: boolean };

/** The upstream key a channel named `name` holds; the mock accepts only these. */
export const upstreamKey = (name: string) => `upstream-key-${name}-0123456789`;

/** A channel's base URL on the mock, as an admin would type it for that type. */
const baseUrl = (mock: MockUpstream, type: ChannelSpec["type"]) =>
  type === "gemini" ? `${mock.origin}/v1beta` : `${mock.origin}/v1`;

/** Starts apiyi and the mock for the file and makes one channel (group, token) per entry of `channels`;
 * each test of the file may take one CLI run's limit and 15 s more. */
export function useGateway(channels: Record<string, ChannelSpec>) {
  setDefaultTimeout(CLI_TIMEOUT_MS + 15_000);
  const app = useServer();
  const scratch = scratchDirs("apiyi-cli-");
  const tokens: Record<string, string> = {};
  let mock: MockUpstream | undefined;
  beforeAll(async () => {
    mock = startMockUpstream({ reply: REPLY, keys: Object.keys(channels).map(upstreamKey) });
    const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
    const admin = client(app.url, adminAuth);
    const user = await makeUser(app.url, adminAuth, "cli-user");
    expectStatus(await admin.post(`/api/user/${user.id}/topup`, { quota: 1_000_000 }), "topup", 200);
    for (const [name, spec] of Object.entries(channels)) {
      const group = `cli-${name}`;
      expectStatus(await admin.post("/api/group/", { name: group }), `group ${group}`);
      const channel = { name, key: upstreamKey(name), group, base_url: baseUrl(mock, spec.type), ...spec };
      expectStatus(await admin.post("/api/channel/", channel), `channel ${name}`);
      await priceModels(app.url, adminAuth, spec.models);
      tokens[name] = expectStatus(
        await user.api.post("/api/token/", { name, group, unlimited_quota: true }),
        `token ${name}`,
      ).key;
    }
  });
  afterAll(() => mock?.stop());
  const liveMock = () => {
    if (!mock) throw new Error("useGateway: read the mock inside a test");
    return mock;
  };
  return {
    get url() {
      return app.url;
    },
    get mock() {
      return liveMock();
    },
    /** Runs a client, expects it to exit 0 having printed `prints` (the mock's reply unless named), and
     * returns the upstream calls it made and their routes (method + path). */
    async expectRun(go: () => Promise<CliRun>, prints = REPLY) {
      const from = liveMock().requests.length;
      const run = await go();
      expect(run.stdout, describeRun(run)).toContain(prints);
      expect(run.code, describeRun(run)).toBe(0);
      return { calls: liveMock().requests.slice(from), routes: routesSince(liveMock(), from) };
    },
    /** the sk- key of the token bound to channel `name`'s group */
    key: (name: string) => tokens[name],
    /** a fresh HOME (work/ is the cwd, tmp/ the TMPDIR) with `files` written relative to it; removed after the file */
    async home(files: Record<string, string> = {}) {
      const home = scratch();
      for (const d of ["work", "tmp"]) mkdirSync(join(home, d));
      for (const [path, text] of Object.entries(files)) await Bun.write(join(home, path), text);
      return home;
    },
  };
}

function expectStatus(r: { status: number; body: any }, what: string, status = 201) {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body?.data ?? r.body;
}

export type CliRun = { code: number | null; stdout: string; stderr: string; ms: number; home: string };

/** Runs a CLI in `home` with only PATH, locale and `env` set, in a session of its own (setsid) so that
 * after CLI_TIMEOUT_MS, or once it exits, nothing it started survives: the whole group gets SIGKILL.
 * Output still open after that is read for at most 2 s more, so nothing can hang the suite. */
export async function runCli(bin: string, args: string[], home: string, env: Record<string, string>): Promise<CliRun> {
  const started = Date.now();
  const proc = Bun.spawn(["setsid", bin, ...args], {
    cwd: join(home, "work"),
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      TMPDIR: join(home, "tmp"),
      LANG: "C.UTF-8",
      TERM: "dumb",
      NO_COLOR: "1",
      ...env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const killGroup = () => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {} // the group is gone already
  };
  const timer = setTimeout(killGroup, CLI_TIMEOUT_MS);
  const out = drain(proc.stdout);
  const err = drain(proc.stderr);
  const code = await proc.exited;
  clearTimeout(timer);
  killGroup();
  const [stdout, stderr] = await Promise.all([out(2000), err(2000)]);
  return { code: proc.signalCode ? null : code, stdout, stderr, ms: Date.now() - started, home };
}

/** Reads a stream in the background; the returned function gives what was read once it ended or after `graceMs`. */
function drain(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  const done = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += decoder.decode(r.value, { stream: true });
  })().catch(() => {});
  return async (graceMs: number) => {
    await Promise.race([done, Bun.sleep(graceMs)]);
    return text;
  };
}

/** A run's output for a failure message. */
export const describeRun = (r: CliRun) =>
  `exit ${r.code} after ${r.ms} ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr.slice(-4000)}`;

/** The mock's requests made after `from` (an index taken before the run), as method + path. */
export const routesSince = (mock: MockUpstream, from: number) =>
  mock.requests.slice(from).map((r) => `${r.method} ${r.path}`);

/** True when `secret` appears in no header the upstream received. */
export const headersFree = (r: MockRequest, secret: string) =>
  Object.values(r.headers).every((v) => !v.includes(secret));

/** All header values of a request, one a line (to look for the channel's key in whichever header carries it). */
export const headerValues = (r: MockRequest) => Object.values(r.headers).join("\n");
