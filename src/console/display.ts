// POST /account/display: the language, currency and time zone a person reads the console in
// (services/users.setDisplay validates them). The page reloads, so every word follows at once.
import type { DisplayView } from "../../views/console/display-settings";
import type { Ctx } from "../services/context";
import { readSettings } from "../services/settings";
import { setDisplay } from "../services/users";
import { first, type consoleTable } from "./route";

/** The card's values for the signed-in person. */
export async function displayView(ctx: Ctx, userId: number): Promise<DisplayView> {
  const u = await ctx.store.users.byId(userId);
  const s = readSettings(ctx);
  return {
    language: u?.language ?? "",
    currency: u?.currency ?? "",
    time_zone: u?.timeZone ?? "",
    serverCurrency: s.display_currency,
    rate: s.usd_to_cny,
  };
}

export function displayActions({ action }: ReturnType<typeof consoleTable>) {
  action("POST", "/account/display", {}, async ({ ctx, user, form }) => {
    await setDisplay(ctx, user, {
      language: first(form.language),
      currency: first(form.currency),
      time_zone: first(form.time_zone),
    });
    return { redirect: "/account" };
  });
}
