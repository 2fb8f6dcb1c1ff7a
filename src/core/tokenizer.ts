// Token counting with o200k_base, loaded on first use only: a gateway whose upstreams report usage
// never needs the vocabulary. src/core/o200k/ counts exactly as gpt-tokenizer's countTokens(text)
// does, from a 1.6 MB file in typed arrays instead of gpt-tokenizer's 200k-string Map.
type Counter = (text: string) => number;

/** countTokens over a counter made on first use: load runs once, and not for empty text. */
export function lazyCount(load: () => Promise<Counter>): (text: string) => Promise<number> {
  let counter: Promise<Counter> | null = null;
  return async (text) => {
    if (!text) return 0;
    counter ??= load();
    return (await counter)(text);
  };
}

export const countTokens = lazyCount(() => import("./o200k/load").then((m) => m.o200kCounter()));
