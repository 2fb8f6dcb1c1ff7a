// Hand-kept facts the package @pydantic/genai-prices lacks, read by scripts/price-catalog.ts when it
// writes data.json (the binary embeds data.json, not this file). Each price names the vendor page it
// was read from; USD per 1M tokens, or per call (per image). A name the package also prices is an
// error at build time: drop the entry here once the package has it.
//
// Looked for and not found in a source we could read (so not here, rather than guessed):
// - Doubao (Volcengine Ark): the official price page (volcengine.com/docs/82379/1544106) lists CNY
//   prices we could not read in full, and BytePlus ModelArk's USD list was not reachable;
// - video models (Sora, Veo, Seedance, Kling): billed per second of video, which a per-call price
//   cannot state, and apiyi has no video endpoint yet;
// - Qwen models beyond the three flagships: the model list page's price tables were not readable.

export type HandPrice = {
  model: string;
  /** the vendor, as a provider id of the catalog */
  vendor: string;
  input?: string;
  output?: string;
  cached_input?: string;
  cache_write?: string;
  per_call?: string;
  source: string;
};

/** A name clients send that the package's match rule covers with a prefix only (so the build cannot
 * list it): priced as `id` of `provider`, checked at build time against the package's own matching. */
export type HandAlias = { model: string; provider: string; id: string; source: string };

const QWEN = "https://www.alibabacloud.com/help/en/model-studio/billing-for-model-studio";
const OPENAI = "https://platform.openai.com/docs/pricing";
const GEMINI = "https://ai.google.dev/gemini-api/docs/pricing";
const ANTHROPIC = "https://docs.anthropic.com/en/docs/about-claude/models/overview";

export const HAND_PRICES: HandPrice[] = [
  // Alibaba Cloud Model Studio, international (Singapore): the flagships' lowest tier; cache hits
  // at 40% of the input price
  { model: "qwen-max", vendor: "alibaba", input: "1.6", output: "6.4", cached_input: "0.64", source: QWEN },
  { model: "qwen-plus", vendor: "alibaba", input: "0.4", output: "1.2", cached_input: "0.16", source: QWEN },
  { model: "qwen-turbo", vendor: "alibaba", input: "0.05", output: "0.2", cached_input: "0.02", source: QWEN },
  // images, per image at the standard size and quality (1024×1024)
  { model: "dall-e-3", vendor: "openai", per_call: "0.04", source: OPENAI },
  { model: "dall-e-2", vendor: "openai", per_call: "0.02", source: OPENAI },
  { model: "imagen-4", vendor: "google", per_call: "0.04", source: GEMINI },
  { model: "imagen-4.0-generate-001", vendor: "google", per_call: "0.04", source: GEMINI },
  { model: "imagen-4.0-fast-generate-001", vendor: "google", per_call: "0.02", source: GEMINI },
  { model: "imagen-4.0-ultra-generate-001", vendor: "google", per_call: "0.06", source: GEMINI },
];

/** Anthropic's dated snapshot ids, which Claude Code and the SDKs send. */
export const HAND_ALIASES: HandAlias[] = [
  ["claude-3-haiku-20240307", "claude-3-haiku"],
  ["claude-3-opus-20240229", "claude-3-opus-latest"],
  ["claude-3-5-sonnet-20240620", "claude-3-5-sonnet"],
  ["claude-3-5-sonnet-20241022", "claude-3-5-sonnet"],
  ["claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"],
  ["claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest"],
  ["claude-sonnet-4-20250514", "claude-sonnet-4-0"],
  ["claude-opus-4-1-20250805", "claude-opus-4-1"],
  ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
  ["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
  ["claude-opus-4-5-20251101", "claude-opus-4-5"],
].map(([model, id]) => ({ model, provider: "anthropic", id, source: ANTHROPIC }));
