// The hold policy of one call, pure: the multiplier it is held at (the highest among the key's groups
// that serve the model), the bound of its prompt (its UTF-8 bytes plus framing, free, since every
// token is at least one byte; its counted tokens only when the byte bound is not affordable or would
// lower the output), and the amount and output plan that follow (core/hold.ts); or, when the balance
// cannot cover the least the call needs, the refusal saying what it would need. Per-call prices hold
// their price × n. The counter and the balances are handed in: no I/O, no clock.
import type { AppError } from "../errors";
import { holdAmount, type BillingKind, type PriceEntry } from "./billing";
import { affordableOutput, available, planOutput, type OutputPlan } from "./hold";
import { refusals } from "./refusals";
import type { TokenEntry, UserEntry } from "./snapshot";

/** Tokens of message framing a prompt's bound adds to its text: a fixed part, and a part per turn. */
export const FRAMING = 16;
export const FRAMING_PER_TURN = 4;

/** The hold's multiplier: the highest among the groups that have a channel for the model (0: none). */
export function holdMultiplier(
  routes: ReadonlyMap<string, ReadonlyMap<string, readonly unknown[]>>,
  groupsByName: ReadonlyMap<string, { multiplierMicros: number }>,
  groups: readonly string[],
  model: string,
): number {
  let m = 0;
  for (const g of groups) {
    if (routes.get(g)?.get(model)?.length) m = Math.max(m, groupsByName.get(g)?.multiplierMicros ?? 1_000_000);
  }
  return m;
}

/** The turns of a prompt in any wire format (messages, Gemini contents, Responses input), else 1. */
export const promptTurns = (body: Record<string, unknown>) =>
  ([body.messages, body.contents, body.input].find(Array.isArray) as unknown[] | undefined)?.length ?? 1;

export type HoldCase = {
  kind: BillingKind;
  price: PriceEntry;
  /** the hold's multiplier, millionths (holdMultiplier) */
  multiplier: number;
  /** choices asked for */
  n: number;
  /** the output limit the call names (core/hold.ts outputAsk), if any */
  ask: number | undefined;
  /** the least output the call needs (core/hold.ts leastOutput) */
  least: { tokens: number; thinking: number };
  /** the endpoint has an output limit to send upstream */
  limitable: boolean;
};

/** The prompt as the policy sees it: its text's bytes, its turns, and its counted tokens on demand. */
export type PromptSize = { bytes: number; turns: number; tokens: () => Promise<number> };

/** The hold to take: its amount, what that covers (in words, for a refusal), the output plan (null
 * for per-call prices), the prompt's bound it was sized at (null for per-call prices) and whether
 * that bound is the counted prompt (else its bytes), and the framing that bound includes (worked out
 * for per-call prices too: a tokens-per-minute limit bounds their prompt the same way). */
export type HoldSize = {
  amount: number;
  covers: string;
  out: OutputPlan | null;
  promptBound: number | null;
  counted: boolean;
  framing: number;
};

/** Sizes the hold against the balances as they are at each step (`live`: they may change while the
 * prompt is counted). */
export async function sizeHold(
  c: HoldCase,
  prompt: PromptSize,
  live: () => { token: TokenEntry; user: UserEntry },
): Promise<HoldSize | AppError> {
  const { kind, price: p, multiplier: m, n } = c;
  const framing = FRAMING + FRAMING_PER_TURN * prompt.turns;
  if (kind === "per_call")
    return {
      amount: holdAmount(kind, p, m, 0, 0, n),
      covers: `the per-call price${n > 1 ? ` × ${n}` : ""}`,
      out: null,
      promptBound: null,
      counted: false,
      framing,
    };
  const plan = (promptBound: number) => {
    const { token, user } = live();
    const amount = available(token, user);
    // the usual case, the whole bound fits, costs one plain-number hold amount
    const fits = amount === Infinity || holdAmount(kind, p, m, promptBound, c.ask ?? p.holdCapTokens, n) <= amount;
    const affordable = fits ? Infinity : affordableOutput(amount, p, m, promptBound, n);
    return planOutput({
      ask: c.ask,
      holdCap: p.holdCapTokens,
      affordable,
      least: c.least.tokens,
      limitable: c.limitable,
      held: amount !== Infinity,
    });
  };
  let promptBound = prompt.bytes + framing;
  let out = plan(promptBound);
  let counted = false;
  if (!out || out.lowered) {
    counted = true;
    // the byte bound is not affordable: the counted prompt may be
    promptBound = (await prompt.tokens()) + framing;
    out = plan(promptBound);
  }
  if (out)
    return {
      amount: holdAmount(kind, p, m, promptBound, out.tokens, n),
      covers: `a prompt of at most ${promptBound} tokens and ${out.tokens} output tokens`,
      out,
      promptBound,
      counted,
      framing,
    };
  const want = c.ask ?? p.holdCapTokens;
  const tokens = c.limitable ? Math.min(c.least.tokens, want) : want;
  const thinking = c.least.thinking && c.limitable ? `, ${c.least.thinking} of them to think` : "";
  const covers = `a prompt of at most ${promptBound} tokens and ${n > 1 ? `${n} × ` : ""}${tokens} output tokens${thinking}`;
  const needs = holdAmount(kind, p, m, promptBound, tokens, n);
  const { token, user } = live();
  const what = !token.unlimitedQuota && token.remainQuota < needs ? "token" : "user";
  return refusals.insufficientQuota(what, { left: what === "token" ? token.remainQuota : user.quota, needs, covers });
}
