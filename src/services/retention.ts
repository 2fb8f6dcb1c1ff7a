// Log retention: call detail rows older than log_retention_days go, in small batches so the
// database is never locked for long; top-ups, adjustments and the daily rollups stay, so balances
// still reconcile and long-range totals stay right.
import type { Ctx } from "./context";
import { readSettings } from "./settings";

const BATCH = 5_000;

export async function pruneLogs(ctx: Ctx, now = Date.now()): Promise<number> {
  const days = readSettings(ctx).log_retention_days;
  if (days <= 0) return 0;
  const before = now - days * 86_400_000;
  let total = 0;
  for (;;) {
    const n = await ctx.store.logs.pruneCalls(before, BATCH);
    total += n;
    if (n < BATCH) return total;
    await Bun.sleep(0); // let calls in between
  }
}
