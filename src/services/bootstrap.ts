// First start: seed settings from flags/env and, when there is no user at all, create "admin" with
// APIYI_ADMIN_PASSWORD or a random password that is returned to be printed once. No default password.
import type { Config } from "../config";
import { randomBase62 } from "../core/keys";
import { USER_ROLE } from "../core/status";
import type { Ctx } from "./context";
import { seedPrices } from "./price-catalog";
import { seedSettings } from "./settings";
import { seedVideoPrices } from "./video-prices";
import { createUser } from "./users";

export async function bootstrap(ctx: Ctx, config: Config): Promise<{ adminPassword: string | null }> {
  await seedSettings(ctx, config);
  await seedPrices(ctx);
  await seedVideoPrices(ctx);
  if ((await ctx.store.users.count()) > 0) return { adminPassword: null };
  const password = config.adminPassword ?? randomBase62(20);
  // the operator's own account: an unlimited balance, so they are never blocked by their own billing
  await createUser(ctx, { username: "admin", password, role: USER_ROLE.admin }, { unlimited: true });
  return { adminPassword: config.adminPassword ? null : password };
}
