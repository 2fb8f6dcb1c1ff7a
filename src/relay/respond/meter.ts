// Metering a stream without holding it: the last 8 KiB of events are kept by reference (no copy)
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
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private spilledText = "";
  private spilledTokens: Promise<number>[] = [];
  private tailText: string | null = null;
  private head = "";

  constructor(private readonly usage: UsageReader) {}

  observe(chunk: Uint8Array) {
    if (this.head.length < HEAD_BYTES && this.usage.keepsHead)
      this.head += decoder.decode(chunk.subarray(0, HEAD_BYTES));
    // a copy: the chunk may be a small view of a large network buffer that holding it would pin
    this.held.push(chunk.slice());
    this.heldBytes += chunk.byteLength;
    if (this.heldBytes > 2 * KEEP_BYTES) this.spill();
  }

  /** Reduces all but the newest KEEP_BYTES (and always the newest chunk) to text, in one decode. */
  private spill() {
    let keepFrom = this.held.length - 1;
    let kept = this.held[keepFrom].byteLength;
    while (keepFrom > 0 && kept + this.held[keepFrom - 1].byteLength <= KEEP_BYTES)
      kept += this.held[--keepFrom].byteLength;
    const old = this.held.splice(0, keepFrom);
    this.heldBytes = kept;
    this.spilledText += generatedText(decoder.decode(Buffer.concat(old)));
    if (this.spilledText.length > COUNT_BATCH) {
      this.spilledTokens.push(countTokens(this.spilledText));
      this.spilledText = "";
    }
  }

  /** The held chunks as text: each decoded apart and joined (no copy into one buffer), which is exact
   * because every chunk the relay observes ends at an event's end, never inside a character. */
  private tail(): string {
    this.tailText ??=
      this.held.length === 1 ? decoder.decode(this.held[0]) : this.held.map((c) => decoder.decode(c)).join("");
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
