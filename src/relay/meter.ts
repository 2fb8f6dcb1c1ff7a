// Metering a stream without holding it: the last 64 KiB of events are kept by reference (no copy)
// to find the usage event and the end marker; older events are reduced to their generated text,
// which is counted in 64 KiB batches and only matters when the upstream reports no usage.
import { countTokens } from "../core/tokenizer";
import { generatedText } from "../core/text";
import { usageFromText, type Usage } from "../core/usage";

const KEEP_BYTES = 64 * 1024;
const decoder = new TextDecoder();

export class StreamMeter {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private spilledText = "";
  private spilledTokens: Promise<number>[] = [];

  observe(chunk: Uint8Array) {
    this.held.push(chunk);
    this.heldBytes += chunk.byteLength;
    while (this.heldBytes > KEEP_BYTES && this.held.length > 1) {
      const old = this.held.shift()!;
      this.heldBytes -= old.byteLength;
      this.spilledText += generatedText(decoder.decode(old));
      if (this.spilledText.length > KEEP_BYTES) {
        this.spilledTokens.push(countTokens(this.spilledText));
        this.spilledText = "";
      }
    }
  }

  private tail(): string {
    return this.held.map((c) => decoder.decode(c)).join("");
  }

  /** Did the upstream finish properly ([DONE] or a finish_reason)? */
  complete(): boolean {
    const tail = this.tail();
    return tail.includes("[DONE]") || /"finish_reason":\s*"/.test(tail);
  }

  /** The upstream's own usage, if it sent any. */
  reportedUsage(): Usage | null {
    return usageFromText(this.tail());
  }

  /** Completion tokens counted over everything delivered (for streams without usage, or cut ones). */
  async countedCompletion(): Promise<number> {
    const parts = await Promise.all([...this.spilledTokens, countTokens(this.spilledText + generatedText(this.tail()))]);
    return parts.reduce((a, b) => a + b, 0);
  }
}
