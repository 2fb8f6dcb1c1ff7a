// Test support: a real apiyi server process on a random port with a temp data dir (and `useServer`,
// one server for a whole file), an HTTP helper that speaks the management API (cookie or access
// token; a cookie write carries the session's CSRF token and this server's Origin, as a page of the
// console would), a CLI runner that never inherits the caller's APIYI_* variables, and scratch dirs.
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { backendFor, cliBackendFor, dropBackend } from "./backend";

export const ROOT = resolve(import.meta.dir, "../..");
export const MAIN = join(ROOT, "src/main.ts");
export const ADMIN_PASSWORD = "admin-pass-for-tests";
/** How the app is started: from source with the running bun, or the compiled binary named by
 * APIYI_TEST_BIN (.ci/run runs the CLI, migration and security suites against the binary too). */
export const APP: string[] = process.env.APIYI_TEST_BIN
  ? [resolve(process.env.APIYI_TEST_BIN)]
  : [process.execPath, MAIN];

export const tempDir = (prefix = "apiyi-test-") => mkdtempSync(join(tmpdir(), prefix));

export type Server = {
  url: string;
  dataDir: string;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** everything the server printed on stdout so far */
  output: () => string;
  /** everything the server printed on stderr so far (drained as it comes, so a chatty server never blocks) */
  errors: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number>;
};

export type StartOptions = { dataDir?: string; env?: Record<string, string>; args?: string[]; cmd?: string[] };

/** The environment of a server on a test clock that reads `ms` (unix ms) as it starts and runs on from
 * there; the test can move it forward (POST /api/test/clock, gateway.ts advanceClock). Honoured only
 * because the tests run with NODE_ENV=test. */
export const testClock = (ms = Date.now()) => ({ APIYI_TEST_CLOCK_MS: String(Math.round(ms)) });

/** Starts `apiyi serve` (from source, or `cmd` e.g. the compiled binary) and waits for its URL. */
export async function startServer(opts: StartOptions = {}): Promise<Server> {
  const dataDir = opts.dataDir ?? tempDir();
  const cmd = opts.cmd ?? APP;
  const backend = await backendFor(dataDir, opts.args ?? []);
  const proc = Bun.spawn(
    [
      ...cmd,
      "serve",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--data-dir",
      dataDir,
      ...(opts.args ?? []),
      ...backend.args,
    ],
    {
      env: appEnv({ APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...backend.env, ...opts.env }),
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  let out = "";
  let err = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const errDecoder = new TextDecoder();
  const errDrained = (async () => {
    const errs = proc.stderr.getReader();
    for (let r = await errs.read(); !r.done; r = await errs.read()) err += errDecoder.decode(r.value);
  })();
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 15_000);
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return fail(new Error(`server exited:\n${out}\n${(await errDrained, err)}`));
        out += decoder.decode(value);
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
          // keep draining stdout so the child never blocks on a full pipe
          for (;;) {
            const next = await reader.read();
            if (next.done) return;
            out += decoder.decode(next.value);
          }
        }
      }
    })();
  });
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    errors: () => err,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null) proc.kill(signal);
      return proc.exited;
    },
  };
}

export type Reply = { status: number; body: any; headers: Headers };
/** `csrf`: the session's CSRF token (data.csrf_token of the sign-in reply), sent on cookie writes. */
export type Auth = { cookie?: string; token?: string; csrf?: string } | undefined;

/** The credential headers of a management-API call: the cookie, or the access token; a cookie write
 * also sends the CSRF token and this server's Origin (what the console's own pages send). */
export function authHeaders(base: string, method: string, auth: Auth): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth?.cookie) headers.cookie = auth.cookie;
  if (auth?.token) headers.authorization = auth.token;
  if (auth?.cookie && !auth.token && method !== "GET") {
    if (auth.csrf) headers["x-csrf-token"] = auth.csrf;
    headers.origin = new URL(base).origin;
  }
  return headers;
}

/** One management-API call. `body` objects are sent as JSON, strings as they are. */
export async function call(base: string, method: string, path: string, body?: unknown, auth?: Auth): Promise<Reply> {
  if (auth?.cookie && !auth.token && !auth.csrf && method !== "GET")
    auth = { ...auth, csrf: await csrfOf(base, auth.cookie) };
  const headers = authHeaders(base, method, auth);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

const csrfTokens = new Map<string, string>();

/** The CSRF token of a session cookie (for `{ cookie }` auths made without login()): GET /api/user/self. */
async function csrfOf(base: string, cookie: string): Promise<string> {
  const known = csrfTokens.get(cookie);
  if (known) return known;
  const res = await fetch(`${base}/api/user/self`, { headers: { cookie } });
  const token = res.ok ? ((await res.json()) as { data: { csrf_token: string } }).data.csrf_token : "";
  if (token) csrfTokens.set(cookie, token);
  return token;
}

/** Signs in and returns the session cookie to send back, with its CSRF token. */
export async function login(
  base: string,
  username: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const r = await call(base, "POST", "/api/user/login", { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  const setCookie = r.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0], csrf: r.body.data.csrf_token };
}

/** An API client bound to a server and a credential. */
export const client = (base: string, auth?: Auth) => ({
  get: (path: string) => call(base, "GET", path, undefined, auth),
  post: (path: string, body?: unknown) => call(base, "POST", path, body ?? {}, auth),
  put: (path: string, body?: unknown) => call(base, "PUT", path, body ?? {}, auth),
  del: (path: string) => call(base, "DELETE", path, undefined, auth),
});

/** Creates a user through the admin API and returns a signed-in client for them. */
export async function makeUser(base: string, admin: Auth, username: string, password = "user-password-1") {
  const r = await call(base, "POST", "/api/user/", { username, password }, admin);
  if (r.status !== 201) throw new Error(`create user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  const auth = await login(base, username, password);
  return { id: r.body.data.id as number, auth, api: client(base, auth) };
}

/** The running one server of a file, from `useServer()`; its getters throw until beforeAll has run. */
export type LiveServer = { readonly server: Server; readonly url: string };

/** One server for a whole test file: started in beforeAll, stopped (its data dir removed) in afterAll.
 * Call it at the top level, before any beforeAll that uses it; read `.server` / `.url` only inside
 * hooks and tests (do not destructure the result at the top level). */
export function useServer(opts: StartOptions = {}): LiveServer {
  let running: Server | undefined;
  beforeAll(async () => {
    running = await startServer(opts);
  });
  afterAll(async () => {
    if (!running) return;
    await running.stop();
    removeDir(running.dataDir);
    await dropBackend(running.dataDir);
  });
  const server = () => {
    if (!running) throw new Error("useServer: the server is not running (read it inside a test or a later beforeAll)");
    return running;
  };
  return {
    get server() {
      return server();
    },
    get url() {
      return server().url;
    },
  };
}

/** process.env without the caller's APIYI_* variables (so a developer's shell cannot steer a run), plus `env`. */
export function appEnv(env: Record<string, string> = {}): Record<string, string | undefined> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("APIYI_")) delete base[k];
  return { ...base, ...env };
}

/** Runs the CLI (from source with the running bun unless `cmd` is given) and collects its exit code and
 * output. APIYI_* variables of the caller are not inherited (only `env`'s); the process is killed after
 * `timeoutMs` so a command that wrongly starts serving cannot hang the suite. */
export async function cli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; cmd?: string[] } = {},
) {
  const backend = await cliBackendFor(args, opts.env);
  const proc = Bun.spawn([...(opts.cmd ?? APP), ...args, ...backend.args], {
    env: appEnv({ ...backend.env, ...opts.env }),
    cwd: opts.cwd,
    stdout: "pipe",
    stderr: "pipe",
    timeout: opts.timeoutMs ?? 15_000,
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

/** A maker of temp dirs (`prefix` unless the call names another) that are all removed in afterAll.
 * Call it at a file's top level; its afterAll runs in the order it was registered among the file's. */
export function scratchDirs(prefix = "apiyi-test-") {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });
  return (p = prefix) => {
    const d = tempDir(p);
    dirs.push(d);
    return d;
  };
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Gives models a price (usage, $1 / $2 per 1M tokens by default): calls to an unpriced model are
 * refused with 403 model_price_not_set, so tests that make calls price their models first. */
export async function priceModels(
  base: string,
  auth: Auth,
  models: string | string[],
  price: Record<string, unknown> = { input: "1", output: "2" },
) {
  const list = Array.isArray(models)
    ? models
    : models
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean);
  for (const model of list) {
    const r = await call(base, "POST", "/api/pricing/", { model, ...price }, auth);
    if (r.status !== 201) throw new Error(`price ${model}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** One POST /v1/chat/completions with an sk- key (streamed with usage when `stream`); the Response
 * is returned unread. */
export function chatCall(
  base: string,
  key: string,
  model: string,
  opts: { stream?: boolean; headers?: Record<string, string>; body?: Record<string, unknown> } = {},
) {
  const stream = opts.stream ?? false;
  return fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...opts.headers },
    body: JSON.stringify({
      model,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      messages: [{ role: "user", content: "hi" }],
      ...opts.body,
    }),
  });
}
