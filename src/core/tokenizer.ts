// Token counting with o200k_base (gpt-tokenizer), loaded on first use only: its tables cost about
// 80 MB of memory, which a gateway whose upstreams report usage never needs to pay.
type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;

export async function countTokens(text: string): Promise<number> {
  if (!text) return 0;
  counter ??= import("gpt-tokenizer/encoding/o200k_base").then((m) => m.countTokens as Counter);
  return (await counter)(text);
}
