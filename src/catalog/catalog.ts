// The price catalog this binary carries: data.json, written at build time by scripts/price-catalog.ts
// from @pydantic/genai-prices and hand-prices.ts (nothing is fetched at run time). Prices are integer
// micro-USD per 1M tokens (or per call). Tests may hand a server another catalog file
// (APIYI_TEST_PRICE_CATALOG, honoured only when NODE_ENV=test) to play a newer binary.
import { readFileSync } from "node:fs";
import { z } from "zod";
import data from "./data.json";

const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

const Entry = z.object({
  model: z.string().min(1).max(200),
  /** the provider whose price it is (a vendor, or an aggregator that filled the name) */
  provider: z.string(),
  /** that provider's model id (the name itself, or the id it is an alias of) */
  id: z.string(),
  input: micros,
  output: micros,
  cached_input: micros,
  cache_write: micros,
  per_call: micros,
  /** the upstream has context tiers: this is the base tier's price */
  tiered: z.boolean().optional(),
});

export const CatalogSchema = z.object({
  version: z.string().min(1),
  source: z.string(),
  resolved_at: z.string(),
  counts: z.record(z.string(), z.number()),
  entries: z.array(Entry),
  unmapped: z.array(z.object({ provider: z.string(), id: z.string(), reason: z.string() })),
});

export type CatalogEntry = z.infer<typeof Entry>;
export type Catalog = z.infer<typeof CatalogSchema>;

export const BUILTIN_CATALOG = data as Catalog;

const indexes = new WeakMap<Catalog, ReadonlyMap<string, CatalogEntry>>();

/** The catalog's entries by model name (built once per catalog). */
export function catalogIndex(catalog: Catalog): ReadonlyMap<string, CatalogEntry> {
  let index = indexes.get(catalog);
  if (!index) indexes.set(catalog, (index = new Map(catalog.entries.map((e) => [e.model, e]))));
  return index;
}

/** The catalog a process uses: the built-in one, or (tests) the file given. */
export function loadCatalog(file: string | undefined): Catalog {
  if (!file) return BUILTIN_CATALOG;
  return CatalogSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
