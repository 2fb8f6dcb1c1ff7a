// Liveness, readiness and graceful stop: on SIGTERM/SIGINT readyz turns 503, new calls are refused
// with 503, an in-flight call finishes, then the process exits 0;
// a call that outlives --shutdown-timeout is cut and the process still exits 0; a stream open at
// that point ends with an error event in its client's shape and is logged server_shutting_down.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { readRows } from "../../support/backend";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  authHeaders,
  call,
  client,
  login,
  priceModels,
  removeDir,
  startServer,
  type Auth,
  type Server,
} from "../../support/server";

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

// issue 10, item 13: what the drain's deadline cuts is the server's doing, and the client is told
describe("streams still open when --shutdown-timeout runs out", () => {
  const mock = startMockUpstream();
  afterAll(() => mock.stop());

  /** A server with a short drain, a slow streaming model and a key for it. */
  async function slowStreams() {
    server = await startServer({ args: ["--shutdown-timeout", "0.5"] });
    const auth = await login(server.url, "admin", ADMIN_PASSWORD);
    const api = client(server.url, auth);
    expectReply(
      await api.post("/api/channel/", {
        name: "slow",
        type: "openai",
        base_url: mock.urlFor("ok,intervalMs=300,chunks=40"),
        key: "sk-up",
        models: "slow-stream",
      }),
      201,
    );
    await priceModels(server.url, auth, "slow-stream");
    return expectReply(await api.post("/api/token/", { name: "s", unlimited_quota: true }), 201).key as string;
  }

  /** Opens a stream and waits for its first content; `rest()` reads it to its end. */
  async function openStream(url: string, path: string, key: string, body: unknown) {
    const res = await fetch(url + path, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/"(content|text)":"[^"]/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    const rest = async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    };
    return { requestId: res.headers.get("x-request-id")!, rest };
  }

  const lastEvent = (text: string) => text.trim().split(/\n\n/).at(-1)!;
  const rowOf = async (dataDir: string, requestId: string) =>
    (
      await readRows<{ status_code: number; error_code: string; type: number }>(
        dataDir,
        "SELECT status_code, error_code, type FROM logs WHERE request_id = ?",
        requestId,
      )
    )[0] ?? null;

  test("end with a server_shutting_down error event in the client's shape, logged with that code", async () => {
    const key = await slowStreams();
    const chat = await openStream(server!.url, "/v1/chat/completions", key, {
      model: "slow-stream",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const claude = await openStream(server!.url, "/v1/messages", key, {
      model: "slow-stream",
      stream: true,
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    server!.proc.kill("SIGTERM");
    const [chatText, claudeText] = await Promise.all([chat.rest(), claude.rest()]);
    expect(await server!.proc.exited).toBe(0);

    expect(chatText).not.toContain("[DONE]");
    const chatError = JSON.parse(lastEvent(chatText).replace(/^data: /, ""));
    expect(chatError.error).toMatchObject({ code: "server_shutting_down", type: "server_error" });
    expect(chatError.error.message).toContain("shutting down");
    // Anthropic's shape: an `error` event, overloaded (what its clients retry)
    const claudeEvent = lastEvent(claudeText);
    expect(claudeEvent.startsWith("event: error\n")).toBe(true);
    expect(JSON.parse(claudeEvent.split("\ndata: ")[1])).toMatchObject({
      type: "error",
      error: { type: "overloaded_error" },
    });
    expect(claudeText).not.toContain("message_stop");

    // the rows are in the database after the stop, with the server's code, not the client's
    for (const s of [chat, claude])
      expect(await rowOf(server!.dataDir, s.requestId)).toEqual({
        status_code: 200,
        error_code: "server_shutting_down",
        type: 5,
      });
  }, 20_000);
});
