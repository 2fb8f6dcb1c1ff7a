/** @jsxImportSource @kitajs/html */
// /admin/pricing/catalog: the catalog's diff against the price table (filtered by kind and model,
// 100 a page) and its apply: all (new and changed catalog prices) or the models ticked. Every word is
// in the reader's language.
import { CatalogPage } from "../../views/console/admin-price-catalog";
import { readPage } from "../services/paging";
import { applyCatalog, catalogStatus } from "../services/price-catalog";
import type { Translator } from "../i18n";
import type { AdminTable } from "./admin-kit";
import { all, first } from "./route";

export function adminPriceCatalogPages({ page, action }: AdminTable) {
  const opts = { title: ({ t }: Translator) => t("priceCatalog.title"), admin: true };
  page("/admin/pricing/catalog", opts, async ({ ctx, query, path, t }) => {
    const status = await catalogStatus(ctx);
    const kind = query.kind ?? "";
    const keyword = (query.keyword ?? "").trim().toLowerCase();
    const matching = status.diff.filter(
      (d) => (!kind || d.kind === kind) && (!keyword || d.model.toLowerCase().includes(keyword)),
    );
    const p = readPage({ p: query.p }, 100);
    return CatalogPage({
      ...status,
      path,
      rows: matching.slice(p.offset, p.offset + p.size),
      matching: matching.length,
      page: p.p,
      size: p.size,
      kind,
      keyword: query.keyword ?? "",
      t,
    }) as string;
  });
  action("POST", "/admin/pricing/catalog/apply", { admin: true }, async ({ ctx, form, shown, t }) => {
    const r = await applyCatalog(ctx, first(form.scope) === "all" ? "all" : all(form.model));
    const back = shown.pathname === "/admin/pricing/catalog" ? shown.pathname + shown.search : "/admin/pricing/catalog";
    const toast =
      r.applied === 1 ? t.t("priceCatalog.toast.applied1") : t.t("priceCatalog.toast.applied", { count: r.applied });
    return { toast, redirect: back };
  });
}
