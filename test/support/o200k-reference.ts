// Test support for the o200k counter: gpt-tokenizer's countTokens, with no special token disallowed
// (their text counts as text), as the reference, and a check that ours gives the same number, or
// throws the same error, for a text.
import { expect } from "bun:test";
import { countTokens as reference } from "gpt-tokenizer/encoding/o200k_base";
import { countTokens } from "../../src/core/tokenizer";

/** The count, or the error message when counting throws. */
async function outcome(count: () => number | Promise<number>): Promise<number | string> {
  try {
    return await count();
  } catch (e) {
    return (e as Error).message;
  }
}

export async function expectSameCount(text: string): Promise<void> {
  const ours = await outcome(() => countTokens(text));
  const theirs = await outcome(() => reference(text, { disallowedSpecial: new Set() }));
  if (ours !== theirs) expect({ text, ours }).toEqual({ text, ours: theirs });
}
