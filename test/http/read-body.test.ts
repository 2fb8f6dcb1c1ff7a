// The shared body reader under a limit and a deadline, against a real Bun server and raw sockets: bodies
// within the limit arrive whole (declared or chunked), a declared or counted excess is 413, a body that
// stalls or is shorter than its Content-Length is 408 at the deadline (the connection stays open for the
// answer), and the JSON content-type test.
import { afterAll, expect, test } from "bun:test";
import type { AppError } from "../../src/errors";
import { isJsonType, readBodyBytes } from "../../src/http/read-body";

const LIMITS = { maxBytes: 1000, deadlineMs: 300 };

const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req, srv) {
    try {
      const bytes = await readBodyBytes(req, LIMITS, srv);
      return new Response(`got ${bytes.byteLength}`);
    } catch (e) {
      const err = e as AppError;
      return new Response(err.code, { status: err.status });
    }
  },
});
afterAll(() => server.stop(true));
const url = `http://127.0.0.1:${server.port}/`;

/** Sends raw request bytes and returns what came back (the status line), or "closed". */
function raw(head: string, body: string, waitMs = 3000, port = server.port!): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    const timer = setTimeout(() => resolve(got || "silent"), waitMs);
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(s) {
          s.write(head + body);
        },
        data(s, d) {
          got += d.toString();
          if (got.includes("\r\n\r\n")) {
            clearTimeout(timer);
            s.end();
            resolve(got.split("\r\n")[0]);
          }
        },
        close() {
          clearTimeout(timer);
          resolve(got ? got.split("\r\n")[0] : "closed");
        },
      },
    });
  });
}

test("bodies within the limit arrive whole, declared or chunked", async () => {
  expect(await (await fetch(url, { method: "POST", body: "x".repeat(1000) })).text()).toBe("got 1000");
  const chunked = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode("a".repeat(600)));
      c.enqueue(new TextEncoder().encode("b".repeat(400)));
      c.close();
    },
  });
  expect(await (await fetch(url, { method: "POST", body: chunked })).text()).toBe("got 1000");
});

test("over the limit: 413, declared (before reading) or counted while chunked", async () => {
  const declared = await fetch(url, { method: "POST", body: "x".repeat(1001) });
  expect(declared.status).toBe(413);
  const chunks = new ReadableStream({
    start(c) {
      for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode("y".repeat(300)));
      c.close();
    },
  });
  expect((await fetch(url, { method: "POST", body: chunks })).status).toBe(413);
});

test("a Content-Length larger than the body, or a stalled chunked body, gets 408 at the deadline", async () => {
  const head = `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n`;
  expect(await raw(head, "only ten b")).toContain("408");
  const chunkedHead = `POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n`;
  expect(await raw(chunkedHead, "5\r\nhello\r\n")).toContain("408");
});

test("a body slower than Bun's idle timer still hears the 408 (the idle timer is raised while it is awaited)", async () => {
  const impatient = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 1, // Bun's idle timer ticks every ~4 s: this closes a stalled connection at ~4 s, before the deadline, unless raised
    async fetch(req, srv) {
      try {
        await readBodyBytes(req, { maxBytes: 1000, deadlineMs: 6000 }, srv);
        return new Response("got it");
      } catch (e) {
        return new Response((e as AppError).code, { status: (e as AppError).status });
      }
    },
  });
  try {
    expect(
      await raw(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n`, "ten bytes.", 9000, impatient.port!),
    ).toContain("408");
  } finally {
    impatient.stop(true);
  }
}, 15_000);

test("JSON content types", () => {
  for (const t of [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/vnd.api+json",
  ])
    expect(isJsonType(t)).toBe(true);
  for (const t of [
    null,
    "",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "text/json",
  ])
    expect(isJsonType(t)).toBe(false);
});
