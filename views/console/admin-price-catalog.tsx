/** @jsxImportSource @kitajs/html */
// /admin/pricing/catalog: the price catalog this binary carries, where the table's prices come from,
// and what applying it would change (new models, changed catalog prices, and where an admin's own
// price or removal differs), with "apply all" and "apply the ones ticked".
import { AdminPage } from "./admin-kit";
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
};

const KINDS: [string, string][] = [
  ["", "All differences"],
  ["new", "New models"],
  ["changed", "Changed catalog prices"],
  ["admin", "Admin's price differs"],
  ["removed", "Removed by an admin"],
];
const LABEL: Record<string, string> = {
  new: "new",
  changed: "changed",
  admin: "admin's price",
  removed: "removed by an admin",
};

const price = (p: Usd | null) =>
  p === null
    ? "—"
    : [
        p.input !== null ? `in $${p.input}` : "",
        p.output !== null ? `out $${p.output}` : "",
        p.cached_input !== null ? `cached $${p.cached_input}` : "",
        p.cache_write !== null ? `write $${p.cache_write}` : "",
        p.per_call !== null ? `$${p.per_call}/call` : "",
      ]
        .filter(Boolean)
        .join(" · ");

export function CatalogPage(props: CatalogPageProps) {
  const s = props.summary;
  const query = (p: number) =>
    `/admin/pricing/catalog?${new URLSearchParams({
      ...(props.kind ? { kind: props.kind } : {}),
      ...(props.keyword ? { keyword: props.keyword } : {}),
      p: String(p),
    })}`;
  return (
    <AdminPage path={props.path}>
      <div class="toolbar">
        <h1>Price catalog</h1>
        <form method="get" action="/admin/pricing/catalog" class="search">
          <select name="kind" aria-label="Which differences">
            {KINDS.map(([value, label]) => (
              <option value={value} selected={value === props.kind} safe>
                {label}
              </option>
            ))}
          </select>
          <input name="keyword" placeholder="Search models" value={props.keyword} />
          <button type="submit">Show</button>
        </form>
        <a class="button" href="/admin/pricing">
          Back to prices
        </a>
      </div>
      <p class="muted" safe>
        {`Catalog ${props.version} (prices of ${props.resolved_at}; ${props.source}): ${props.models} models. Last applied in full: ${props.applied_version ?? "never"}.`}
      </p>
      <p safe>
        {`The table has ${props.prices.total} prices: ${props.prices.catalog} from the catalog, ${props.prices.admin} set by admins. Applying the catalog would add ${s.new} new models and change ${s.changed} catalog prices; ${s.admin} admin prices and ${s.removed} removals differ from it and stay unless you tick them; ${s.same} agree.`}
      </p>
      <form hx-post="/admin/pricing/catalog/apply" hx-target="#admin-sink" hx-swap="none" class="inline">
        <input type="hidden" name="scope" value="all" />
        <button
          type="submit"
          class="primary"
          disabled={s.new + s.changed === 0}
          hx-confirm={`Apply ${s.new} new models and ${s.changed} changed catalog prices? Admin prices stay.`}
          safe
        >
          {`Apply all (${s.new + s.changed})`}
        </button>
      </form>
      <form id="catalog-pick" hx-post="/admin/pricing/catalog/apply" hx-target="#admin-sink" hx-swap="none">
        <input type="hidden" name="scope" value="picked" />
        <DataTable
          columns={["", "Model", "Difference", "Now", "Catalog", "From"]}
          empty={
            props.rows.length === 0 && <p class="empty">Nothing differs here: the table agrees with the catalog.</p>
          }
        >
          {props.rows.map((d) => (
            <tr>
              <td>
                <input type="checkbox" name="model" value={d.model} aria-label={`Apply ${d.model}`} />
              </td>
              <td class="name" safe>
                {d.model}
              </td>
              <td>
                <span
                  class={d.applied_by_all ? "badge info" : "badge warn"}
                  title={d.applied_by_all ? "taken by Apply all" : "taken only when ticked"}
                  safe
                >
                  {LABEL[d.kind] ?? d.kind}
                </span>
              </td>
              <td safe>{price(d.current)}</td>
              <td safe>{price(d.catalog)}</td>
              <td class="muted" safe>
                {d.provider}
              </td>
            </tr>
          ))}
        </DataTable>
        <button type="submit" disabled={props.rows.length === 0}>
          Apply the ticked models
        </button>
      </form>
      <Pager page={props.page} size={props.size} total={props.matching} noun="differences" link={query} />
    </AdminPage>
  );
}
