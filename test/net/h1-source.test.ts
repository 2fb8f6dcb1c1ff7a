// A body asked for as chunks (DIRECT_BODY, net/h1/source.ts): a 2xx answer of the HTTP/1.1 client comes
// without a body or headers of its own and its chunks through bodySource, in order, as they arrive, to the end;
// the connection is reused after it; an error answer keeps its ordinary body; a source the reader
// cancels closes the connection; a reader that does not keep up pauses the socket (all bytes still
// arrive, in order); a connection cut mid-body ends the source with an error; a listener is told each
// chunk as it is pushed, and may step aside (the rest stays queued for later).
import { afterAll, describe, expect, test } from "bun:test";
import { fetchPinned } from "../../src/net/egress";
import {
  bodySource,
  DIRECT_BODY,
  headerOf,
  PushSource,
  readAll,
  type ChunkSource,
  type Next,
} from "../../src/net/h1/source";
import { lengthReply, rawUpstream } from "../support/raw-upstream";

const chunked = (parts: string[]) =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${parts
    .map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`)
    .join("")}0\r\n\r\n`;

async function drain(source: ChunkSource): Promise<{ text: string; end: "done" | "error" }> {
  let text = "";
  for (;;) {
    const n = await source.next();
    if ("chunk" in n) text += Buffer.from(n.chunk).toString();
    else return { text, end: "done" in n ? "done" : "error" };
  }
}

describe("h1 direct body", () => {
  const big = "x".repeat(200 * 1024);
  const up = rawUpstream((req, s) => {
    const path = req.head.split(" ")[1] as string;
    if (path === "/sse") {
      const whole = chunked(["data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n"]);
      // the head and the first event now, the rest a moment later: not all with the head
      s.write(whole.slice(0, whole.indexOf("data: 2") - 4));
      setTimeout(() => s.write(whole.slice(whole.indexOf("data: 2") - 4)), 20);
    } else if (path === "/big") {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n`);
      setTimeout(() => s.write(big), 10);
    } else if (path === "/cut") {
      s.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhalf");
      setTimeout(() => s.end(), 20);
    } else if (path === "/err") s.write(lengthReply('{"error":"no"}').replace("200 OK", "429 Too Many Requests"));
    else s.write(lengthReply(`conn ${req.conn}`));
  });
  afterAll(() => up.stop());
  const direct = (path: string) => fetchPinned(up.target(path), { method: "POST", body: "{}", [DIRECT_BODY]: true });

  test("rest(): a body that has ended whole comes at once; one still arriving, or cut, gives null", async () => {
    const whole = bodySource(await direct("/"))!;
    await Bun.sleep(20); // the small reply came with its head; its end was seen
    expect(Buffer.from(whole.rest()!).toString()).toBe(`conn ${up.requests.at(-1)?.conn}`);
    const arriving = bodySource(await direct("/big"))!;
    expect(arriving.rest()).toBeNull(); // the body follows 10 ms after the head
    expect((await readAll(arriving)).length).toBe(big.length);
    const cut = bodySource(await direct("/cut"))!;
    await Bun.sleep(60);
    expect(cut.rest()).toBeNull();
  });

  test("a 2xx stream's chunks come through the source, in order, to the end; the connection is reused", async () => {
    const r = await direct("/sse");
    expect(r.status).toBe(200);
    const source = bodySource(r);
    expect(source).not.toBeNull();
    // the header fields are on the source; the response carries the status only
    expect((source as PushSource).fields).toContainEqual(["content-type", "text/event-stream"]);
    expect(r.headers.get("content-type")).toBeNull();
    const seen: number[] = [];
    (source as ChunkSource).onBytes = () => seen.push(1);
    expect(await drain(source as ChunkSource)).toEqual({ text: "data: 1\n\ndata: 2\n\ndata: [DONE]\n\n", end: "done" });
    expect(seen.length).toBeGreaterThan(0);
    const conn = up.requests.at(-1)?.conn;
    const again = await (await fetchPinned(up.target("/"), {})).text();
    expect(again).toBe(`conn ${conn}`);
  });

  test("a reply read whole: readAll gives its bytes, headerOf its fields (from the source, or the response)", async () => {
    const r = await direct("/sse");
    expect(headerOf(r, "content-type")).toBe("text/event-stream");
    expect(Buffer.from(await readAll(bodySource(r) as ChunkSource)).toString()).toBe(
      "data: 1\n\ndata: 2\n\ndata: [DONE]\n\n",
    );
    const cut = bodySource(await direct("/cut")) as ChunkSource;
    await expect(readAll(cut)).rejects.toBeDefined();
    const plain = await fetchPinned(up.target("/err"), { method: "POST", body: "{}" });
    expect(headerOf(plain, "content-length")).toBe("14");
  });

  test("an error answer keeps its ordinary body", async () => {
    const r = await direct("/err");
    expect(r.status).toBe(429);
    expect(bodySource(r)).toBeNull();
    expect(await r.text()).toBe('{"error":"no"}');
  });

  test("a reader that does not keep up gets every byte, in order", async () => {
    const r = await direct("/big");
    const source = bodySource(r) as ChunkSource;
    await Bun.sleep(100); // all of it arrives (and the socket pauses past the bound) before reading
    const { text, end } = await drain(source);
    expect(end).toBe("done");
    expect(text).toBe(big);
  });

  test("a cancelled source closes its connection; a cut one ends in an error", async () => {
    const r = await direct("/big");
    const source = bodySource(r) as ChunkSource;
    const used = up.requests.at(-1)?.conn;
    source.cancel();
    expect(await (await fetchPinned(up.target("/"), {})).text()).not.toBe(`conn ${used}`);
    const cut = bodySource(await direct("/cut")) as ChunkSource;
    expect(await drain(cut)).toEqual({ text: "half", end: "error" });
  });
});

describe("listen: chunks told as they arrive", () => {
  const source = () =>
    new PushSource(
      () => null,
      () => {},
    );
  const bytes = (s: string) => new TextEncoder().encode(s);
  const seen = (list: Next[]) =>
    list.map((n) => ("chunk" in n ? Buffer.from(n.chunk).toString() : "done" in n ? "<done>" : "<error>"));

  test("what is queued first, in order, then each push in its own turn, then the end once", () => {
    const s = source();
    s.push(bytes("a"));
    s.push(bytes("b"));
    const got: Next[] = [];
    s.listen((n) => got.push(n));
    expect(seen(got)).toEqual(["a", "b"]);
    s.push(bytes("c"));
    expect(seen(got)).toEqual(["a", "b", "c"]); // synchronously, no promise between
    s.close();
    s.close();
    expect(seen(got)).toEqual(["a", "b", "c", "<done>"]);
  });

  test("a listener that steps aside (the client's socket is full) leaves the rest queued for later", () => {
    const s = source();
    const got: Next[] = [];
    const take = (n: Next) => {
      got.push(n);
      if ("chunk" in n && Buffer.from(n.chunk).toString() === "b") s.listen(null);
    };
    s.push(bytes("a"));
    s.push(bytes("b"));
    s.push(bytes("c"));
    s.listen(take);
    expect(seen(got)).toEqual(["a", "b"]);
    s.push(bytes("d"));
    s.error(new Error("cut"));
    expect(seen(got)).toEqual(["a", "b"]);
    s.listen(take);
    expect(seen(got)).toEqual(["a", "b", "c", "d", "<error>"]);
  });
});
