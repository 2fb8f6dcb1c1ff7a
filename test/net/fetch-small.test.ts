// The small guarded GET of upstream account APIs (net/fetch-small.ts), against a local server: the
// answer and its status come back; a body over the limit, an answer later than the deadline, a
// redirect (never followed) and a refused address are errors naming host:port and never the path.
import { afterAll, expect, test } from "bun:test";
import { getSmall } from "../../src/net/fetch-small";

let followed = 0;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/big") return new Response("x".repeat(10_000));
    if (path === "/slow") {
      await Bun.sleep(2000);
      return new Response("{}");
    }
    if (path === "/moved") return new Response(null, { status: 302, headers: { location: "/target" } });
    if (path === "/target") followed++;
    return Response.json({ key: req.headers.get("authorization") }, { status: path === "/denied" ? 401 : 200 });
  },
});
afterAll(() => server.stop(true));
const base = `http://127.0.0.1:${server.port}`;
const limits = { deadlineMs: 500, maxBytes: 4096 };

test("the answer, with the headers given", async () => {
  expect(await getSmall(`${base}/ok`, { authorization: "Bearer k" }, limits)).toEqual({
    status: 200,
    text: '{"key":"Bearer k"}',
  });
  expect((await getSmall(`${base}/denied`, {}, limits)).status).toBe(401);
});

test("a body over the limit is refused", async () => {
  await expect(getSmall(`${base}/big?secret=1`, {}, limits)).rejects.toThrow(
    `127.0.0.1:${server.port} answered more than 4 KiB`,
  );
});

test("an answer later than the deadline is a timeout naming host:port", async () => {
  await expect(getSmall(`${base}/slow`, {}, limits)).rejects.toThrow(
    `no answer from 127.0.0.1:${server.port} within 500 ms`,
  );
});

test("a redirect is refused, not followed", async () => {
  await expect(getSmall(`${base}/moved`, { authorization: "Bearer k" }, limits)).rejects.toThrow(/redirect .*refused/);
  expect(followed).toBe(0);
});

test("a metadata address is refused before any connection", async () => {
  await expect(getSmall("http://169.254.169.254/latest", {}, limits)).rejects.toThrow(/refused/);
});
