// Amounts people type in the console (a token's quota, a top-up, a threshold) are in their currency
// (dollars, or yuan at the operator's rate): each becomes whole quota units, rounded down, so nobody
// is credited more than they typed. A field left as it was shown keeps its stored units exactly (a
// rate like 7.3 would otherwise round an untouched amount on every save).
import { invalidField } from "../errors";
import type { Translator } from "../i18n";

/** `typed` in the reader's currency → quota units; `was`: the units the field was filled with. */
export function typedUnits(t: Translator, field: string, typed: string, was?: number): number {
  const text = typed.trim();
  if (was !== undefined && text === t.moneyValue(was)) return was;
  try {
    return t.parseMoney(text);
  } catch (e) {
    throw invalidField(field, (e as Error).message);
  }
}
