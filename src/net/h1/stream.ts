// The body of a response of the HTTP/1.1 client as a ReadableStream fed from the socket, with a bound:
// it holds at most HIGH_WATER bytes the reader has not taken; beyond that the socket is paused
// (socket.pause(): the kernel's buffers fill and TCP flow control slows the upstream) and it is
// resumed when the reader pulls again.
import type { Socket } from "bun";

const HIGH_WATER = 256 * 1024;

export class BodyStream {
  readonly stream: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private paused = false;
  private over = false;

  /** `onCancel`: the reader gave up. The exchange pushes what came with the head, as all the rest. */
  constructor(
    private readonly socket: () => Socket<unknown> | null,
    onCancel: () => void,
  ) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => this.resume(),
        cancel: () => {
          this.over = true;
          onCancel();
        },
      },
      { highWaterMark: HIGH_WATER, size: (chunk) => chunk?.byteLength ?? 0 },
    );
  }

  push = (bytes: Uint8Array): void => {
    this.controller?.enqueue(bytes);
  };

  pauseIfFull(): void {
    const c = this.controller;
    if (c && !this.paused && !this.over && (c.desiredSize ?? 1) <= 0) {
      this.paused = true;
      this.socket()?.pause();
    }
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket()?.resume();
  }

  close(): void {
    if (this.over) return;
    this.over = true;
    this.resume();
    this.controller?.close();
  }

  error(e: unknown): void {
    if (this.over) return;
    this.over = true;
    this.controller?.error(e);
  }
}
