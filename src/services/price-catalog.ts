// The price catalog against the price table: first start prices every catalog model; later, an admin
// sees what this binary's catalog would change (new models, changed prices, and where the admin's
// own price or removal differs) and applies all of it or chosen models. An admin's price is never
// replaced unless the admin names the model.
import { z } from "zod";
import { type CatalogEntry, catalogIndex } from "../catalog/catalog";
import type { MicroPrice } from "../core/catalog/convert";
import { APPLIED_BY_ALL, catalogDiff, pickPrice, samePrice, type TablePrice } from "../core/catalog/diff";
import { LEGACY_SEED_PRICES } from "../core/catalog/legacy-seed";
import { formatMicros, parseMicros } from "../core/money";
import type { PriceRow } from "../db/schema";
import { invalidField, keyed } from "../errors";
import type { Ctx } from "./context";
import { readSettings } from "./settings";

const SEEDED = "prices_seeded";
/** the catalog version last applied in full ("legacy-seed": a table upgraded from before the catalog) */
const VERSION = "price_catalog_version";
/** catalog models whose price an admin deleted: an apply of "all" leaves them out */
const REMOVED = "price_catalog_removed";

export const CatalogApply = z.object({
  models: z
    .union([z.literal("all"), z.array(z.string().trim().min(1).max(200)).min(1).max(10_000)])
    .describe('"all", or the model names to take the catalog price of'),
});

export const entryPrice = (e: CatalogEntry): MicroPrice => pickPrice(e);

export const rowPrice = (r: PriceRow): MicroPrice =>
  pickPrice({
    input: r.inputMicros,
    output: r.outputMicros,
    cached_input: r.cachedInputMicros,
    cache_write: r.cacheWriteMicros,
    per_call: r.perCallMicros,
  });

export const removedModels = async (ctx: Ctx) =>
  new Set(((await ctx.store.settings.get(REMOVED)) as string[] | undefined) ?? []);

async function setRemoved(ctx: Ctx, models: Set<string>) {
  await ctx.store.settings.set(REMOVED, [...models].sort());
}

/** An admin deleted a price: a catalog model stays out of "apply all" from now on. */
export async function noteRemoved(ctx: Ctx, model: string) {
  if (!catalogIndex(ctx.catalog).has(model)) return;
  await setRemoved(ctx, (await removedModels(ctx)).add(model));
}

/** An admin priced a model again, or applied its catalog price: it is no longer a removal. */
export async function forgetRemoved(ctx: Ctx, models: string[]) {
  const removed = await removedModels(ctx);
  if (models.some((m) => removed.delete(m))) await setRemoved(ctx, removed);
}

async function writeCatalogPrices(ctx: Ctx, entries: CatalogEntry[]) {
  const holdCapTokens = readSettings(ctx).default_hold_cap_tokens;
  await ctx.store.prices.putMany(
    entries.map((e) => ({
      model: e.model,
      inputMicros: e.input ?? null,
      outputMicros: e.output ?? null,
      cachedInputMicros: e.cached_input ?? null,
      cacheWriteMicros: e.cache_write ?? null,
      perCallMicros: e.per_call ?? null,
      holdCapTokens,
      source: "catalog",
    })),
  );
}

/** Seeded rows of a table from before the catalog that an admin never edited become the catalog's;
 * seeded models an admin deleted count as removed. */
async function adoptLegacySeed(ctx: Ctx) {
  const usd = (v: string | undefined) => (v === undefined ? null : parseMicros(v));
  const unedited: string[] = [];
  const removed = await removedModels(ctx);
  for (const s of LEGACY_SEED_PRICES) {
    const row = await ctx.store.prices.get(s.model);
    if (!row) removed.add(s.model);
    else if (
      samePrice(rowPrice(row), {
        input: usd(s.input),
        output: usd(s.output),
        cached_input: usd(s.cached_input),
        cache_write: usd(s.cache_write),
        per_call: usd(s.per_call),
      })
    )
      unedited.push(s.model);
  }
  await ctx.store.prices.markCatalog(unedited);
  await setRemoved(ctx, removed);
}

/** At every start: the first prices every catalog model; a table from before the catalog is adopted
 * once (its diff is then the admin's to apply). */
export async function seedPrices(ctx: Ctx) {
  if (await ctx.store.settings.has(VERSION)) return;
  await ctx.tx(async () => {
    if (await ctx.store.settings.has(SEEDED)) {
      await adoptLegacySeed(ctx);
      await ctx.store.settings.set(VERSION, "legacy-seed");
    } else {
      await writeCatalogPrices(ctx, ctx.catalog.entries);
      await ctx.store.settings.set(SEEDED, true);
      await ctx.store.settings.set(VERSION, ctx.catalog.version);
    }
  });
  await ctx.snapshot.reloadPrices();
}

const usdView = (p: MicroPrice) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null ? null : formatMicros(v)])) as Record<
    keyof MicroPrice,
    string | null
  >;

async function diffNow(ctx: Ctx) {
  const table = new Map<string, TablePrice>(
    (await ctx.store.prices.all()).map((r) => [
      r.model,
      { ...rowPrice(r), source: r.source === "catalog" ? "catalog" : "admin" },
    ]),
  );
  const catalog = ctx.catalog.entries.map((e) => ({ model: e.model, price: entryPrice(e) }));
  return { table, ...catalogDiff(catalog, table, await removedModels(ctx)) };
}

/** The catalog, where the table's prices come from, and what applying it would change. */
export async function catalogStatus(ctx: Ctx) {
  const { table, items, same } = await diffNow(ctx);
  const byModel = catalogIndex(ctx.catalog);
  const sources = { catalog: 0, admin: 0 };
  for (const row of table.values()) sources[row.source]++;
  const count = (kind: string) => items.filter((i) => i.kind === kind).length;
  return {
    version: ctx.catalog.version,
    resolved_at: ctx.catalog.resolved_at,
    source: ctx.catalog.source,
    models: ctx.catalog.entries.length,
    applied_version: ((await ctx.store.settings.get(VERSION)) as string | undefined) ?? null,
    prices: { total: table.size, ...sources },
    summary: { same, new: count("new"), changed: count("changed"), admin: count("admin"), removed: count("removed") },
    diff: items.map((i) => ({
      model: i.model,
      kind: i.kind,
      applied_by_all: APPLIED_BY_ALL.has(i.kind),
      provider: byModel.get(i.model)?.provider ?? "",
      catalog: usdView(i.catalog),
      current: i.current && usdView(i.current),
    })),
  };
}

/** Applies the catalog: "all" (new models and changed catalog prices) or the models named, whatever
 * their kind (an admin's price or removal included). Unknown names are refused before anything is
 * written. */
export async function applyCatalog(ctx: Ctx, models: "all" | string[]) {
  const byModel = catalogIndex(ctx.catalog);
  if (models !== "all") {
    if (models.length === 0) throw invalidField("models", keyed("error.catalog.none"));
    const unknown = models.find((m) => !byModel.has(m));
    if (unknown !== undefined) throw invalidField("models", keyed("error.catalog.unknown", { model: unknown }));
  }
  const applied = await ctx.tx(async () => {
    const { items } = await diffNow(ctx);
    const chosen =
      models === "all"
        ? items.filter((i) => APPLIED_BY_ALL.has(i.kind))
        : items.filter((i) => models.includes(i.model));
    const entries = chosen.map((i) => byModel.get(i.model)!);
    await writeCatalogPrices(ctx, entries);
    if (models === "all") await ctx.store.settings.set(VERSION, ctx.catalog.version);
    else {
      // a named model already at the catalog's price may still be the admin's: it becomes the catalog's
      await ctx.store.prices.markCatalog(models);
      await forgetRemoved(ctx, models);
    }
    return entries.map((e) => e.model);
  });
  await ctx.snapshot.reloadPrices();
  return { applied: applied.length, models: applied, version: ctx.catalog.version };
}
