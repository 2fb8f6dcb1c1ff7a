// Test support: HTTP/1.1 over a raw TCP socket (Bun.connect), for what fetch cannot send or will not
// wait for: a body slower or shorter than its Content-Length, a client that hangs up mid-body, header
// bytes fetch refuses (control characters, raw UTF-8). Every wait is bounded.

export type RawReply = {
  /** the status code, or "silent" (nothing within `waitMs`) or "closed" (closed without answering) */
  status: number | "silent" | "closed";
  head: string;
  body: string;
};

export type RawRequest = {
  /** request line and headers, without the blank line that ends them (added here) */
  head: string;
  /** sent right after the head (a string is sent as UTF-8) */
  body?: string | Uint8Array;
  /** close our side this many ms after sending, without reading an answer */
  closeAfterMs?: number;
  /** how long to wait for an answer (default 5 s) */
  waitMs?: number;
};

/** Sends one raw request to 127.0.0.1:`port` and reads the answer (the whole of it when it has a
 * Content-Length, else what arrived before the server closed or `waitMs` ran out). */
export function rawRequest(port: number, req: RawRequest): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (why: "silent" | "closed" | "complete") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0)
        return resolve({ status: text ? "closed" : why === "silent" ? "silent" : "closed", head: text, body: "" });
      const head = text.slice(0, split);
      resolve({ status: Number(head.split(" ")[1]), head, body: text.slice(split + 4) });
    };
    const timer = setTimeout(() => finish("silent"), req.waitMs ?? 5000);
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(s) {
          s.write(req.head.replace(/\r?\n?$/, "") + "\r\n\r\n");
          if (req.body !== undefined) s.write(req.body);
          if (req.closeAfterMs !== undefined) setTimeout(() => s.end(), req.closeAfterMs);
        },
        data(s, d) {
          chunks.push(Buffer.from(d));
          const text = Buffer.concat(chunks).toString("latin1");
          const split = text.indexOf("\r\n\r\n");
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, split));
          if (split >= 0 && length && text.length - split - 4 >= Number(length[1])) {
            s.end();
            finish("complete");
          }
        },
        close: () => finish("closed"),
        error: () => finish("closed"),
        connectError: () => finish("closed"),
      },
    });
  });
}

/** A request head: `POST path HTTP/1.1` with a Host and the given headers. */
export const rawHead = (method: string, path: string, headers: Record<string, string>) =>
  [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join(
    "\r\n",
  );
