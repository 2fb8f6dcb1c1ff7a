// One request and its response on a connection of the HTTP/1.1 client: writes the request, reads the
// head (1xx interim answers skipped, at most 64 KiB), then resolves with a genuine Response: the body's
// bytes directly when they all came with the head, else a bounded stream fed from the socket
// (net/h1/stream.ts), or, when the caller asked for it (DIRECT_BODY) and the answer is a 2xx, the
// chunks through a source without a stream (net/h1/source.ts).
// The connection goes back to the pool once the body was read to its end; it is closed instead on
// `connection: close`, a parse error, a cancelled body, an abort, or bytes beyond the response.
import { type BodyDecoder, bodyDecoder } from "./body";
import type { Conn, ConnUser } from "./conn";
import { closedEarly, type H1Error, h1Error, parseError } from "./errors";
import { type Head, parseHead } from "./head";
import { release } from "./pool";
import type { Prepared } from "./request";
import { type BodySink, codingOf, decodedSink, decodeWhole } from "./coding";
import { PushSource } from "./source";
import { BodyStream } from "./stream";

const MAX_HEAD = 64 * 1024;
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export type Outcome = { response: Response } | { error: H1Error; retryable: boolean };

export class Exchange implements ConnUser {
  /** bytes of the response received so far (0: the connection may have been stale) */
  received = 0;
  private partial: Buffer | null = null;
  private head: Head | null = null;
  private decoder: BodyDecoder | null = null;
  /** where the body goes (through a decoder when the reply is compressed) */
  private sink: BodySink | null = null;
  private finished = false;
  /** told once when the exchange is over (body read, failed or aborted) */
  onFinished: (() => void) | null = null;
  /** resolved once, at the head or on a failure before it */
  private settle: ((o: Outcome) => void) | null;

  constructor(
    private readonly conn: Conn,
    private readonly p: Prepared,
    settle: (o: Outcome) => void,
  ) {
    this.settle = settle;
    conn.uses++;
    if (conn.closed) {
      // closed between leaving the pool and now: as if it closed as the request went out
      queueMicrotask(() => this.onClose(null));
      return;
    }
    conn.user = this;
    conn.write(p.head);
    if (p.body) conn.write(p.body);
  }

  onData(buf: Buffer): void {
    this.received += buf.length;
    try {
      if (!this.head) this.readHead(buf);
      else this.readBody(buf);
    } catch (e) {
      this.fail(e as H1Error);
    }
  }

  private readHead(buf: Buffer): void {
    let data = this.partial ? Buffer.concat([this.partial, buf]) : buf;
    let from = this.partial ? Math.max(0, this.partial.length - 3) : 0;
    for (;;) {
      // empty lines before a status line are skipped (as llhttp does; RFC 9112 §2.2's robustness)
      while (data[0] === 13 && data[1] === 10) {
        data = data.subarray(2);
        from = Math.max(0, from - 2);
      }
      const end = data.indexOf("\r\n\r\n", from, "latin1");
      if (end < 0) {
        if (data.length > MAX_HEAD) throw parseError("HPE_HEADER_OVERFLOW", "header section over 64 KiB");
        this.partial = data;
        return;
      }
      if (end > MAX_HEAD) throw parseError("HPE_HEADER_OVERFLOW", "header section over 64 KiB");
      this.partial = null;
      const head = parseHead(data.toString("latin1", 0, end), this.p.method);
      data = data.subarray(end + 4);
      if (head.status === 101) throw h1Error("NotSupported", "the upstream switched protocols (101): not supported");
      if (head.status >= 200) {
        this.start(head, data);
        return;
      }
      from = 0;
      if (data.length === 0) return; // an interim answer (100 Continue, 103): the real one follows
    }
  }

  private start(head: Head, rest: Buffer): void {
    if (head.status > 599) throw parseError("HPE_INVALID_STATUS", "status code over 599");
    this.head = head;
    this.decoder = bodyDecoder(head);
    const init = { status: head.status, statusText: head.statusText, headers: head.fields };
    if (!this.decoder || NULL_BODY.has(head.status)) {
      this.answer(new Response(null, init));
      if (this.decoder) this.readBody(rest);
      else this.end(rest);
      return;
    }
    const parts: Uint8Array[] = [];
    const used = this.decoder.feed(rest, (b) => parts.push(b));
    const coding = codingOf(head.fields);
    const socket = () => this.conn.socket;
    const cancelled = () => this.fail(h1Error("Cancelled", "the body was cancelled"), true);
    // asked for chunks (a 2xx of the relay's): chunks, even when the whole body came with the head
    const asChunks = this.p.direct && head.status < 300;
    if (this.decoder.done && !asChunks) {
      const whole = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
      const bytes = (coding ? decodeWhole(coding, whole) : whole) as Uint8Array<ArrayBuffer>;
      this.answer(new Response(bytes, init));
      this.end(rest.subarray(used));
      return;
    }
    const source = asChunks ? new PushSource(socket, cancelled) : null;
    const stream = source ? null : new BodyStream(socket, cancelled);
    const target = (source ?? stream) as BodySink;
    this.sink = coding ? decodedSink(coding, target) : target;
    for (const part of parts) this.sink.push(part);
    this.answer(source ? source.answer(init) : new Response((stream as BodyStream).stream, init));
    if (this.decoder.done) {
      this.sink.close();
      this.end(rest.subarray(used));
    } else this.sink.pauseIfFull();
  }

  private readBody(buf: Buffer): void {
    const d = this.decoder as BodyDecoder;
    const sink = this.sink;
    const used = d.feed(buf, sink ? sink.push : () => {});
    if (d.done) {
      sink?.close();
      this.end(buf.subarray(used));
      return;
    }
    sink?.pauseIfFull();
  }

  private answer(response: Response): void {
    const s = this.settle;
    this.settle = null;
    s?.({ response });
  }

  private finish(): void {
    this.finished = true;
    const f = this.onFinished;
    this.onFinished = null;
    f?.();
  }

  /** The response was read to its end; `extra`: bytes after it (nobody asked for them). */
  private end(extra: Uint8Array): void {
    this.finish();
    const head = this.head as Head;
    release(this.conn, !head.close && extra.length === 0 && this.conn.flushed);
  }

  /** Ends in failure: the connection is closed; before the head the promise rejects, after it the body
   * errors (with `error`: an abort's reason is given as it is, as fetch does). */
  fail(error: unknown, quiet = false): void {
    if (this.finished) return;
    this.finish();
    this.conn.user = null;
    this.conn.destroy();
    const s = this.settle;
    this.settle = null;
    if (s) s({ error: error as H1Error, retryable: false });
    else if (!quiet) this.sink?.error(error);
  }

  onClose(error: H1Error | null): void {
    if (this.finished) return;
    this.finish();
    if (this.head && this.decoder?.endsAtClose) {
      this.sink?.close();
      return;
    }
    const e = this.head ? closedEarly() : (error ?? closedEarly());
    const s = this.settle;
    this.settle = null;
    if (s) s({ error: e, retryable: this.retryable(error) });
    else this.sink?.error(e);
  }

  /** A reused connection that closed before any byte of the answer: the keep-alive race. */
  private retryable(error: H1Error | null): boolean {
    if (this.conn.uses < 2 || this.received > 0) return false;
    if (this.p.idempotent) return true;
    // not idempotent (POST): only when the peer closed before taking the whole request, or reset it
    // (a server that closed an idle connection just as the request went out never read it)
    const code = error?.code ?? "";
    return this.conn.lostWrite || code === "ECONNRESET" || code === "EPIPE";
  }
}
