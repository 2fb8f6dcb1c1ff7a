// Writes src/catalog/data.json, the price catalog the binary embeds: every model that
// @pydantic/genai-prices (a devDependency, pinned) knows, enumerated through findProvider over its
// provider ids, plus the hand-kept facts of src/catalog/hand-prices.ts, merged one price per name
// (src/core/catalog/merge.ts). Prices are resolved for today (src/core/catalog/convert.ts). The file
// is rewritten only when its prices change, so its version names its content.
// Usage: bun scripts/price-catalog.ts [--check]   (--check: exit 1 when data.json is out of date)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calcPrice, findProvider, waitForUpdate } from "@pydantic/genai-prices";
import { HAND_ALIASES, HAND_PRICES } from "../src/catalog/hand-prices";
import { mapPrice, type RawPrices } from "../src/core/catalog/convert";
import { mergeOffers, type Offer, vendorsOf } from "../src/core/catalog/merge";
import { derivedNames, directNames, type Match } from "../src/core/catalog/names";
import { parseMicros } from "../src/core/money";
import { priceInForce } from "../src/core/catalog/convert";

const OUT = join(import.meta.dir, "../src/catalog/data.json");
const pkg = JSON.parse(
  readFileSync(join(import.meta.dir, "../node_modules/@pydantic/genai-prices/package.json"), "utf8"),
);
const today = new Date();
const day = today.toISOString().slice(0, 10);

// the package exports no list: its provider ids come from the bundled data the updater starts from
const ids = ((await waitForUpdate()) ?? []).map((p) => p.id);
const offers: Offer[] = [];
const unmapped: { provider: string; id: string; reason: string }[] = [];
for (const providerId of ids) {
  const provider = findProvider({ providerId });
  if (!provider || provider.id !== providerId) throw new Error(`findProvider lost "${providerId}"`);
  for (const m of provider.models) {
    const mapped = mapPrice(priceInForce(m.prices as RawPrices, today));
    if (!mapped) {
      const keys = Object.keys(priceInForce(m.prices as RawPrices, today));
      unmapped.push({
        provider: providerId,
        id: m.id,
        reason: keys.length ? `priced by ${keys.join(", ")}` : "no price",
      });
      continue;
    }
    const direct = directNames(m.id, m.match as Match);
    offers.push({ provider: providerId, id: m.id, direct, derived: direct.flatMap(derivedNames), ...mapped });
  }
}

for (const a of HAND_ALIASES) {
  const hit = calcPrice({ input_tokens: 0, output_tokens: 0 }, a.model, { providerId: a.provider, timestamp: today });
  if (hit?.model.id !== a.id) throw new Error(`hand alias ${a.model}: the package prices it as ${hit?.model.id}`);
  const base = offers.find((o) => o.provider === a.provider && o.id === a.id);
  if (!base) throw new Error(`hand alias ${a.model}: no offer ${a.provider}/${a.id}`);
  offers.push({ ...base, direct: [a.model], derived: [] });
}

// a hand price fills what no vendor of the package lists (it outranks aggregators, as a vendor)
const byVendor = new Set(offers.flatMap((o) => o.direct.filter((n) => vendorsOf(n).includes(o.provider))));
const usd = (v: string | undefined) => (v === undefined ? null : parseMicros(v));
for (const h of HAND_PRICES) {
  if (byVendor.has(h.model)) throw new Error(`hand price ${h.model}: the package has the vendor price now; drop it`);
  const price = {
    input: usd(h.input),
    output: usd(h.output),
    cached_input: usd(h.cached_input),
    cache_write: usd(h.cache_write),
    per_call: usd(h.per_call),
  };
  offers.push({ provider: h.vendor, id: h.model, direct: [h.model], derived: [], price, tiered: false });
}

const merged = mergeOffers(offers, ["openrouter", ...ids.filter((id) => id !== "openrouter")]);
const entries = merged.map((e) => {
  const out: Record<string, unknown> = { model: e.model, provider: e.provider, id: e.id };
  for (const [k, v] of Object.entries(e.price)) if (v !== null) out[k] = v;
  if (e.tiered) out.tiered = true;
  return out;
});
const counts: Record<string, number> = {};
for (const e of merged) counts[e.provider] = (counts[e.provider] ?? 0) + 1;

const hash = createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 10);
let old: { version?: string } = {};
try {
  old = JSON.parse(readFileSync(OUT, "utf8"));
} catch {}
const current = old.version?.endsWith(hash) ? old.version : `${day.replaceAll("-", "")}.${hash}`;
const catalog = {
  version: current,
  source: `@pydantic/genai-prices ${pkg.version} (MIT) + src/catalog/hand-prices.ts`,
  resolved_at: current === old.version ? (old as { resolved_at: string }).resolved_at : day,
  counts: Object.fromEntries(Object.entries(counts).sort(([, a], [, b]) => b - a)),
  entries,
  unmapped,
};
const text = `${JSON.stringify(catalog, null, 0).replace(/\},\{"model"/g, '},\n{"model"')}\n`;
const stale = readFileSyncSafe(OUT) !== text;
if (process.argv.includes("--check")) {
  console.log(stale ? "data.json is out of date: bun scripts/price-catalog.ts" : `data.json is current (${current})`);
  process.exit(stale ? 1 : 0);
}
if (stale) writeFileSync(OUT, text);
console.log(
  `${catalog.version}: ${entries.length} names from ${offers.length} offers (${ids.length} providers); ${unmapped.length} models not mapped`,
);

function readFileSyncSafe(path: string) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
