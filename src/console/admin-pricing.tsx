/** @jsxImportSource @kitajs/html */
// /admin/pricing: the price list (searchable, 50 a page, each price's source: catalog or admin), New/Edit
// in a dialog, delete, and JSON both ways:
// GET /admin/pricing.json downloads the list; POST /admin/pricing/import takes a JSON array (as the
// request body, or pasted into the dialog), checks every entry first, then sets them all. Every word is
// in the reader's language; prices stay in US dollars.
import { ImportDialog, PriceDialog, PriceRow, PriceTable } from "../../views/console/admin-pricing";
import { AppError, invalidField, keyed, notFound } from "../errors";
import type { Ctx } from "../services/context";
import { readPage } from "../services/paging";
import { catalogStatus } from "../services/price-catalog";
import { deletePrice, listPrices, PriceInput, setPrice, setPrices } from "../services/prices";
import { validate } from "../services/validate";
import { fromDialog, num, oobNewRow, oobRow, type AdminTable } from "./admin-kit";
import { first, type Form } from "./route";

const MAX_IMPORT = 10_000;
/** The shape an import takes, as a refusal shows it (code: the same in every language). */
const IMPORT_SHAPE = '[{"model": "…", "input": "…", "output": "…"}, …]';

/** One price as the table shows it (with the groups that serve the model). */
async function findPrice(ctx: Ctx, model: string) {
  const p = (await listPrices(ctx)).items.find((x) => x.model === model);
  if (!p) throw notFound(keyed("error.price.notFound", { model }));
  return p;
}

const prices = (f: Form) => ({
  input: first(f.input).trim(),
  output: first(f.output).trim(),
  cached_input: first(f.cached_input).trim(),
  cache_write: first(f.cache_write).trim(),
  per_call: first(f.per_call).trim(),
  hold_cap_tokens: num(f.hold_cap_tokens),
});

/** The list as export gives it and import takes it: what can be set, nothing derived. */
export const exportPrices = async (ctx: Ctx) =>
  (await listPrices(ctx)).items.map(
    ({ model, input, output, cached_input, cache_write, per_call, hold_cap_tokens, video }) => ({
      model,
      input,
      output,
      cached_input,
      cache_write,
      per_call,
      hold_cap_tokens,
      ...(video ? { video } : {}),
    }),
  );

/** The entries of an import: the JSON body itself, or the dialog's pasted text. */
function importEntries(form: Form | unknown[]): unknown[] {
  let data: unknown = form;
  if (!Array.isArray(form)) {
    try {
      data = JSON.parse(first(form.json));
    } catch (e) {
      throw invalidField("json", keyed("error.import.badJson", { detail: (e as Error).message }));
    }
  }
  if (!Array.isArray(data)) throw invalidField("json", keyed("error.import.notArray", { example: IMPORT_SHAPE }));
  if (data.length === 0) throw invalidField("json", keyed("error.import.empty"));
  if (data.length > MAX_IMPORT) throw invalidField("json", keyed("error.import.tooMany", { max: MAX_IMPORT }));
  return data;
}

/** Every entry is checked before any is written; a bad one is named by position, model and field. */
function checkEntries(entries: unknown[]) {
  entries.forEach((entry, i) => {
    const model =
      typeof entry === "object" && entry !== null && typeof (entry as { model?: unknown }).model === "string"
        ? (entry as { model: string }).model
        : "";
    try {
      const p = validate(PriceInput, entry);
      if (p.input === null && p.output === null && p.per_call === null && (p.video ?? null) === null)
        throw invalidField("input", keyed("error.price.none"));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const problem = e.text ?? e.message;
      const n = i + 1;
      const said = model
        ? keyed("error.import.entryModel", { n, model, problem })
        : keyed("error.import.entry", { n, problem });
      throw new AppError(e.status, e.code, said, e.param);
    }
  });
}

export function adminPricingPages({ page, action, fragment, get }: AdminTable) {
  page(
    "/admin/pricing",
    { title: ({ t }) => t("adminPricing.title"), admin: true },
    async ({ ctx, query, path, t }) => {
      const all = (await listPrices(ctx)).items;
      const keyword = (query.keyword ?? "").trim();
      const matching = keyword ? all.filter((p) => p.model.toLowerCase().includes(keyword.toLowerCase())) : all;
      const page = readPage({ p: query.p }, 50);
      const { summary } = await catalogStatus(ctx);
      return PriceTable({
        path,
        rows: matching.slice(page.offset, page.offset + page.size),
        matching: matching.length,
        total: all.length,
        page: page.p,
        size: page.size,
        keyword,
        pending: summary.new + summary.changed,
        t,
      }) as string;
    },
  );
  get(
    "/admin/pricing.json",
    async ({ ctx }) =>
      new Response(JSON.stringify(await exportPrices(ctx), null, 2), {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-disposition": 'attachment; filename="apiyi-prices.json"',
          "cache-control": "no-store",
        },
      }),
  );
  fragment("/admin/pricing/new", ({ t }) => PriceDialog({ t }) as string);
  fragment("/admin/pricing/import", ({ t }) => ImportDialog({ t }) as string);
  fragment(
    "/admin/pricing/model/:model/edit",
    async ({ ctx, params, t }) => PriceDialog({ p: await findPrice(ctx, params.model), t }) as string,
  );

  action("POST", "/admin/pricing", { admin: true }, ({ ctx, form, t }) =>
    fromDialog(async () => {
      const model = first(form.model).trim();
      if (model && (await listPrices(ctx)).items.some((p) => p.model === model))
        throw invalidField("model", t.t("adminPricing.exists", { model }));
      const p = await findPrice(ctx, (await setPrice(ctx, { model, ...prices(form) })).model);
      return {
        html: oobNewRow("price-rows", PriceRow({ p, t }) as string),
        toast: t.t("adminPricing.toast.set", { model: p.model }),
        closeDialog: true,
      };
    }),
  );
  action("POST", "/admin/pricing/model/:model", { admin: true }, ({ ctx, form, params, t }) =>
    fromDialog(async () => {
      await findPrice(ctx, params.model);
      const p = await findPrice(ctx, (await setPrice(ctx, { model: params.model, ...prices(form) })).model);
      return { html: oobRow(PriceRow({ p, t }) as string), toast: t.t("adminPricing.toast.saved"), closeDialog: true };
    }),
  );
  action("DELETE", "/admin/pricing/model/:model", { admin: true }, async ({ ctx, params, t }) => {
    await deletePrice(ctx, params.model);
    return { html: "", toast: t.t("adminPricing.toast.deleted", { model: params.model }) };
  });
  action("POST", "/admin/pricing/import", { admin: true }, ({ ctx, form, shown, t }) =>
    fromDialog(async () => {
      const entries = importEntries(form as Form | unknown[]);
      checkEntries(entries);
      await setPrices(ctx, entries);
      const n = entries.length;
      // the list shown again, with the imported prices where they fall
      const back = shown.pathname === "/admin/pricing" ? shown.pathname + shown.search : "/admin/pricing";
      const toast = n === 1 ? t.t("adminPricing.toast.imported1") : t.t("adminPricing.toast.imported", { count: n });
      return { toast, closeDialog: true, redirect: back };
    }),
  );
}
