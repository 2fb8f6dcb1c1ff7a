/** @jsxImportSource @kitajs/html */
// The /token page: the table of a user's keys, its rows, and the New/Edit dialog.
import { unitsToUsd } from "../../src/core/money";
import type { TokenView } from "../../src/services/token-schema";

export type GroupOption = { name: string; multiplier_text: string; description: string };

const STATUS: Record<number, [string, string]> = {
  1: ["enabled", "ok"],
  2: ["disabled", "off"],
  3: ["expired", "warn"],
  4: ["exhausted", "warn"],
};
const COPY_ICON =
  '<svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1"/></svg>';
const WRENCH_ICON =
  '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.6 2.6-2.4-.6-.6-2.4z"/></svg>';
/** Exact dollars from quota units, at least two decimals: 1,250,000 → $2.50, 2,499,990 → $4.99998. */
export function usd(units: number): string {
  const [whole, frac = ""] = unitsToUsd(units).split(".");
  return `$${whole}.${frac.padEnd(2, "0")}`;
}
const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

export function TokenRow(props: { t: TokenView }) {
  const t = props.t;
  const [label, tone] = STATUS[t.status] ?? ["?", "off"];
  return (
    <tr id={`token-${t.id}`}>
      <td class="name" safe>
        {t.name}
      </td>
      <td class="key">
        <code safe>{t.key}</code>
        <button class="icon" title="Copy the full key" data-copy-from={`/api/token/${t.id}/key`} aria-label="Copy key">
          {COPY_ICON}
        </button>
      </td>
      <td>
        <span class={`badge ${tone}`} safe>
          {label}
        </span>
      </td>
      <td>
        <span safe>{t.group}</span>
        {t.fallback_groups.length ? <small class="muted" safe>{` → ${t.fallback_groups.join(" → ")}`}</small> : ""}
      </td>
      <td safe>{t.unlimited_quota ? "unlimited" : usd(t.remain_quota)}</td>
      <td safe>{usd(t.used_quota)}</td>
      <td safe>{t.expired_time === -1 ? "never" : day(t.expired_time)}</td>
      <td>{t.billing_mode}</td>
      <td>
        <span title={t.models.join(", ")} safe>
          {t.models.length === 0 ? "all" : `${t.models.length} models`}
        </span>
      </td>
      <td safe>{day(t.created_time)}</td>
      <td>{t.accessed_time ? day(t.accessed_time) : "—"}</td>
      <td class="actions">
        <details class="menu">
          <summary title="Actions" aria-label="Actions">
            {WRENCH_ICON}
          </summary>
          <div class="menu-items">
            <button hx-put={`/token/${t.id}/status`} hx-vals={JSON.stringify({ status: t.status === 2 ? 1 : 2 })} hx-target={`#token-${t.id}`} hx-swap="outerHTML">
              {t.status === 2 ? "Enable" : "Disable"}
            </button>
            <button hx-get={`/token/${t.id}/edit`} hx-target="#dialog-slot">
              Edit
            </button>
            <button hx-get={`/token/${t.id}/example`} hx-target="#dialog-slot">
              Request example
            </button>
            <a href={`/log?token_name=${encodeURIComponent(t.name)}`}>Token logs</a>
            <button hx-get={`/token/${t.id}/share`} hx-target="#dialog-slot">
              Share
            </button>
            <button class="danger" hx-delete={`/token/${t.id}`} hx-confirm="Delete this token? Calls with its key will fail from then on." hx-target={`#token-${t.id}`} hx-swap="outerHTML">
              Delete
            </button>
          </div>
        </details>
      </td>
    </tr>
  );
}

export function TokenTable(props: { rows: TokenView[]; total: number; page: number; size: number; keyword: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.size));
  const link = (p: number) => `/token?p=${p}${props.keyword ? `&keyword=${encodeURIComponent(props.keyword)}` : ""}`;
  return (
    <>
      <div class="toolbar">
        <h1>Tokens</h1>
        <form method="get" action="/token" class="search">
          <input name="keyword" placeholder="Search by name" value={props.keyword} />
        </form>
        <button class="primary" hx-get="/token/new" hx-target="#dialog-slot">
          New
        </button>
      </div>
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Status</th>
              <th>Group</th>
              <th>Remaining</th>
              <th>Used</th>
              <th>Expires</th>
              <th>Billing</th>
              <th>Models</th>
              <th>Created</th>
              <th>Last used</th>
              <th></th>
            </tr>
          </thead>
          <tbody id="token-rows">
            {props.rows.map((t) => (
              <TokenRow t={t} />
            ))}
          </tbody>
        </table>
        {props.rows.length === 0 ? <p class="empty">No tokens yet — click New.</p> : ""}
      </div>
      <nav class="pager">
        {props.page > 1 ? <a href={link(props.page - 1)}>← Previous</a> : ""}
        <span>
          Page {props.page} of {pages} · {props.total} tokens
        </span>
        {props.page < pages ? <a href={link(props.page + 1)}>Next →</a> : ""}
      </nav>
      <div id="dialog-slot"></div>
      <dialog id="copy-manual">
        <p>The browser refused the clipboard. Copy the key by hand:</p>
        <input readonly />
        <button data-close>Done</button>
      </dialog>
    </>
  );
}
