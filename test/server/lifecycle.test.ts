// Liveness, readiness and graceful stop: on SIGTERM/SIGINT readyz turns 503, new calls are refused
// with 503, an in-flight call finishes, then the process exits 0;
// a call that outlives --shutdown-timeout is cut and the process still exits 0.
import { afterEach, expect, test } from "bun:test";
import { ADMIN_PASSWORD, authHeaders, call, login, removeDir, startServer, type Auth, type Server } from "../support/server";

let server: Server | undefined;
afterEach(async () => {
  await server?.stop("SIGKILL");
  if (server) removeDir(server.dataDir);
  server = undefined;
});

/** A request whose body arrives in two parts: it is in flight until `finish()` is called. */
function slowUpload(url: string, auth: Auth) {
  let finish!: () => void;
  const gate = new Promise<void>((r) => (finish = r));
  const enc = new TextEncoder();
  const body = new ReadableStream({
    async start(c) {
      c.enqueue(enc.encode('{"name":'));
      await gate;
      c.enqueue(enc.encode('"late"}'));
      c.close();
    },
  });
  const reply = fetch(`${url}/api/token/`, {
    method: "POST",
    headers: { ...authHeaders(url, "POST", auth), "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
  return { reply, finish };
}

async function waitFor(check: () => boolean, what: string) {
  for (let i = 0; i < 400 && !check(); i++) await Bun.sleep(25);
  if (!check()) throw new Error(`never saw: ${what}`);
}

test("healthz and readyz answer 200 while serving", async () => {
  server = await startServer();
  expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
  expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal}: the in-flight call finishes, then the process exits 0`, async () => {
    server = await startServer();
    const upload = slowUpload(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
    await Bun.sleep(50); // let the request reach the handler
    server.proc.kill(signal);
    await waitFor(() => server!.output().includes("draining"), "draining");
    expect(server.proc.exitCode).toBeNull(); // still waiting for the upload
    expect((await call(server.url, "GET", "/readyz")).status).toBe(503);
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
    const refused = await call(server.url, "GET", "/api/status");
    expect(refused.status).toBe(503);
    expect(refused.body.message).toContain("shutting down");
    upload.finish();
    const res = await upload.reply;
    expect(res.status).toBe(201);
    expect(await server.proc.exited).toBe(0);
    expect(server.output()).toContain("stopped");
  });
}

test("a call that outlives --shutdown-timeout is cut; the process still exits 0", async () => {
  server = await startServer({ args: ["--shutdown-timeout", "0.2"] });
  const upload = slowUpload(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
  // the cut connection rejects the fetch; observe that instead of letting it go unhandled
  const outcome = upload.reply.then(
    (r) => r.status,
    () => "connection closed",
  );
  await Bun.sleep(50);
  server.proc.kill("SIGTERM");
  expect(await server.proc.exited).toBe(0);
  upload.finish();
  expect(await outcome).toBe("connection closed");
});
