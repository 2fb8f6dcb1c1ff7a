// Seeds the video models' prices (src/catalog/video-prices.ts) once per list version: a model that
// has no price row gets its vendor's per-second price (source "catalog"); a model an admin priced, or
// deleted from the price table after an earlier seed, is left as it is.
import { VIDEO_SEED_VERSION, VIDEO_SEEDS } from "../catalog/video-prices";
import { parseVideoPrice, videoPriceJson } from "../core/video/price";
import type { Ctx } from "./context";
import { removedModels } from "./price-catalog";

const SEEDED = "video_prices_seeded";

export async function seedVideoPrices(ctx: Ctx) {
  if ((await ctx.store.settings.get(SEEDED)) === VIDEO_SEED_VERSION) return;
  const removed = await removedModels(ctx);
  await ctx.tx(async () => {
    for (const seed of VIDEO_SEEDS) {
      if (removed.has(seed.model) || (await ctx.store.prices.get(seed.model))) continue;
      await ctx.store.prices.put({
        model: seed.model,
        inputMicros: null,
        outputMicros: null,
        cachedInputMicros: null,
        cacheWriteMicros: null,
        perCallMicros: null,
        video: JSON.stringify(videoPriceJson(parseVideoPrice(seed.video))),
        source: "catalog",
      });
    }
    await ctx.store.settings.set(SEEDED, VIDEO_SEED_VERSION);
  });
  await ctx.snapshot.reloadPrices();
}
