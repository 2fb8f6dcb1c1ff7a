// The 24 list prices (USD per 1M tokens, or per call) that apiyi seeded at first start before it had
// a price catalog. A table upgraded from then whose row still equals its seed took it from apiyi, not
// from an admin: those rows count as the catalog's, and seeded models missing from it as removed.
export type SeedPrice = {
  model: string;
  input?: string;
  output?: string;
  cached_input?: string;
  cache_write?: string;
  per_call?: string;
};

export const LEGACY_SEED_PRICES: SeedPrice[] = [
  // OpenAI
  { model: "gpt-5", input: "1.25", output: "10", cached_input: "0.125" },
  { model: "gpt-5-mini", input: "0.25", output: "2", cached_input: "0.025" },
  { model: "gpt-5-nano", input: "0.05", output: "0.4", cached_input: "0.005" },
  { model: "gpt-4.1", input: "2", output: "8", cached_input: "0.5" },
  { model: "gpt-4.1-mini", input: "0.4", output: "1.6", cached_input: "0.1" },
  { model: "gpt-4.1-nano", input: "0.1", output: "0.4", cached_input: "0.025" },
  { model: "gpt-4o", input: "2.5", output: "10", cached_input: "1.25" },
  { model: "gpt-4o-mini", input: "0.15", output: "0.6", cached_input: "0.075" },
  { model: "o3", input: "2", output: "8", cached_input: "0.5" },
  { model: "o4-mini", input: "1.1", output: "4.4", cached_input: "0.275" },
  { model: "text-embedding-3-small", input: "0.02" },
  { model: "text-embedding-3-large", input: "0.13" },
  { model: "dall-e-3", per_call: "0.04" },
  { model: "gpt-image-1", per_call: "0.042" },
  // Anthropic (cache writes: 1.25 × input, the 5-minute cache)
  { model: "claude-opus-4-1", input: "15", output: "75", cached_input: "1.5", cache_write: "18.75" },
  { model: "claude-sonnet-4-5", input: "3", output: "15", cached_input: "0.3", cache_write: "3.75" },
  { model: "claude-haiku-4-5", input: "1", output: "5", cached_input: "0.1", cache_write: "1.25" },
  { model: "claude-haiku-4-5-20251001", input: "1", output: "5", cached_input: "0.1", cache_write: "1.25" },
  // Google
  { model: "gemini-2.5-pro", input: "1.25", output: "10", cached_input: "0.31" },
  { model: "gemini-2.5-flash", input: "0.3", output: "2.5", cached_input: "0.075" },
  { model: "gemini-2.5-flash-lite", input: "0.1", output: "0.4", cached_input: "0.025" },
  { model: "imagen-4", per_call: "0.04" },
  // DeepSeek
  { model: "deepseek-chat", input: "0.27", output: "1.1", cached_input: "0.07" },
  { model: "deepseek-reasoner", input: "0.55", output: "2.19", cached_input: "0.14" },
];
