// Metering a stream without holding it: the last 8–16 KiB of events are kept (copied into one buffer)
// to find the usage event and the end marker; older events are reduced, a batch at a time, to their
// generated text, which is counted in 64 KiB batches and only matters when the upstream reports no
// usage (cut or abandoned streams, upstreams without stream usage). Each wire format has its own
// usage fields and end marker; Anthropic's input counts come first (message_start), so the first
// events are kept as well.
import { countTokens } from "../../core/tokenizer";
import { generatedText } from "../../core/text";
import type { Usage } from "../../core/billing";
import type { UsageReader } from "../wire/usage";

const KEEP_BYTES = 8 * 1024;
const HEAD_BYTES = 4 * 1024;
const COUNT_BATCH = 64 * 1024;

const decoder = new TextDecoder();

export class StreamMeter {
  /** the held bytes (the newest events, oldest first) in one buffer, copied in: no object per chunk,
   * and no network buffer pinned by a view */
  private buf = new Uint8Array(0);
  private len = 0;
  /** where each held chunk begins in `buf` (a chunk is whole events: a cut there is between events) */
  private starts: number[] = [];
  private spilledText = "";
  private spilledTokens: Promise<number>[] = [];
  private tailText: string | null = null;
  private head = "";

  constructor(private readonly usage: UsageReader) {}

  observe(chunk: Uint8Array) {
    if (this.head.length < HEAD_BYTES && this.usage.keepsHead)
      this.head += decoder.decode(chunk.subarray(0, HEAD_BYTES));
    if (this.len + chunk.byteLength > this.buf.byteLength) this.grow(this.len + chunk.byteLength);
    this.starts.push(this.len);
    this.buf.set(chunk, this.len);
    this.len += chunk.byteLength;
    if (this.len > 2 * KEEP_BYTES) this.spill();
  }

  /** 4 KiB first (most streams' whole tail), then at once the most it holds between spills: every
   * buffer is a native allocation the collector pays for, so as few as can be. */
  private grow(need: number) {
    const next = new Uint8Array(Math.max(need, this.buf.byteLength ? 2 * KEEP_BYTES + 1024 : 4096));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Reduces all but the newest KEEP_BYTES (and always the newest chunk) to text, in one decode. */
  private spill() {
    let keepFrom = this.starts.length - 1;
    while (keepFrom > 0 && this.len - (this.starts[keepFrom - 1] as number) <= KEEP_BYTES) keepFrom--;
    const cut = this.starts[keepFrom] as number;
    if (cut === 0) return;
    this.spilledText += generatedText(decoder.decode(this.buf.subarray(0, cut)));
    this.buf.copyWithin(0, cut, this.len);
    this.len -= cut;
    this.starts = this.starts.slice(keepFrom).map((at) => at - cut);
    if (this.spilledText.length > COUNT_BATCH) {
      this.spilledTokens.push(countTokens(this.spilledText));
      this.spilledText = "";
    }
  }

  /** The held bytes as text, in one decode. */
  private tail(): string {
    this.tailText ??= decoder.decode(this.buf.subarray(0, this.len));
    return this.tailText;
  }

  /** Did the upstream finish properly (its format's end marker)? */
  complete(): boolean {
    return this.usage.finished(this.tail());
  }

  /** The upstream's own usage, if it sent any. */
  reportedUsage(): Usage | null {
    return this.usage.fromStream(this.head, this.tail());
  }

  /** Completion tokens counted over everything delivered (for streams without usage, or cut ones). */
  async countedCompletion(): Promise<number> {
    const parts = await Promise.all([
      ...this.spilledTokens,
      countTokens(this.spilledText + generatedText(this.tail())),
    ]);
    return parts.reduce((a, b) => a + b, 0);
  }
}
