/** @jsxImportSource @kitajs/html */
// /admin/pricing: the price table (USD per 1M tokens and per call), the edit dialog, and JSON
// import/export. Every word from the reader's catalog; the prices stay in US dollars whatever the
// reader's currency (they are the upstreams' list prices), and say so with "$".
import { formatMicros } from "../../src/core/money";
import { VideoRate, videoRateOf } from "./video-rate";
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, DialogErrorSlot } from "./admin-kit";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, Pager, Rich, RowMenu } from "./kit";
import type { PriceView } from "./models";

/** A row id safe in any selector: model names hold "/", ".", ":" and more. */
export const priceRowId = (model: string) => `price-${Buffer.from(model).toString("hex")}`;
const modelPath = (model: string) => `/admin/pricing/model/${encodeURIComponent(model)}`;
/** A price as the table shows it: US dollars, as the upstreams list them, whatever the reader's currency. */
export const dollars = (v: string | null) => (v === null ? "—" : `$${v}`);

/** Where a price comes from, as a badge with its explanation. */
function SourceBadge(props: { source: string; t: Translator }) {
  const { t } = props.t;
  const catalog = props.source === "catalog";
  return (
    <span
      class={catalog ? "badge info" : "badge ok"}
      title={t(catalog ? "adminPricing.source.catalogTitle" : "adminPricing.source.adminTitle")}
      safe
    >
      {t(catalog ? "adminPricing.source.catalog" : "adminPricing.source.admin")}
    </span>
  );
}

export function PriceRow(props: { p: PriceView; t: Translator }) {
  const { p, t: tr } = props;
  const { t } = tr;
  return (
    <tr id={priceRowId(p.model)}>
      <td class="name" safe>
        {p.model}
      </td>
      {[p.input, p.output, p.cached_input, p.cache_write].map((v) => (
        <td class="num" safe>
          {dollars(v)}
        </td>
      ))}
      {p.per_call === null && p.video ? (
        <td class="num">
          <VideoRate v={videoRateOf(p.video)!} t={tr} money={(m) => `$${formatMicros(m)}`} />
        </td>
      ) : (
        <td class="num" safe>
          {dollars(p.per_call)}
        </td>
      )}
      <td class="num" safe>
        {tr.num(p.hold_cap_tokens)}
      </td>
      <td>
        <SourceBadge source={p.source} t={tr} />
      </td>
      <td>
        {p.groups.length ? (
          <span safe>{p.groups.join(", ")}</span>
        ) : (
          <span class="muted" title={t("adminPricing.noGroupsTitle")} safe>
            {t("adminPricing.noGroups")}
          </span>
        )}
      </td>
      <RowMenu t={tr}>
        <button type="button" hx-get={`${modelPath(p.model)}/edit`} hx-target="#dialog-slot" safe>
          {t("adminPricing.edit")}
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={modelPath(p.model)}
          hx-confirm={t("adminPricing.deleteConfirm", { model: p.model })}
          hx-target="closest tr"
          hx-swap="outerHTML"
          safe
        >
          {t("adminPricing.delete")}
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "adminPricing.col.model",
  "adminPricing.col.input",
  "adminPricing.col.output",
  "adminPricing.col.cached",
  "adminPricing.col.cacheWrite",
  "adminPricing.col.perCall",
  "adminPricing.col.holdCap",
  "adminPricing.col.source",
  "adminPricing.col.groups",
];

export type PriceListing = {
  path: string;
  rows: PriceView[];
  /** models matching the search, and all of them */
  matching: number;
  total: number;
  page: number;
  size: number;
  keyword: string;
  /** catalog changes waiting to be applied (new models and changed catalog prices) */
  pending: number;
  t: Translator;
};

export function PriceTable(props: PriceListing) {
  const tr = props.t;
  const { t } = tr;
  const empty = t(props.keyword ? "adminPricing.empty.search" : "adminPricing.empty");
  const summary = (f: { page: number; pages: number; total: number }) =>
    props.keyword ? t("adminPricing.pager.search", { ...f, all: props.total }) : t("adminPricing.pager", f);
  return (
    <AdminPage path={props.path} t={props.t}>
      <ListToolbar
        title={t("adminPricing.title")}
        search={{ action: "/admin/pricing", placeholder: t("adminPricing.search"), value: props.keyword }}
        newUrl="/admin/pricing/new"
        t={tr}
      >
        <a class="button" href="/admin/pricing.json" download="apiyi-prices.json" safe>
          {t("adminPricing.export")}
        </a>
        <button type="button" hx-get="/admin/pricing/import" hx-target="#dialog-slot" safe>
          {t("adminPricing.import")}
        </button>
        <a class="button" href="/admin/pricing/catalog" safe>
          {props.pending ? t("adminPricing.catalogPending", { count: props.pending }) : t("adminPricing.catalog")}
        </a>
      </ListToolbar>
      <p class="muted" safe>
        {t("adminPricing.intro")}
      </p>
      <DataTable
        columns={[...COLUMNS.map((k) => t(k)), ""]}
        bodyId="price-rows"
        tableClass="admin-prices"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {empty}
            </p>
          )
        }
      >
        {props.rows.map((p) => (
          <PriceRow p={p} t={tr} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.matching}
        summary={summary}
        t={tr}
        link={(p) =>
          `/admin/pricing?${new URLSearchParams({ ...(props.keyword ? { keyword: props.keyword } : {}), p: String(p) })}`
        }
      />
      <DialogSlot />
    </AdminPage>
  );
}

/** One price input of the dialog: its label (a catalog key) and the value it starts with. */
function PriceInput(props: { name: string; label: PlainKey; value: string; placeholder?: string; t: Translator }) {
  const { t } = props.t;
  return (
    <label>
      <span safe>{t(props.label)}</span>
      <input name={props.name} inputmode="decimal" value={props.value} placeholder={props.placeholder} />
    </label>
  );
}

export function PriceDialog(props: { p?: PriceView; t: Translator }) {
  const p = props.p;
  const tr = props.t;
  const { t } = tr;
  const sameAsInput = t("adminPricing.dialog.sameAsInput");
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={p ? modelPath(p.model) : "/admin/pricing"} hx-target="#admin-sink" hx-swap="none">
        <h2 safe>{t(p ? "adminPricing.dialog.edit" : "adminPricing.dialog.new")}</h2>
        <label>
          <span safe>{t("adminPricing.dialog.model")}</span>
          {p ? (
            <input value={p.model} disabled />
          ) : (
            <input name="model" required maxlength="200" placeholder={t("adminPricing.dialog.modelPlaceholder")} />
          )}
        </label>
        <p class="muted" safe>
          {t("adminPricing.dialog.note")}
        </p>
        <fieldset class="row">
          <PriceInput name="input" label="adminPricing.dialog.input" value={p?.input ?? ""} t={tr} />
          <PriceInput name="output" label="adminPricing.dialog.output" value={p?.output ?? ""} t={tr} />
          <PriceInput
            name="cached_input"
            label="adminPricing.dialog.cached"
            value={p?.cached_input ?? ""}
            placeholder={sameAsInput}
            t={tr}
          />
          <PriceInput
            name="cache_write"
            label="adminPricing.dialog.cacheWrite"
            value={p?.cache_write ?? ""}
            placeholder={sameAsInput}
            t={tr}
          />
        </fieldset>
        <fieldset class="row">
          <PriceInput name="per_call" label="adminPricing.dialog.perCall" value={p?.per_call ?? ""} t={tr} />
          <label>
            <span safe>{t("adminPricing.dialog.holdCap")}</span>
            <input name="hold_cap_tokens" inputmode="numeric" value={String(p?.hold_cap_tokens ?? 8192)} />
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit={t(p ? "common.save" : "common.create")} t={tr} />
      </form>
    </dialog>
  );
}

/** The shape the import takes, as the export gives it (code: the same in every language). */
const IMPORT_EXAMPLE = '[{"model": "gpt-4o", "input": "2.5", "output": "10"}]';

export function ImportDialog(props: { t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  return (
    <dialog data-autoopen class="form-dialog wide">
      <form hx-post="/admin/pricing/import" hx-target="#admin-sink" hx-swap="none">
        <h2 safe>{t("adminPricing.importDialog.title")}</h2>
        <p class="muted">
          <Rich
            t={tr}
            k="adminPricing.importDialog.body"
            parts={{ example: (<code>{IMPORT_EXAMPLE}</code>) as string }}
          />
        </p>
        <label>
          <span safe>{t("adminPricing.importDialog.json")}</span>
          <textarea name="json" rows="12" spellcheck="false" required></textarea>
        </label>
        <DialogErrorSlot />
        <DialogButtons submit={t("adminPricing.importDialog.submit")} t={tr} />
      </form>
    </dialog>
  );
}
