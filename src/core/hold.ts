// Sizing a usage hold, exact by construction. It covers the prompt and the output the call may
// produce: the call's own output limit (in whichever field its wire format uses), else the price's
// hold cap, which is then sent upstream as the call's limit. When the balance cannot cover that,
// the output is lowered to what the balance pays for (and that lower limit is sent upstream), as
// long as it leaves the call the least it needs: min_output_tokens, or for a call that asks the
// model to reason its thinking budget (or REASONING_ROOM) on top. Below that the call is refused,
// saying what it needs. Pure: numbers in, numbers out.
import { holdAmount, type PriceEntry } from "./billing";
import type { TokenEntry, UserEntry } from "./snapshot";

type Body = Record<string, unknown>;

/** Output room a reasoning call gets before its answer when it names no budget: Anthropic's least
 * thinking budget, and about what a low reasoning effort spends. */
export const REASONING_ROOM = 1024;

const positive = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;
const obj = (v: unknown): Body | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Body) : undefined;

/** The output limit the call asks for (max_tokens, max_completion_tokens, max_output_tokens or
 * Gemini's generationConfig.maxOutputTokens; the largest when it names several), or undefined. */
export function outputAsk(body: Body): number | undefined {
  let ask: number | undefined;
  for (const v of [
    body.max_tokens,
    body.max_completion_tokens,
    body.max_output_tokens,
    obj(body.generationConfig)?.maxOutputTokens,
  ]) {
    if (positive(v)) ask = Math.max(ask ?? 0, Math.ceil(v));
  }
  return ask;
}

/** The thinking the request asks for: its budget in tokens when it names one, "unsized" when it asks
 * to reason without a budget, null when it does not ask the model to reason. */
export function reasoningAsk(body: Body): number | "unsized" | null {
  const thinking = obj(body.thinking); // Anthropic: {type: "enabled", budget_tokens} or {type: "adaptive"}
  if (thinking && thinking.type !== "disabled")
    return positive(thinking.budget_tokens) ? thinking.budget_tokens : "unsized";
  const config = obj(obj(body.generationConfig)?.thinkingConfig); // Gemini
  if (config) {
    const budget = config.thinkingBudget;
    if (budget === 0) return null;
    return positive(budget) ? budget : "unsized"; // -1 is Gemini's "dynamic"
  }
  const reasoning = obj(body.reasoning); // Responses {effort}; OpenRouter-style chat {max_tokens | effort}
  if (reasoning) {
    if (positive(reasoning.max_tokens)) return reasoning.max_tokens;
    if (reasoning.effort !== undefined && reasoning.effort !== null && reasoning.effort !== "none") return "unsized";
  }
  const effort = body.reasoning_effort; // OpenAI chat
  if (typeof effort === "string" && effort !== "none") return "unsized";
  return null;
}

/** The least output the call needs to be of use: `minOutput` to answer, after its thinking when
 * it asks for any; never more than it asked for itself. */
export function leastOutput(body: Body, minOutput: number): { tokens: number; thinking: number } {
  const reasoning = reasoningAsk(body);
  const thinking = reasoning === null ? 0 : reasoning === "unsized" ? REASONING_ROOM : Math.ceil(reasoning);
  const ask = outputAsk(body);
  return { tokens: Math.min(thinking + minOutput, ask ?? Infinity), thinking };
}

/** What the call may take from: the smaller of the token's and the owner's balance (Infinity when
 * both are unlimited). */
export const available = (token: TokenEntry, user: UserEntry) =>
  Math.min(token.unlimitedQuota ? Infinity : token.remainQuota, user.unlimited ? Infinity : user.quota);

/**
 * The most output tokens per choice a usage hold of at most `amount` units covers next to a prompt
 * of `promptTokens` (n choices, multiplier m): the largest o with holdAmount(prompt, o) ≤ amount,
 * Infinity when output costs nothing, -1 when not even the prompt fits. Exact: holdAmount is
 * ceil(x / 2e12) with x = (prompt × input ceiling + n × o × output) × m, and ceil(x / d) ≤ A exactly
 * when x ≤ A × d.
 */
export function affordableOutput(
  amount: number,
  p: PriceEntry,
  multiplierMicros: number,
  promptTokens: number,
  n: number,
): number {
  if (amount === Infinity) return Infinity;
  if (holdAmount("usage", p, multiplierMicros, promptTokens, 0, n) > amount) return -1;
  const output = BigInt(p.output ?? 0);
  const m = BigInt(multiplierMicros);
  if (output === 0n || m === 0n) return Infinity;
  const inputCeiling = BigInt(Math.max(p.input ?? 0, p.cachedInput ?? p.input ?? 0, p.cacheWrite ?? p.input ?? 0));
  const room = BigInt(amount) * 2_000_000_000_000n - BigInt(promptTokens) * inputCeiling * m;
  const o = room / (BigInt(n) * output * m);
  return o > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(o);
}

/** How a usage call's output is held: the tokens held per choice, and the limit to send upstream
 * (null: the call's own ask stands). */
export type OutputPlan = { tokens: number; limit: number | null; lowered: boolean };

/**
 * The output a usage hold covers, given what the balance can pay for (`affordable`, from
 * affordableOutput) and the least the call needs; null when even that is beyond the balance.
 * `limitable`: the endpoint has an output limit to send (chat, completions, Responses, messages,
 * Gemini); others keep the old rule (the whole bound, or nothing). `held`: money is taken from a
 * balance at all (an unlimited token of an unlimited owner holds nothing, and is sent as it came).
 */
export function planOutput(o: {
  ask: number | undefined;
  holdCap: number;
  affordable: number;
  least: number;
  limitable: boolean;
  held: boolean;
}): OutputPlan | null {
  const want = o.ask ?? o.holdCap;
  if (o.affordable >= want)
    return { tokens: want, limit: o.ask === undefined && o.limitable && o.held ? want : null, lowered: false };
  if (!o.limitable || o.affordable < Math.min(o.least, want)) return null;
  return { tokens: o.affordable, limit: o.affordable, lowered: true };
}
