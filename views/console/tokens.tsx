/** @jsxImportSource @kitajs/html */
// The /token page: the table of a user's keys, its rows, and the New/Edit dialog; every word from
// the reader's catalog (`t`), numbers and amounts grouped in their locale.
import type { TokenView } from "./models";
import { TOKEN_STATUS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { BudgetNote } from "./budget";
import { balance, usd } from "./money";
import { CopyManualDialog, DataTable, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";

export type GroupOption = { name: string; multiplier_text: string; description: string };

const STATUS: Record<number, [PlainKey, string]> = {
  [TOKEN_STATUS.enabled]: ["tokens.status.enabled", "ok"],
  [TOKEN_STATUS.disabled]: ["tokens.status.disabled", "off"],
  [TOKEN_STATUS.expired]: ["tokens.status.expired", "warn"],
  [TOKEN_STATUS.exhausted]: ["tokens.status.exhausted", "warn"],
};
const BILLING: Record<TokenView["billing_mode"], PlainKey> = {
  usage: "billing.usage",
  per_call: "billing.per_call",
  usage_first: "billing.usage_first",
  per_call_first: "billing.per_call_first",
};
const COPY_ICON =
  '<svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1"/></svg>';

/** A token's status as a badge (also in the admin's list of a user's tokens). */
export function TokenStatus(props: { status: number; t: Translator }) {
  const known = STATUS[props.status];
  const label = known ? props.t.t(known[0]) : "?";
  return (
    <span class={`badge ${known?.[1] ?? "off"}`} safe>
      {label}
    </span>
  );
}

/** The columns, in order (the cells of TokenRow name theirs the same way, for the phone layout). */
const COLUMNS: PlainKey[] = [
  "tokens.col.name",
  "tokens.col.key",
  "tokens.col.status",
  "tokens.col.group",
  "tokens.col.remaining",
  "tokens.col.used",
  "tokens.col.expires",
  "tokens.col.billing",
  "tokens.col.models",
  "tokens.col.created",
  "tokens.col.lastUsed",
];

/** Each cell names its column (data-label): on a phone the row becomes a card of labelled values. */
export function TokenRow(props: { t: TokenView; tr: Translator }) {
  const { t, tr } = props;
  const say = tr.t;
  return (
    <tr id={`token-${t.id}`}>
      <td class="name" data-label={say("tokens.col.name")} safe>
        {t.name}
      </td>
      <td class="key" data-label={say("tokens.col.key")}>
        <code safe>{t.key}</code>
        <button
          type="button"
          class="icon"
          title={say("tokens.copyKey.title")}
          data-copy-from={`/api/token/${t.id}/key`}
          aria-label={say("tokens.copyKey.label")}
        >
          {COPY_ICON}
        </button>
      </td>
      <td class="status" data-label={say("tokens.col.status")}>
        <TokenStatus status={t.status} t={tr} />
      </td>
      <td data-label={say("tokens.col.group")}>
        <span safe>{t.group}</span>
        {t.fallback_groups.length ? <small class="muted" safe>{` → ${t.fallback_groups.join(" → ")}`}</small> : ""}
      </td>
      <td class="remaining" data-label={say("tokens.col.remaining")}>
        <span safe>{balance(t.remain_quota, t.unlimited_quota, tr)}</span>
        <BudgetNote b={t} t={tr} />
      </td>
      <td data-label={say("tokens.col.used")} safe>
        {usd(t.used_quota, false, tr)}
      </td>
      <td data-label={say("tokens.col.expires")} safe>
        {t.expired_time === -1 ? say("common.never") : tr.date(t.expired_time * 1000)}
      </td>
      <td data-label={say("tokens.col.billing")} safe>
        {say(BILLING[t.billing_mode])}
      </td>
      <td data-label={say("tokens.col.models")}>
        <span title={t.models.join(", ")} safe>
          {t.models.length === 0 ? say("tokens.models.all") : say("tokens.models.count", { count: t.models.length })}
        </span>
      </td>
      <td data-label={say("tokens.col.created")} safe>
        {tr.date(t.created_time * 1000)}
      </td>
      <td data-label={say("tokens.col.lastUsed")}>{t.accessed_time ? tr.date(t.accessed_time * 1000) : "—"}</td>
      <RowMenu t={tr}>
        <button
          type="button"
          hx-put={`/token/${t.id}/status`}
          hx-vals={JSON.stringify({
            status: t.status === TOKEN_STATUS.disabled ? TOKEN_STATUS.enabled : TOKEN_STATUS.disabled,
          })}
          hx-target={`#token-${t.id}`}
          hx-swap="outerHTML"
          safe
        >
          {t.status === TOKEN_STATUS.disabled ? say("tokens.enable") : say("tokens.disable")}
        </button>
        <button type="button" hx-get={`/token/${t.id}/edit`} hx-target="#dialog-slot" safe>
          {say("tokens.edit")}
        </button>
        <button type="button" hx-get={`/token/${t.id}/example`} hx-target="#dialog-slot" safe>
          {say("tokens.example")}
        </button>
        <a href={`/log?token_name=${encodeURIComponent(t.name)}`} safe>
          {say("tokens.logs")}
        </a>
        <button type="button" hx-get={`/token/${t.id}/share`} hx-target="#dialog-slot" safe>
          {say("tokens.share")}
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={`/token/${t.id}`}
          hx-confirm={say("tokens.deleteConfirm")}
          hx-target={`#token-${t.id}`}
          hx-swap="outerHTML"
          safe
        >
          {say("tokens.delete")}
        </button>
      </RowMenu>
    </tr>
  );
}

type Listing = { total: number; page: number; size: number; keyword: string; t: Translator };

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
      summary={(f) => props.t.t("tokens.pager", f)}
      t={props.t}
      link={link}
    />
  );
}

export function TokenTable(props: Listing & { rows: TokenView[] }) {
  const tr = props.t;
  return (
    <>
      <ListToolbar
        title={tr.t("tokens.title")}
        search={{ action: "/token", placeholder: tr.t("tokens.search"), value: props.keyword }}
        newUrl="/token/new"
        t={tr}
      />
      <DataTable
        columns={[...COLUMNS.map((key) => tr.t(key)), ""]}
        bodyId="token-rows"
        tableClass="tokens cards"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {tr.t("tokens.empty")}
            </p>
          )
        }
      >
        {props.rows.map((t) => (
          <TokenRow t={t} tr={tr} />
        ))}
      </DataTable>
      <TokenPager total={props.total} page={props.page} size={props.size} keyword={props.keyword} t={tr} />
      <DialogSlot />
      <CopyManualDialog prompt={tr.t("copy.manual.key")} t={tr} />
    </>
  );
}
