// `apiyi price set`, `apiyi price list` and `apiyi price catalog`: model prices from the terminal.
import { applyCatalog, CatalogApply, catalogStatus } from "../services/price-catalog";
import { listPrices, setPrice } from "../services/prices";
import { validate } from "../services/validate";
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
      const p = await setPrice(ctx, input);
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
      for (const p of (await listPrices(ctx)).items) {
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

export const priceCatalog: Command = {
  name: "price catalog",
  summary:
    "Show the price catalog this binary carries, where prices come from (catalog or admin), and what it would change; --apply applies it.",
  usage: "[--apply all|MODEL,MODEL…] [--json] [--data-dir DIR]",
  options: { apply: { type: "string" }, json: { type: "boolean" }, ...DATA_OPTIONS },
  flagNames: { models: "--apply" },
  help: [
    "  --apply all       take the new models and the changed catalog prices (an admin's price stays)",
    "  --apply M1,M2     take the catalog price of these models, an admin's price or removal included",
    "  --json            print the status (or the apply's result) as JSON",
    DATA_HELP,
  ],
  async run(flags) {
    await withData(flags, async (ctx) => {
      if (typeof flags.apply === "string") {
        const names = flags.apply.split(",").map((m) => m.trim());
        const r = await applyCatalog(
          ctx,
          flags.apply.trim() === "all" ? "all" : validate(CatalogApply, { models: names }).models,
        );
        if (flags.json) return console.log(JSON.stringify(r, null, 2));
        return console.log(`applied catalog ${r.version} to ${r.applied} ${r.applied === 1 ? "model" : "models"}`);
      }
      const s = await catalogStatus(ctx);
      if (flags.json) return console.log(JSON.stringify(s, null, 2));
      const n = s.summary;
      console.log(`catalog ${s.version} (resolved ${s.resolved_at}; ${s.source}): ${s.models} models`);
      console.log(`last applied in full: ${s.applied_version ?? "never"}`);
      console.log(`prices: ${s.prices.total} (${s.prices.catalog} from the catalog, ${s.prices.admin} set by admins)`);
      console.log(
        `diff: ${n.new} new, ${n.changed} changed, ${n.admin} where an admin's price differs, ${n.removed} removed by an admin; ${n.same} agree`,
      );
      const price = (p: Record<string, string | null> | null) =>
        p
          ? `in ${p.input ?? "-"} out ${p.output ?? "-"} cached ${p.cached_input ?? "-"} per call ${p.per_call ?? "-"}`
          : "none";
      for (const d of s.diff)
        console.log(
          [d.kind, d.model, price(d.current), "→", price(d.catalog), d.applied_by_all ? "" : "(by name only)"].join(
            "\t",
          ),
        );
      if (s.diff.length) console.log("apply: apiyi price catalog --apply all   (or --apply MODEL,MODEL…)");
    });
  },
};
