// /api/pricing: model prices. Every signed-in user reads them (with the groups that serve each model
// and API易's multipliers); admins set (create or replace) and remove them, see what this binary's
// price catalog would change, and apply it (all, or chosen models).
import { applyCatalog, catalogStatus, CatalogApply } from "../services/price-catalog";
import { deletePrice, listPrices, PriceInput, setPrice } from "../services/prices";
import { validate } from "../services/validate";
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
        "Create or replace a model's price: {model, input, output, cached_input?, cache_write?, per_call?, hold_cap_tokens?, video?} (video: per second, by size, or per video)",
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
  add(
    {
      method: "GET",
      path: "/api/pricing/catalog",
      summary:
        "The binary's price catalog: its version, where the table's prices come from (catalog or admin), and the diff it would apply",
      tag,
      access: "admin",
    },
    ({ ctx }) => catalogStatus(ctx),
  );
  add(
    {
      method: "POST",
      path: "/api/pricing/catalog/apply",
      summary:
        "Apply the catalog: {models: \"all\"} (new models and changed catalog prices; admins' prices stay) or {models: [names]} (those models, an admin's price included)",
      tag,
      access: "admin",
      body: CatalogApply,
    },
    ({ ctx, body }) => applyCatalog(ctx, validate(CatalogApply, body).models),
  );
}
