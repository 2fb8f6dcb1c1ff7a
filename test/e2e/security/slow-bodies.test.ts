// Slow and short bodies on /v1 (issue 10, items 6 and 9), over raw sockets: a client with a valid key
// that sends its headers and one byte (or a Content-Length larger than what it sends, or a chunked body
// that stalls) no longer holds the connection forever: every route that takes a body answers 408 in its
// surface's shape at the body deadline (body_read_timeout_seconds, lowered to 1 s here). A client that
// hangs up mid-body leaves exactly one 499 row and one short log line, not an AbortError stack.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { rawHead, rawRequest } from "../../support/raw-http";
import { ADMIN_PASSWORD, client, login, useServer } from "../../support/server";
import { bodyRoutes, expectSurfaceError } from "../../support/v1-routes";

const app = useServer();
let admin: ReturnType<typeof client>;
const LOG_WAIT_MS = 3000;

const port = () => Number(new URL(app.url).port);
const newKey = async (name: string) =>
  expectReply(await admin.post("/api/token/", { name, unlimited_quota: true }), 201).key as string;

beforeAll(async () => {
  admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  expectReply(await admin.put("/api/setting", { body_read_timeout_seconds: 1 }), 200);
});

const typeOf = (multipart?: boolean) => (multipart ? "multipart/form-data; boundary=xyz" : "application/json");

describe("a body that does not arrive in time: 408 at the deadline, in the surface's shape", () => {
  test("headers and one byte with a valid key, on every route that takes a body", async () => {
    const key = await newKey("slowloris");
    const replies = await Promise.all(
      bodyRoutes().map(async (route) => {
        const head = rawHead("POST", route.path, {
          authorization: `Bearer ${key}`,
          "content-type": typeOf(route.multipart),
          "content-length": "100",
        });
        return { route, reply: await rawRequest(port(), { head, body: "{", waitMs: 8000 }) };
      }),
    );
    for (const { route, reply } of replies) {
      expect({ path: route.path, status: reply.status }).toEqual({ path: route.path, status: 408 });
      expect(reply.head.toLowerCase()).toContain("connection: close"); // the slow client's connection ends with the answer
      expect(expectSurfaceError(route.surface, 408, JSON.parse(reply.body), "request_timeout")).toContain(
        "did not arrive within 1 s",
      );
    }
  });

  test("a Content-Length larger than the body, with a key in x-api-key: 408", async () => {
    const key = await newKey("short-body");
    const head = rawHead("POST", "/v1/messages", {
      "x-api-key": key,
      "content-type": "application/json",
      "content-length": "5000",
    });
    const reply = await rawRequest(port(), {
      head,
      body: '{"model":"claude-x","max_tokens":10,"messages":[]}',
      waitMs: 8000,
    });
    expect(reply.status).toBe(408);
    expectSurfaceError("anthropic", 408, JSON.parse(reply.body));
  });

  test("a chunked body that stalls: 408", async () => {
    const key = await newKey("stalled-chunks");
    const head = rawHead("POST", "/v1/chat/completions", {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "transfer-encoding": "chunked",
    });
    const reply = await rawRequest(port(), { head, body: '9\r\n{"model":\r\n', waitMs: 8000 });
    expect(reply.status).toBe(408);
    expectSurfaceError("openai", 408, JSON.parse(reply.body), "request_timeout");
  });

  test("without a valid key the body is never waited for: 401", async () => {
    const head = rawHead("POST", "/v1/chat/completions", {
      authorization: "Bearer sk-nope",
      "content-type": "application/json",
      "content-length": "100",
    });
    const reply = await rawRequest(port(), { head, body: "{" });
    expect(reply.status).toBe(401);
  });
});

test("a client gone mid-body leaves one 499 row and one log line, no stack", async () => {
  const name = "gone-mid-body";
  const key = await newKey(name);
  const head = rawHead("POST", "/v1/chat/completions", {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    "content-length": "1000",
  });
  const reply = await rawRequest(port(), {
    head,
    body: '{"model":"gpt-4o-mini","messages":[',
    closeAfterMs: 200,
    waitMs: 2000,
  });
  expect(reply.status).not.toBe(200);
  let rows: any[] = [];
  for (const until = Date.now() + LOG_WAIT_MS; rows.length === 0 && Date.now() < until; await Bun.sleep(50)) {
    rows = expectReply(await admin.get(`/api/log/?token_name=${name}`), 200).items;
  }
  expect(rows.map((r) => ({ status: r.status_code, code: r.error_code }))).toEqual([
    { status: 499, code: "client_disconnected" },
  ]);
  const lines = app.server
    .errors()
    .split("\n")
    .filter((l) => l.includes("while sending the request body"));
  expect(lines).toHaveLength(1);
  expect(app.server.errors()).not.toContain("AbortError");
  expect(app.server.errors()).not.toContain("unexpected error");
});

afterAll(() => {
  if (process.env.DEBUG_STDERR) console.log(app.server.errors());
});
