// `apiyi price set` and `apiyi price list`: model prices from the terminal.
import { listPrices, setPrice } from "../services/prices";
import { type Command, requireFlag } from "./args";
import { DATA_HELP, DATA_OPTIONS, withData } from "./open";

export const priceSet: Command = {
  name: "price set",
  summary: "Create or replace a model's price (USD per 1M tokens, or per call).",
  usage:
    "--model M [--input X] [--output Y] [--cached-input Z] [--cache-write W] [--per-call P] [--hold-cap N] [--data-dir DIR]",
  options: {
    model: { type: "string" },
    input: { type: "string" },
    output: { type: "string" },
    "cached-input": { type: "string" },
    "cache-write": { type: "string" },
    "per-call": { type: "string" },
    "hold-cap": { type: "string" },
    ...DATA_OPTIONS,
  },
  flagNames: {
    model: "--model",
    input: "--input",
    output: "--output",
    cached_input: "--cached-input",
    cache_write: "--cache-write",
    per_call: "--per-call",
    hold_cap_tokens: "--hold-cap",
  },
  help: [
    "  --input X         USD per 1M input tokens",
    "  --output Y        USD per 1M output tokens",
    "  --cached-input Z  USD per 1M cached input tokens (default: the input price)",
    "  --cache-write W   USD per 1M prompt-cache write tokens, Anthropic (default: the input price)",
    "  --per-call P      USD per call (per image for image generation)",
    "  --hold-cap N      most output tokens a hold reserves for (default 8192)",
    DATA_HELP,
  ],
  async run(flags) {
    const holdCap = flags["hold-cap"];
    const input = {
      model: requireFlag(flags, "model"),
      input: flags.input,
      output: flags.output,
      cached_input: flags["cached-input"],
      cache_write: flags["cache-write"],
      per_call: flags["per-call"],
      hold_cap_tokens: typeof holdCap === "string" && /^\d+$/.test(holdCap) ? Number(holdCap) : holdCap,
    };
    await withData(flags, async (ctx) => {
      const p = setPrice(ctx, input);
      console.log(
        `${p.model}: input ${p.input ?? "-"}, output ${p.output ?? "-"}, cached ${p.cached_input ?? "-"}, cache write ${p.cache_write ?? "-"}, per call ${p.per_call ?? "-"}`,
      );
    });
  },
};

export const priceList: Command = {
  name: "price list",
  summary:
    "List model prices: model, input, output, cached input (USD per 1M), per call (USD), cache write (USD per 1M).",
  usage: "[--data-dir DIR]",
  options: { ...DATA_OPTIONS },
  help: [DATA_HELP],
  async run(flags) {
    await withData(flags, async (ctx) => {
      for (const p of listPrices(ctx).items) {
        console.log(
          [
            p.model,
            p.input ?? "-",
            p.output ?? "-",
            p.cached_input ?? "-",
            p.per_call ?? "-",
            p.cache_write ?? "-",
          ].join("\t"),
        );
      }
    });
  },
};
