// The HTTP/1.1 client's keep-alive pool (net/h1/pool.ts): a connection is reused once a body was read
// to its end (the server counts one connection), closed on `connection: close` or a cancelled body,
// at most maxSockets per origin with the rest queued in order, closed when idle, and a reused
// connection that the server closed as the request went out is retried once on a fresh one.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { fetchPinned } from "../../src/net/egress";
import { configurePool, poolStats } from "../../src/net/h1/pool";
import { lengthReply, rawUpstream, until } from "../support/raw-upstream";

const DEFAULTS = { maxSockets: 16_384, maxQueue: 4096, idleMs: 30_000 };
afterEach(() => configurePool(DEFAULTS));

describe("h1 keep-alive pool", () => {
  const held: (() => void)[] = [];
  const up = rawUpstream((req, s) => {
    const path = req.head.split(" ")[1] as string;
    if (path === "/close") s.write(lengthReply("bye", "connection: close\r\n"));
    else if (path === "/hold") held.push(() => s.write(lengthReply(`held ${req.conn}`)));
    else if (path === "/big") s.write(lengthReply("z".repeat(1 << 20)));
    else if (path === "/echo") s.write(lengthReply(String(req.body.length)));
    else s.write(lengthReply(`conn ${req.conn}`));
  });
  afterAll(() => up.stop());

  const conn = async (path = "/") => (await (await fetchPinned(up.target(path), {})).text()).replace(/^\D+/, "");

  test("requests in a row share one connection; connection: close is honoured", async () => {
    const before = up.connections;
    const first = await conn();
    for (let i = 0; i < 4; i++) expect(await conn()).toBe(first);
    expect(up.connections - before).toBe(1);
    await conn("/close");
    expect(await conn()).not.toBe(first);
    expect(up.connections - before).toBe(2);
  });

  test("a body not read to its end closes the connection instead of reusing it", async () => {
    const used = up.requests.length;
    const r = await fetchPinned(up.target("/big"), {});
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    const big = up.requests[used]?.conn;
    expect(await conn()).not.toBe(String(big));
  });

  test("at most maxSockets per origin; the rest wait their turn in order", async () => {
    configurePool({ maxSockets: 2 });
    const before = up.connections;
    const calls = [1, 2, 3, 4].map(() => fetchPinned(up.target("/hold"), {}).then((r) => r.text()));
    await until(() => held.length === 2);
    expect(poolStats(`127.0.0.1|${up.port}`).waiting).toBe(2);
    while (held.length) (held.shift() as () => void)();
    await until(() => held.length === 2);
    while (held.length) (held.shift() as () => void)();
    const bodies = await Promise.all(calls);
    expect(new Set(bodies).size).toBe(2);
    expect(up.connections - before).toBeLessThanOrEqual(2);
  });

  test("an idle connection is closed after idleMs", async () => {
    configurePool({ idleMs: 100 });
    await (await fetchPinned(up.target("/"), {})).text();
    expect(poolStats(`127.0.0.1|${up.port}`).idle).toBeGreaterThan(0);
    await until(() => up.open === 0);
    expect(up.open).toBe(0);
    expect(poolStats(`127.0.0.1|${up.port}`).total).toBe(0);
  });

  test("an 8 MiB request body is written whole (backpressure), the connection then reused", async () => {
    const used = up.requests.length;
    const body = new Uint8Array(8 << 20).fill(7);
    const r = await fetchPinned(up.target("/echo"), { method: "POST", body });
    expect(await r.text()).toBe(String(8 << 20));
    expect(await conn()).toBe(String(up.requests[used]?.conn));
  });
});

describe("h1 stale-socket retry", () => {
  // the server answers the first request of a connection (without saying it will close) and closes
  // the connection when the next one arrives on it: the client's pooled connection was stale
  let mode: "fin" | "rst" = "fin";
  const perConn = new Map<number, number>();
  const up = rawUpstream((req, s) => {
    const n = (perConn.get(req.conn) ?? 0) + 1;
    perConn.set(req.conn, n);
    if (n === 1) s.write(lengthReply(`conn ${req.conn}`));
    else if (mode === "rst") s.terminate();
    else s.end();
  });
  afterAll(() => up.stop());
  const call = async (method: string) => {
    const before = up.requests.length;
    const out = await fetchPinned(up.target("/"), { method, body: method === "POST" ? "{}" : null }).then(
      (r) => r.text(),
      (e) => `error ${e.code}`,
    );
    return { out, sent: up.requests.length - before };
  };

  test("GET on a connection the server closed as it went out is retried once on a fresh one", async () => {
    mode = "fin";
    await call("GET");
    expect(await call("GET")).toEqual({ out: expect.stringMatching(/^conn \d+$/), sent: 2 });
  });

  test("a POST that the server read and then closed on is not retried", async () => {
    mode = "fin";
    await call("GET");
    expect(await call("POST")).toEqual({ out: "error ConnectionClosed", sent: 1 });
  });

  test("a POST reset by the server (it never read it) is retried", async () => {
    mode = "rst";
    await call("GET");
    expect(await call("POST")).toEqual({ out: expect.stringMatching(/^conn \d+$/), sent: 2 });
  });
});
