// Test support: a real apiyi server process on a random port with a temp data dir, plus an HTTP
// helper that speaks the management API (cookie or access token) and a CLI runner.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const MAIN = join(ROOT, "src/main.ts");
export const ADMIN_PASSWORD = "admin-pass-for-tests";

export const tempDir = (prefix = "apiyi-test-") => mkdtempSync(join(tmpdir(), prefix));

export type Server = {
  url: string;
  dataDir: string;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** everything the server printed on stdout so far */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number>;
};

/** Starts `apiyi serve` (from source, or `cmd` e.g. the compiled binary) and waits for its URL. */
export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; args?: string[]; cmd?: string[] } = {}): Promise<Server> {
  const dataDir = opts.dataDir ?? tempDir();
  const cmd = opts.cmd ?? [process.execPath, MAIN];
  const proc = Bun.spawn([...cmd, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, ...(opts.args ?? [])], {
    env: { ...process.env, APIYI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...opts.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 15_000);
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return fail(new Error(`server exited:\n${out}\n${await new Response(proc.stderr).text()}`));
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
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null) proc.kill(signal);
      return proc.exited;
    },
  };
}

export type Reply = { status: number; body: any; headers: Headers };
export type Auth = { cookie?: string; token?: string } | undefined;

/** One management-API call. `body` objects are sent as JSON, strings as they are. */
export async function call(base: string, method: string, path: string, body?: unknown, auth?: Auth): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (auth?.cookie) headers.cookie = auth.cookie;
  if (auth?.token) headers.authorization = auth.token;
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

/** Signs in and returns the session cookie to send back. */
export async function login(base: string, username: string, password: string): Promise<{ cookie: string }> {
  const r = await call(base, "POST", "/api/user/login", { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  const setCookie = r.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0] };
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

/** Runs the CLI (from source unless `cmd` is given) and collects its exit code and output. */
export async function cli(args: string[], opts: { env?: Record<string, string>; cmd?: string[]; cwd?: string } = {}) {
  const proc = Bun.spawn([...(opts.cmd ?? [process.execPath, MAIN]), ...args], {
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });
