// Compressed replies through the HTTP/1.1 client (net/h1/coding.ts): apiyi asks for no coding, but an
// upstream that compresses anyway is decoded as Bun's fetch decoded it: gzip, deflate and br, a body
// that came whole and one streamed in pieces, as a Response body or as chunks (DIRECT_BODY); a coding
// it does not know passes as it is; a body that is not what its coding says fails with a coded error.
import { afterAll, describe, expect, test } from "bun:test";
import zlib from "node:zlib";
import { fetchPinned } from "../../src/net/egress";
import { bodySource, DIRECT_BODY, readAll, type ChunkSource } from "../../src/net/h1/source";
import { rawUpstream } from "../support/raw-upstream";

const TEXT = `data: ${"你好, upstream! ".repeat(400)}\n\n`;
const CODED: Record<string, Buffer> = {
  gzip: zlib.gzipSync(TEXT),
  deflate: zlib.deflateSync(TEXT),
  br: zlib.brotliCompressSync(TEXT),
  zstd: Buffer.from("not really zstd"),
  broken: Buffer.concat([zlib.gzipSync(TEXT).subarray(0, 40), Buffer.from("garbage")]),
};

describe("h1 compressed replies", () => {
  const up = rawUpstream((req, s) => {
    const [, path] = req.head.split(" ") as [string, string];
    const [kind, how] = path.slice(1).split("/") as [string, string];
    const body = CODED[kind] as Buffer;
    const coding = kind === "broken" ? "gzip" : kind;
    if (how === "whole") {
      s.write(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 200 OK\r\ncontent-encoding: ${coding}\r\ncontent-length: ${body.length}\r\n\r\n`),
          body,
        ]),
      );
      return;
    }
    // chunked, in three pieces a moment apart
    s.write(`HTTP/1.1 200 OK\r\ncontent-encoding: ${coding}\r\ntransfer-encoding: chunked\r\n\r\n`);
    const third = Math.ceil(body.length / 3);
    [0, 1, 2].forEach((i) =>
      setTimeout(
        () => {
          const piece = body.subarray(i * third, (i + 1) * third);
          s.write(
            Buffer.concat([
              Buffer.from(`${piece.length.toString(16)}\r\n`),
              piece,
              Buffer.from(i === 2 ? "\r\n0\r\n\r\n" : "\r\n"),
            ]),
          );
        },
        5 * (i + 1),
      ),
    );
  });
  afterAll(() => up.stop());

  for (const kind of ["gzip", "deflate", "br"])
    for (const how of ["whole", "streamed"])
      test(`${kind}, ${how}: decoded, as a body and as chunks`, async () => {
        expect(await (await fetchPinned(up.target(`/${kind}/${how}`), {})).text()).toBe(TEXT);
        const r = await fetchPinned(up.target(`/${kind}/${how}`), { method: "POST", body: "{}", [DIRECT_BODY]: true });
        expect(Buffer.from(await readAll(bodySource(r) as ChunkSource)).toString()).toBe(TEXT);
      });

  test("a coding it does not know passes as it is", async () => {
    const r = await fetchPinned(up.target("/zstd/whole"), {});
    expect(r.headers.get("content-encoding")).toBe("zstd");
    expect(await r.text()).toBe("not really zstd");
  });

  test("a body that is not what its coding says fails with DecompressionError", async () => {
    const whole = await fetchPinned(up.target("/broken/whole"), {}).catch((e) => e);
    expect(whole.code).toBe("DecompressionError");
    const r = await fetchPinned(up.target("/broken/streamed"), { method: "POST", body: "{}", [DIRECT_BODY]: true });
    const failed = await readAll(bodySource(r) as ChunkSource).catch((e) => e);
    expect(failed.code).toBe("DecompressionError");
  });
});
