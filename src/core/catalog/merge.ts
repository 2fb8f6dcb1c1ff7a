// The merge rule: one price per client-facing name when several providers list it. The model's own
// vendor wins (OpenAI for gpt-*, Anthropic for claude-*…); a name no vendor lists is filled by the
// others, OpenRouter first, then the rest in a fixed order; names derived from an id (its org cut
// off, lower case) only fill names nobody lists as such.
import type { MicroPrice } from "./convert";

/** Name patterns of each vendor, by the catalog's provider id (hand-kept vendors included). */
const VENDORS: [string, RegExp][] = [
  [
    "openai",
    /^(gpt-|chatgpt-|o\d(-|$)|dall-e|text-embedding-(3|ada)|text-davinci|davinci|babbage|curie|ada$|whisper|tts-|codex-|omni-moderation|text-moderation|computer-use|sora)/i,
  ],
  ["anthropic", /^claude/i],
  ["google", /^(gemini|gemma|imagen|veo|learnlm)/i],
  ["deepseek", /^deepseek/i],
  ["x-ai", /^grok/i],
  [
    "mistral",
    /^(labs-)?(mistral|ministral|codestral|devstral|magistral|pixtral|mixtral|voxtral|open-mistral|open-mixtral)/i,
  ],
  ["moonshotai", /^(kimi|moonshot)/i],
  ["zai", /^(glm|chatglm|cogview|cogvideo)/i],
  ["zhipuai", /^(glm|chatglm|cogview|cogvideo)/i],
  ["minimax", /^(minimax|abab)/i],
  ["cohere", /^(command|embed-|rerank-|c4ai-aya|aya-)/i],
  ["voyageai", /^voyage-/i],
  ["perplexity", /^(sonar|r1-1776|llama-3\.1-sonar)/i],
  ["azure", /^(phi-|mai-ds)/i],
  ["alibaba", /^(qwen|qwq|qvq)/i],
  ["volcengine", /^(doubao|seedance|seedream)/i],
];

/** The vendors whose own name `model` is (usually one; GLM has two: Z.AI and Zhipu). */
export const vendorsOf = (model: string) => VENDORS.filter(([, re]) => re.test(model)).map(([id]) => id);

/** One provider's offer of one model: the names it answers to and its price. */
export type Offer = {
  provider: string;
  id: string;
  direct: string[];
  derived: string[];
  price: MicroPrice;
  tiered: boolean;
};

export type Merged = { model: string; provider: string; id: string; price: MicroPrice; tiered: boolean };

/** 0: the vendor lists the name; 1: another provider lists it; 2: derived from a listed id. */
function rank(provider: string, model: string, direct: boolean) {
  if (!direct) return 2;
  return vendorsOf(model).includes(provider) ? 0 : 1;
}

/**
 * One entry per name, sorted by name. Ties within a rank go to the provider earlier in `order`
 * (then the offer listed first); providers not in `order` come after it, in the order met.
 */
export function mergeOffers(offers: Offer[], order: string[] = []): Merged[] {
  const place = (p: string) => {
    const i = order.indexOf(p);
    return i < 0 ? order.length : i;
  };
  const best = new Map<string, { key: [number, number, number]; entry: Merged }>();
  offers.forEach((o, n) => {
    const names: [string, boolean][] = [...o.direct.map((d) => [d, true] as [string, boolean])];
    for (const d of o.derived) names.push([d, false]);
    for (const [model, direct] of names) {
      const key: [number, number, number] = [rank(o.provider, model, direct), place(o.provider), n];
      const held = best.get(model);
      if (held && !before(key, held.key)) continue;
      best.set(model, { key, entry: { model, provider: o.provider, id: o.id, price: o.price, tiered: o.tiered } });
    }
  });
  return [...best.values()].map((b) => b.entry).sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

const before = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};
