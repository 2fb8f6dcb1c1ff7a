/** @jsxImportSource @kitajs/html */
// /admin/pricing/catalog: the price catalog this binary carries, where the table's prices come from,
// and what applying it would change (new models, changed catalog prices, and where an admin's own
// price or removal differs), with "apply all" and "apply the ones ticked". Every word from the
// reader's catalog; prices stay in US dollars (the upstreams' list prices).
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage } from "./admin-kit";
import { dollars } from "./admin-pricing";
import { DataTable, Pager } from "./kit";

type Usd = Record<"input" | "output" | "cached_input" | "cache_write" | "per_call", string | null>;
export type CatalogDiffLine = {
  model: string;
  kind: string;
  applied_by_all: boolean;
  provider: string;
  catalog: Usd;
  current: Usd | null;
};
export type CatalogPageProps = {
  path: string;
  version: string;
  resolved_at: string;
  source: string;
  models: number;
  applied_version: string | null;
  prices: { total: number; catalog: number; admin: number };
  summary: { same: number; new: number; changed: number; admin: number; removed: number };
  rows: CatalogDiffLine[];
  matching: number;
  page: number;
  size: number;
  kind: string;
  keyword: string;
  t: Translator;
};

const KINDS: [string, PlainKey][] = [
  ["", "priceCatalog.kind.all"],
  ["new", "priceCatalog.kind.new"],
  ["changed", "priceCatalog.kind.changed"],
  ["admin", "priceCatalog.kind.admin"],
  ["removed", "priceCatalog.kind.removed"],
];
const LABEL: Record<string, PlainKey> = {
  new: "priceCatalog.label.new",
  changed: "priceCatalog.label.changed",
  admin: "priceCatalog.label.admin",
  removed: "priceCatalog.label.removed",
};
/** Each price of a line, in order, with its template ("in {price}"). */
type PricePart = `priceCatalog.price.${"in" | "out" | "cached" | "write" | "perCall"}`;
const PARTS: [keyof Usd, PricePart][] = [
  ["input", "priceCatalog.price.in"],
  ["output", "priceCatalog.price.out"],
  ["cached_input", "priceCatalog.price.cached"],
  ["cache_write", "priceCatalog.price.write"],
  ["per_call", "priceCatalog.price.perCall"],
];

const price = (p: Usd | null, tr: Translator) =>
  p === null
    ? "—"
    : PARTS.filter(([field]) => p[field] !== null)
        .map(([field, key]) => tr.t(key, { price: dollars(p[field]) }))
        .join(" · ");

function DiffRow(props: { d: CatalogDiffLine; t: Translator }) {
  const { d, t: tr } = props;
  const { t } = tr;
  return (
    <tr>
      <td>
        <input type="checkbox" name="model" value={d.model} aria-label={t("priceCatalog.pick", { model: d.model })} />
      </td>
      <td class="name" safe>
        {d.model}
      </td>
      <td>
        <span
          class={d.applied_by_all ? "badge info" : "badge warn"}
          title={t(d.applied_by_all ? "priceCatalog.byAll" : "priceCatalog.ticked")}
          safe
        >
          {LABEL[d.kind] ? t(LABEL[d.kind]!) : d.kind}
        </span>
      </td>
      <td safe>{price(d.current, tr)}</td>
      <td safe>{price(d.catalog, tr)}</td>
      <td class="muted" safe>
        {d.provider}
      </td>
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "priceCatalog.col.model",
  "priceCatalog.col.difference",
  "priceCatalog.col.now",
  "priceCatalog.col.catalog",
  "priceCatalog.col.from",
];

export function CatalogPage(props: CatalogPageProps) {
  const s = props.summary;
  const tr = props.t;
  const { t } = tr;
  const query = (p: number) =>
    `/admin/pricing/catalog?${new URLSearchParams({
      ...(props.kind ? { kind: props.kind } : {}),
      ...(props.keyword ? { keyword: props.keyword } : {}),
      p: String(p),
    })}`;
  const about = {
    version: props.version,
    date: props.resolved_at,
    source: props.source,
    models: props.models,
    applied: props.applied_version ?? t("common.never"),
  };
  const figures = {
    ...props.prices,
    new: s.new,
    changed: s.changed,
    adminDiff: s.admin,
    removed: s.removed,
    same: s.same,
  };
  return (
    <AdminPage path={props.path} t={props.t}>
      <div class="toolbar">
        <h1 safe>{t("priceCatalog.title")}</h1>
        <form method="get" action="/admin/pricing/catalog" class="search">
          <select name="kind" aria-label={t("priceCatalog.kinds")}>
            {KINDS.map(([value, label]) => (
              <option value={value} selected={value === props.kind} safe>
                {t(label)}
              </option>
            ))}
          </select>
          <input name="keyword" placeholder={t("priceCatalog.search")} value={props.keyword} />
          <button type="submit" safe>
            {t("priceCatalog.show")}
          </button>
        </form>
        <a class="button" href="/admin/pricing" safe>
          {t("priceCatalog.back")}
        </a>
      </div>
      <p class="muted" safe>
        {t("priceCatalog.about", about)}
      </p>
      <p safe>{t("priceCatalog.summary", figures)}</p>
      <form hx-post="/admin/pricing/catalog/apply" hx-target="#admin-sink" hx-swap="none" class="inline">
        <input type="hidden" name="scope" value="all" />
        <button
          type="submit"
          class="primary"
          disabled={s.new + s.changed === 0}
          hx-confirm={t("priceCatalog.applyAllConfirm", { new: s.new, changed: s.changed })}
          safe
        >
          {t("priceCatalog.applyAll", { count: s.new + s.changed })}
        </button>
      </form>
      <form id="catalog-pick" hx-post="/admin/pricing/catalog/apply" hx-target="#admin-sink" hx-swap="none">
        <input type="hidden" name="scope" value="picked" />
        <DataTable
          columns={["", ...COLUMNS.map((k) => t(k))]}
          empty={
            props.rows.length === 0 && (
              <p class="empty" safe>
                {t("priceCatalog.empty")}
              </p>
            )
          }
        >
          {props.rows.map((d) => (
            <DiffRow d={d} t={tr} />
          ))}
        </DataTable>
        <button type="submit" disabled={props.rows.length === 0} safe>
          {t("priceCatalog.applyTicked")}
        </button>
      </form>
      <Pager
        page={props.page}
        size={props.size}
        total={props.matching}
        summary={(f) => t("priceCatalog.pager", f)}
        t={tr}
        link={query}
      />
    </AdminPage>
  );
}
