// /api/pricing: model prices. Every signed-in user reads them (with the groups that serve each model
// and API易's multipliers); admins set (create or replace) and remove them.
import { deletePrice, listPrices, PriceInput, setPrice } from "../services/prices";
import type { routeTable } from "./route";

export function pricingRoutes({ add }: ReturnType<typeof routeTable>) {
  const tag = "pricing";
  add(
    {
      method: "GET",
      path: "/api/pricing/",
      summary: "Prices of every model (USD per 1M tokens / per call), API易 multipliers, serving groups",
      tag,
      access: "user",
    },
    ({ ctx }) => listPrices(ctx),
  );
  add(
    {
      method: "POST",
      path: "/api/pricing/",
      summary:
        "Create or replace a model's price: {model, input, output, cached_input?, cache_write?, per_call?, hold_cap_tokens?}",
      tag,
      access: "admin",
      body: PriceInput,
      creates: true,
    },
    ({ ctx, body }) => setPrice(ctx, body),
  );
  add(
    {
      method: "DELETE",
      path: "/api/pricing/:model",
      summary: "Remove a model's price (the model can then not be called)",
      tag,
      access: "admin",
    },
    ({ ctx, params }) => deletePrice(ctx, decodeURIComponent(params.model)),
  );
}
