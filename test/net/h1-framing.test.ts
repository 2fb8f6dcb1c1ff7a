// The HTTP/1.1 client (net/h1) reads every framing of a response body as fetch would, through
// fetchPinned: Content-Length, chunked (extensions, trailers, split anywhere), HTTP/1.0 read until
// close, no body for HEAD/204/304, interim 1xx answers skipped, and refuses malformed answers with a code.
import { afterAll, describe, expect, test } from "bun:test";
import { fetchPinned } from "../../src/net/egress";
import { lengthReply, rawUpstream } from "../support/raw-upstream";

const replies: Record<string, string[]> = {
  "/length": [lengthReply("hello")],
  "/chunked": [
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n",
    "5;name=value;x\r\nhello\r\n",
    "1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
  ],
  "/split": [..."HTTP/1.1 200 OK\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"],
  "/http10": ["HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil ", "the end"],
  "/noframe": ["HTTP/1.1 200 OK\r\n\r\nread to close"],
  "/204": ["HTTP/1.1 204 No Content\r\n\r\n"],
  "/304": ["HTTP/1.1 304 Not Modified\r\ncontent-length: 10\r\n\r\n"],
  "/head": ["HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n"],
  "/1xx": ["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n", lengthReply("final")],
  "/repeated": [lengthReply("x", "x-r: a\r\nx-r: b\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n")],
  "/redirect": ["HTTP/1.1 302 Found\r\nlocation: http://elsewhere/\r\ncontent-length: 0\r\n\r\n"],
  "/fold": ["HTTP/1.1 200 OK\r\nx-a: 1\r\n  folded\r\ncontent-length: 0\r\n\r\n"],
  "/junk": ["HTTP/1.1 2OO OK\r\n\r\n"],
  "/badchunk": ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"],
  "/hugechunk": ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n12345678901234567\r\n"],
  "/two-lengths": ["HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab"],
  "/bighead": [`HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(70 * 1024)}\r\n\r\n`],
  "/short": ["HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc"],
  "/nothing": [],
  "/101": ["HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\n"],
};
const closes = new Set(["/http10", "/noframe", "/short", "/nothing", "/split"]);

const up = rawUpstream(async (req, s) => {
  const path = req.head.split(" ")[1] as string;
  for (const part of replies[path] ?? []) {
    s.write(part);
    if (path === "/split" || path === "/chunked" || path === "/http10") await Bun.sleep(2);
  }
  if (closes.has(path)) s.end();
});
afterAll(() => up.stop());

const get = (path: string, method = "GET") => fetchPinned(up.target(path), { method });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => "no error",
    (e) => String(e.code),
  );

describe("h1 framing", () => {
  test("content-length, chunked with extensions and trailers, bytes split one by one", async () => {
    expect(await (await get("/length")).text()).toBe("hello");
    const chunked = await get("/chunked");
    expect(chunked.headers.get("x-a")).toBe("1");
    expect(await chunked.text()).toBe("hello 0123456789");
    expect(await (await get("/split")).text()).toBe("abc");
  });

  test("HTTP/1.0 and unframed bodies are read until the close", async () => {
    const r = await get("/http10");
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("until the end");
    expect(await (await get("/noframe")).text()).toBe("read to close");
  });

  test("no body for 204, 304 and HEAD; 1xx interim answers skipped; a 3xx is returned, not followed", async () => {
    for (const [path, method, status] of [
      ["/204", "GET", 204],
      ["/304", "GET", 304],
      ["/head", "HEAD", 200],
    ] as const) {
      const r = await get(path, method);
      expect(r.status).toBe(status);
      expect(await r.text()).toBe("");
    }
    const r = await get("/1xx");
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("final");
    const redirect = await get("/redirect");
    expect([redirect.status, redirect.headers.get("location")]).toEqual([302, "http://elsewhere/"]);
  });

  test("repeated headers are joined as fetch joins them, Set-Cookie kept apart", async () => {
    const r = await get("/repeated");
    expect(r.headers.get("x-r")).toBe("a, b");
    expect(r.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    await r.text();
  });

  test("malformed answers reject with a code; a short body errors the stream", async () => {
    expect(await failure(get("/fold"))).toBe("HPE_INVALID_HEADER_TOKEN");
    expect(await failure(get("/junk"))).toBe("HPE_INVALID_CONSTANT");
    expect(await failure(get("/two-lengths"))).toBe("HPE_UNEXPECTED_CONTENT_LENGTH");
    expect(await failure(get("/bighead"))).toBe("HPE_HEADER_OVERFLOW");
    expect(await failure(get("/nothing"))).toBe("ConnectionClosed");
    expect(await failure(get("/101"))).toBe("NotSupported");
    // with the head in the same read, a bad chunk rejects the promise; after it, it errors the body
    expect(await failure(get("/badchunk").then((r) => r.text()))).toBe("HPE_INVALID_CHUNK_SIZE");
    expect(await failure(get("/hugechunk").then((r) => r.text()))).toBe("HPE_INVALID_CHUNK_SIZE");
    expect(await failure((await get("/short")).text())).toBe("ConnectionClosed");
  });
});

describe("h1 large bodies", () => {
  // 64 MiB of patterned bytes, by Content-Length and chunked: read through the stream intact. More than
  // the kernel's socket buffers can take in (Linux grows a receive buffer up to tcp_rmem's 32 MiB here;
  // with 16 MiB the whole body could sit in them while the reader paused)
  const size = 64 << 20;
  const big = Buffer.alloc(size);
  for (let i = 0; i < size; i++) big[i] = (i * 31 + (i >>> 12)) & 255;
  let written = 0;
  const up = rawUpstream((req, s) => {
    const chunked = req.head.startsWith("GET /chunked");
    s.write(`HTTP/1.1 200 OK\r\n${chunked ? "transfer-encoding: chunked" : `content-length: ${size}`}\r\n\r\n`);
    const parts = chunked ? [`${size.toString(16)}\r\n`, big, "\r\n0\r\n\r\n"] : [big];
    const queue: Buffer[] = parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p));
    written = 0;
    const pump = () => {
      while (queue.length) {
        const head = queue[0] as Buffer;
        const n = s.write(head);
        written += Math.max(0, n);
        if (n < head.length) {
          queue[0] = head.subarray(Math.max(0, n));
          setTimeout(pump, 1);
          return;
        }
        queue.shift();
      }
    };
    pump();
  });
  afterAll(() => up.stop());

  for (const path of ["/length", "/chunked"])
    test(`a 64 MiB body (${path.slice(1)}) streams intact, and the client stops reading while the reader does`, async () => {
      const r = await fetchPinned(up.target(path), {});
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      // the reader pauses: the client buffers a bounded amount, so the server cannot write it all
      await Bun.sleep(50);
      expect(written).toBeLessThan(size);
      const parts = [first.value as Uint8Array];
      for (let x = await reader.read(); !x.done; x = await reader.read()) parts.push(x.value);
      expect(Buffer.concat(parts).equals(big)).toBe(true);
    });
});
