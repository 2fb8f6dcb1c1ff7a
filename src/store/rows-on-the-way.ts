// Log rows still being computed when a server stops (counting a stream's tokens may load the tokenizer):
// both ledgers wait for them, up to a deadline, before writing their last batch.
export class RowsOnTheWay {
  private expected = 0;

  /** A row is on its way; call the returned function once it was queued (or will never be). */
  expect(): () => void {
    this.expected++;
    let done = false;
    return () => {
      if (!done) this.expected--;
      done = true;
    };
  }

  /** Waits until every expected row was queued, or `until` (epoch ms) passed. */
  async arrived(until: number) {
    while (this.expected > 0 && Date.now() < until) await Bun.sleep(10);
  }
}
