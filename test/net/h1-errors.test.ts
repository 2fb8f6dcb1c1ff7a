// The HTTP/1.1 client's aborts, connect errors and TLS, through fetchPinned: an abort in any phase
// rejects (or errors the body) with the signal's reason, as fetch does; connect and certificate
// errors come out in describeFetchError's words; TLS keeps the original host's name while connecting
// to the checked address; what the client leaves to fetch still works (FormData).
import { afterAll, describe, expect, test } from "bun:test";
import { describeFetchError, fetchPinned, type Target } from "../../src/net/egress";
import { UPSTREAM_TEST_CERT as cert, UPSTREAM_TEST_KEY as key } from "../support/mock/tls-fixture";
import { lengthReply, rawUpstream, until } from "../support/raw-upstream";

const reason = async (p: Promise<unknown>) =>
  p.then(
    () => "no error",
    (e) => e,
  );

describe("h1 abort", () => {
  const up = rawUpstream((req, s) => {
    const path = req.head.split(" ")[1];
    if (path === "/body") s.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npart");
    // "/silent": never answers
  });
  afterAll(() => up.stop());

  test("aborted before the call: rejects with the reason, nothing is sent", async () => {
    const c = new AbortController();
    c.abort("first_byte_timeout");
    const before = up.connections;
    expect(await reason(fetchPinned(up.target("/silent"), { signal: c.signal }))).toBe("first_byte_timeout");
    expect(up.connections).toBe(before);
  });

  test("aborted while waiting for the head: rejects with the reason and closes the connection", async () => {
    const c = new AbortController();
    const call = reason(fetchPinned(up.target("/silent"), { signal: c.signal }));
    await until(() => up.requests.some((r) => r.head.startsWith("GET /silent")));
    const open = up.open;
    c.abort("first_byte_timeout");
    expect(await call).toBe("first_byte_timeout");
    await until(() => up.open < open);
    expect(up.open).toBe(open - 1);
  });

  test("aborted during the body: the body errors with the reason", async () => {
    const c = new AbortController();
    const r = await fetchPinned(up.target("/body"), { signal: c.signal });
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    expect(Buffer.from((await reader.read()).value as Uint8Array).toString()).toBe("part");
    const gone = new Error("client gone");
    c.abort(gone);
    expect(await reason(reader.read())).toBe(gone);
  });
});

describe("h1 connect errors and TLS", () => {
  const tlsServer = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert, key },
    fetch: (req) => new Response(`${new URL(req.url).pathname} host=${req.headers.get("host")}`),
  });
  const plain = rawUpstream((_req, s) => s.write(lengthReply("plain")));
  // an HTTP server answers a ClientHello with a 400 (the raw upstream would wait for a blank line)
  const httpServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("plain") });
  const http = { port: httpServer.port as number };
  const tls = { port: tlsServer.port as number };
  afterAll(() => {
    tlsServer.stop(true);
    httpServer.stop(true);
    plain.stop();
  });
  const named = (port: number, name = "upstream.test"): Target => ({
    url: `https://127.0.0.1:${port}/p?q=1`,
    address: "127.0.0.1",
    port,
    display: `${name}:${port}`,
    hostHeader: `${name}:${port}`,
    tls: { serverName: name },
  });
  const words = async (t: Target, init: BunFetchRequestInit = {}) =>
    fetchPinned(t, init).then(
      (r) => r.text(),
      (e) => describeFetchError(e, t.display),
    );

  test("a refused connection", async () => {
    const t = { ...plain.target(), port: 1, display: "127.0.0.1:1" };
    expect(await words(t)).toBe("connection refused to 127.0.0.1:1");
  });

  test("HTTPS to the checked address under the original name, with the caller's CA", async () => {
    expect(await words(named(tls.port), { tls: { ca: cert } })).toBe(`/p host=upstream.test:${tls.port}`);
    expect(await words(named(tls.port), { tls: { rejectUnauthorized: false } })).toBe(
      `/p host=upstream.test:${tls.port}`,
    );
  });

  test("certificate errors in describeFetchError's words", async () => {
    expect(await words(named(tls.port))).toBe(`TLS: upstream.test:${tls.port}: it presents a self-signed certificate`);
    expect(await words(named(tls.port, "other.test"), { tls: { ca: cert } })).toBe(
      `TLS: other.test:${tls.port}: its certificate is not valid for this host name`,
    );
    expect(await words(named(http.port), { tls: { ca: cert } })).toBe(
      `TLS: upstream.test:${http.port}: the TLS handshake failed (does it speak TLS on this port?)`,
    );
  });

  test("a body fetch must write (FormData) still goes, through fetch", async () => {
    const form = new FormData();
    form.set("a", "1");
    expect(await words(named(tls.port), { method: "POST", body: form, tls: { ca: cert } })).toBe(
      `/p host=upstream.test:${tls.port}`,
    );
  });
});
