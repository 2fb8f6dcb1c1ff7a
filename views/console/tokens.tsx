/** @jsxImportSource @kitajs/html */
// The /token page: the table of a user's keys, its rows, and the New/Edit dialog.
import type { TokenView } from "./models";
import { TOKEN_STATUS } from "../../src/core/status";
import { BudgetNote } from "./budget";
import { balance, usd } from "./money";
import { CopyManualDialog, DataTable, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";

export type GroupOption = { name: string; multiplier_text: string; description: string };

const STATUS: Record<number, [string, string]> = {
  [TOKEN_STATUS.enabled]: ["enabled", "ok"],
  [TOKEN_STATUS.disabled]: ["disabled", "off"],
  [TOKEN_STATUS.expired]: ["expired", "warn"],
  [TOKEN_STATUS.exhausted]: ["exhausted", "warn"],
};
const COPY_ICON =
  '<svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1"/></svg>';
const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

/** A token's status as a badge (also in the admin's list of a user's tokens). */
export function TokenStatus(props: { status: number }) {
  const [label, tone] = STATUS[props.status] ?? ["?", "off"];
  return (
    <span class={`badge ${tone}`} safe>
      {label}
    </span>
  );
}

/** Each cell names its column (data-label): on a phone the row becomes a card of labelled values. */
export function TokenRow(props: { t: TokenView }) {
  const t = props.t;
  return (
    <tr id={`token-${t.id}`}>
      <td class="name" data-label="Name" safe>
        {t.name}
      </td>
      <td class="key" data-label="Key">
        <code safe>{t.key}</code>
        <button
          type="button"
          class="icon"
          title="Copy the full key"
          data-copy-from={`/api/token/${t.id}/key`}
          aria-label="Copy key"
        >
          {COPY_ICON}
        </button>
      </td>
      <td class="status" data-label="Status">
        <TokenStatus status={t.status} />
      </td>
      <td data-label="Group">
        <span safe>{t.group}</span>
        {t.fallback_groups.length ? <small class="muted" safe>{` → ${t.fallback_groups.join(" → ")}`}</small> : ""}
      </td>
      <td class="remaining" data-label="Remaining">
        <span safe>{balance(t.remain_quota, t.unlimited_quota)}</span>
        <BudgetNote b={t} />
      </td>
      <td data-label="Used" safe>
        {usd(t.used_quota)}
      </td>
      <td data-label="Expires" safe>
        {t.expired_time === -1 ? "never" : day(t.expired_time)}
      </td>
      <td data-label="Billing">{t.billing_mode}</td>
      <td data-label="Models">
        <span title={t.models.join(", ")} safe>
          {t.models.length === 0 ? "all" : `${t.models.length} models`}
        </span>
      </td>
      <td data-label="Created" safe>
        {day(t.created_time)}
      </td>
      <td data-label="Last used">{t.accessed_time ? day(t.accessed_time) : "—"}</td>
      <RowMenu>
        <button
          type="button"
          hx-put={`/token/${t.id}/status`}
          hx-vals={JSON.stringify({
            status: t.status === TOKEN_STATUS.disabled ? TOKEN_STATUS.enabled : TOKEN_STATUS.disabled,
          })}
          hx-target={`#token-${t.id}`}
          hx-swap="outerHTML"
        >
          {t.status === TOKEN_STATUS.disabled ? "Enable" : "Disable"}
        </button>
        <button type="button" hx-get={`/token/${t.id}/edit`} hx-target="#dialog-slot">
          Edit
        </button>
        <button type="button" hx-get={`/token/${t.id}/example`} hx-target="#dialog-slot">
          Request example
        </button>
        <a href={`/log?token_name=${encodeURIComponent(t.name)}`}>Token logs</a>
        <button type="button" hx-get={`/token/${t.id}/share`} hx-target="#dialog-slot">
          Share
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={`/token/${t.id}`}
          hx-confirm="Delete this token? Calls with its key will fail from then on."
          hx-target={`#token-${t.id}`}
          hx-swap="outerHTML"
        >
          Delete
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS = [
  "Name",
  "Key",
  "Status",
  "Group",
  "Remaining",
  "Used",
  "Expires",
  "Billing",
  "Models",
  "Created",
  "Last used",
  "",
];

type Listing = { total: number; page: number; size: number; keyword: string };

/** The footer under the table; `oob` when an action redraws it after adding or deleting a row. */
export function TokenPager(props: Listing & { oob?: boolean }) {
  const link = (p: number) => `/token?p=${p}${props.keyword ? `&keyword=${encodeURIComponent(props.keyword)}` : ""}`;
  return (
    <Pager
      id="token-pager"
      oob={props.oob}
      page={props.page}
      size={props.size}
      total={props.total}
      noun="tokens"
      link={link}
    />
  );
}

export function TokenTable(props: Listing & { rows: TokenView[] }) {
  return (
    <>
      <ListToolbar
        title="Tokens"
        search={{ action: "/token", placeholder: "Search by name", value: props.keyword }}
        newUrl="/token/new"
      />
      <DataTable
        columns={COLUMNS}
        bodyId="token-rows"
        tableClass="tokens cards"
        empty={props.rows.length === 0 && <p class="empty">No tokens yet — click New.</p>}
      >
        {props.rows.map((t) => (
          <TokenRow t={t} />
        ))}
      </DataTable>
      <TokenPager total={props.total} page={props.page} size={props.size} keyword={props.keyword} />
      <DialogSlot />
      <CopyManualDialog what="the key" />
    </>
  );
}
