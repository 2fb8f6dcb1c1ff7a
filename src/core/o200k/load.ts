// Loads the o200k_base vocabulary file (embedded in the compiled binary like the web assets) and
// makes the token counter over it. Imported on the first count only (src/core/tokenizer.ts).
import vocabPath from "./o200k.bin" with { type: "file" };
import { tokenCounter } from "./count";
import { Vocab } from "./vocab";

export async function o200kCounter(): Promise<(text: string) => number> {
  return tokenCounter(new Vocab(await Bun.file(vocabPath).bytes()));
}
