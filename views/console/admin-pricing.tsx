/** @jsxImportSource @kitajs/html */
// /admin/pricing: the price table (USD per 1M tokens and per call), the edit dialog, and JSON
// import/export.
import { AdminPage, DialogErrorSlot } from "./admin-kit";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, Pager, RowButtons } from "./kit";
import type { PriceView } from "./models";

/** A row id safe in any selector: model names hold "/", ".", ":" and more. */
export const priceRowId = (model: string) => `price-${Buffer.from(model).toString("hex")}`;
const modelPath = (model: string) => `/admin/pricing/model/${encodeURIComponent(model)}`;
const dollars = (v: string | null) => (v === null ? "—" : `$${v}`);

export function PriceRow(props: { p: PriceView }) {
  const p = props.p;
  return (
    <tr id={priceRowId(p.model)}>
      <td class="name" safe>
        {p.model}
      </td>
      <td class="num" safe>
        {dollars(p.input)}
      </td>
      <td class="num" safe>
        {dollars(p.output)}
      </td>
      <td class="num" safe>
        {dollars(p.cached_input)}
      </td>
      <td class="num" safe>
        {dollars(p.cache_write)}
      </td>
      <td class="num" safe>
        {dollars(p.per_call)}
      </td>
      <td class="num">{p.hold_cap_tokens}</td>
      <td>
        {p.source === "catalog" ? (
          <span class="badge info" title="from the price catalog this binary carries">
            catalog
          </span>
        ) : (
          <span class="badge ok" title="set by an admin: catalog updates never replace it">
            admin
          </span>
        )}
      </td>
      <td>
        {p.groups.length ? (
          <span safe>{p.groups.join(", ")}</span>
        ) : (
          <span class="muted" title="No enabled channel serves this model">
            none
          </span>
        )}
      </td>
      <RowButtons>
        <button type="button" hx-get={`${modelPath(p.model)}/edit`} hx-target="#dialog-slot">
          Edit
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={modelPath(p.model)}
          hx-confirm={`Delete the price of "${p.model}"? Calls to it are refused until it has a price again.`}
          hx-target="closest tr"
          hx-swap="outerHTML"
        >
          Delete
        </button>
      </RowButtons>
    </tr>
  );
}

const COLUMNS = [
  "Model",
  "Input / 1M",
  "Output / 1M",
  "Cached / 1M",
  "Cache write / 1M",
  "Per call",
  "Hold cap (tokens)",
  "Source",
  "Served by groups",
  "",
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
};

export function PriceTable(props: PriceListing) {
  const empty = props.keyword
    ? "No model matches — clear the search."
    : "No prices yet — click New, or import a JSON list.";
  return (
    <AdminPage path={props.path}>
      <ListToolbar
        title="Pricing"
        search={{ action: "/admin/pricing", placeholder: "Search models", value: props.keyword }}
        newUrl="/admin/pricing/new"
      >
        <a class="button" href="/admin/pricing.json" download="apiyi-prices.json">
          Export JSON
        </a>
        <button type="button" hx-get="/admin/pricing/import" hx-target="#dialog-slot">
          Import JSON
        </button>
        <a class="button" href="/admin/pricing/catalog">
          {props.pending ? `Catalog (${props.pending} to apply)` : "Catalog"}
        </a>
      </ListToolbar>
      <p class="muted">
        USD per 1M tokens (cached input and cache writes default to the input price) and per call. A model without a
        price cannot be called. Source: “catalog” prices come from the price catalog this binary carries; a price you
        set is “admin” and catalog updates never replace it.
      </p>
      <DataTable columns={COLUMNS} bodyId="price-rows" empty={props.rows.length === 0 && <p class="empty">{empty}</p>}>
        {props.rows.map((p) => (
          <PriceRow p={p} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.matching}
        noun={props.keyword ? `of ${props.total} models match` : "models"}
        link={(p) =>
          `/admin/pricing?${new URLSearchParams({ ...(props.keyword ? { keyword: props.keyword } : {}), p: String(p) })}`
        }
      />
      <DialogSlot />
    </AdminPage>
  );
}

export function PriceDialog(props: { p?: PriceView }) {
  const p = props.p;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={p ? modelPath(p.model) : "/admin/pricing"} hx-target="#admin-sink" hx-swap="none">
        <h2>{p ? "Edit price" : "New price"}</h2>
        <label>
          Model
          {p ? (
            <input value={p.model} disabled />
          ) : (
            <input name="model" required maxlength="200" placeholder="e.g. gpt-4o-mini" />
          )}
        </label>
        <p class="muted">
          USD, up to 6 decimals. Leave a price empty for none; give at least one of input, output or per call. Cached
          input and cache write (Anthropic prompt-cache writes, 1.25 × input) default to the input price.
        </p>
        <fieldset class="row">
          <label>
            Input / 1M
            <input name="input" inputmode="decimal" value={p?.input ?? ""} />
          </label>
          <label>
            Output / 1M
            <input name="output" inputmode="decimal" value={p?.output ?? ""} />
          </label>
          <label>
            Cached input / 1M
            <input name="cached_input" inputmode="decimal" value={p?.cached_input ?? ""} placeholder="= input" />
          </label>
          <label>
            Cache write / 1M
            <input name="cache_write" inputmode="decimal" value={p?.cache_write ?? ""} placeholder="= input" />
          </label>
        </fieldset>
        <fieldset class="row">
          <label>
            Per call
            <input name="per_call" inputmode="decimal" value={p?.per_call ?? ""} />
          </label>
          <label>
            Hold cap (output tokens)
            <input name="hold_cap_tokens" inputmode="numeric" value={String(p?.hold_cap_tokens ?? 8192)} />
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit={p ? "Save" : "Create"} />
      </form>
    </dialog>
  );
}

export function ImportDialog() {
  return (
    <dialog data-autoopen class="form-dialog wide">
      <form hx-post="/admin/pricing/import" hx-target="#admin-sink" hx-swap="none">
        <h2>Import prices</h2>
        <p class="muted">
          Paste a JSON array like the export gives:{" "}
          <code>{'[{"model": "gpt-4o", "input": "2.5", "output": "10"}]'}</code>. Every entry is checked first; if one
          is invalid nothing is written. Models in the list get the given prices; other models keep theirs.
        </p>
        <label>
          JSON
          <textarea name="json" rows="12" spellcheck="false" required></textarea>
        </label>
        <DialogErrorSlot />
        <DialogButtons submit="Import" />
      </form>
    </dialog>
  );
}
