// Model prices: admins set and remove them (an admin's price is marked as such; a removal of a catalog
// model is remembered); every signed-in user reads them with the groups that
// serve each model. USD amounts arrive as decimals (≤ 6 places) and are kept as micro-USD integers.
import { z } from "zod";
import { apiyiMultipliers, priceEntry } from "../core/billing";
import { formatMicros, parseMicros } from "../core/money";
import { parseVideoPrice, videoPriceJson } from "../core/video/price";
import type { PriceRow } from "../db/schema";
import { invalidField, keyed, notFound } from "../errors";
import type { Ctx } from "./context";
import { forgetRemoved, noteRemoved } from "./price-catalog";
import { readSettings } from "./settings";
import { validate } from "./validate";

const usd = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, c) => {
    if (v === null || v === undefined || v === "") return null;
    try {
      return parseMicros(v);
    } catch (e) {
      c.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });

export const PriceInput = z.object({
  model: z.string().trim().min(1).max(200),
  input: usd.describe("USD per 1M input tokens"),
  output: usd.describe("USD per 1M output tokens"),
  cached_input: usd.describe("USD per 1M cached input tokens (default: the input price)"),
  cache_write: usd.describe("USD per 1M prompt-cache write tokens, Anthropic-style (default: the input price)"),
  per_call: usd.describe("USD per call (per image for image generation)"),
  hold_cap_tokens: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .optional()
    .describe(
      "output tokens a hold covers, and the output limit sent upstream, for a call that names no limit (default 8,192)",
    ),
  video: z
    .unknown()
    .optional()
    .describe(
      'a video model\'s price: {"per_second": "0.30", "sizes": {"1792x1024": "0.50"}, "default_seconds": 8, "max_seconds": 20} or {"per_video": "1.00"}',
    ),
});

const usdText = (micros: number | null) => (micros === null ? null : formatMicros(micros));

export function priceView(r: PriceRow, groups: string[] = []) {
  const p = priceEntry(r);
  return {
    model: r.model,
    input: usdText(r.inputMicros),
    output: usdText(r.outputMicros),
    cached_input: usdText(r.cachedInputMicros ?? r.inputMicros),
    cache_write: usdText(r.cacheWriteMicros ?? r.inputMicros),
    per_call: usdText(r.perCallMicros),
    hold_cap_tokens: r.holdCapTokens,
    video: p.video ? videoPriceJson(p.video) : null,
    /** "catalog": the binary's price catalog; "admin": set by an admin (the catalog never replaces it) */
    source: r.source === "catalog" ? "catalog" : "admin",
    billing: [p.input !== null || p.output !== null ? "usage" : null, p.perCall !== null ? "per_call" : null].filter(
      Boolean,
    ),
    ...apiyiMultipliers(p),
    groups,
  };
}

function writePrice(ctx: Ctx, input: unknown) {
  const p = validate(PriceInput, input);
  const video = p.video === undefined || p.video === null ? null : parseVideoPrice(p.video);
  if (p.input === null && p.output === null && p.per_call === null && !video) {
    throw invalidField("input", keyed("error.price.none"));
  }
  return ctx.store.prices.put({
    model: p.model,
    inputMicros: p.input,
    outputMicros: p.output,
    cachedInputMicros: p.cached_input,
    cacheWriteMicros: p.cache_write,
    perCallMicros: p.per_call,
    holdCapTokens: p.hold_cap_tokens ?? readSettings(ctx).default_hold_cap_tokens,
    video: video ? JSON.stringify(videoPriceJson(video)) : null,
    source: "admin",
  });
}

/** Sets many prices in one transaction and one reload (an import of thousands stays fast). */
export async function setPrices(ctx: Ctx, inputs: unknown[]) {
  const rows = await ctx.tx(async () => {
    const written = [];
    for (const input of inputs) written.push(await writePrice(ctx, input));
    return written;
  });
  await forgetRemoved(
    ctx,
    rows.map((r) => r.model),
  );
  await ctx.snapshot.reloadPrices();
  return rows;
}

export async function setPrice(ctx: Ctx, input: unknown) {
  return priceView((await setPrices(ctx, [input]))[0]);
}

export async function deletePrice(ctx: Ctx, model: string) {
  if (!(await ctx.store.prices.delete(model))) throw notFound(keyed("error.price.notFound", { model }));
  await noteRemoved(ctx, model);
  await ctx.snapshot.reloadPrices();
}

/** Every priced model with its prices and the groups (with a channel for it) that serve it. */
export async function listPrices(ctx: Ctx) {
  const routes = ctx.snapshot.current.routes;
  const items = (await ctx.store.prices.all()).map((r) => {
    const groups = [...routes].filter(([, byModel]) => byModel.has(r.model)).map(([g]) => g);
    return priceView(r, groups.sort());
  });
  return { items, total: items.length, page: 1, page_size: items.length };
}
