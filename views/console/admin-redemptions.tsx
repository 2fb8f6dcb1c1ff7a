/** @jsxImportSource @kitajs/html */
// /admin/redemptions: the codes (masked: the full codes are shown once, in the dialog after a batch is
// made, to copy or download as CSV), who redeemed which and when, a status filter, enable/disable,
// delete, delete the invalid ones, and the New batch dialog. Every word from the reader's catalog;
// amounts in their currency (and typed in it), dates in their time zone.
import { REDEMPTION_STATUS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, qs } from "./admin-kit";
import { CopyManualDialog, DataTable, DialogButtons, DialogSlot, DoneButton, ListToolbar, Pager, RowMenu } from "./kit";
import type { RedemptionView } from "./models";
import { usd } from "./money";

export type BatchForm = { name: string; count: string; amount_usd: string; expires_days: string };
export const EMPTY_BATCH: BatchForm = { name: "", count: "1", amount_usd: "", expires_days: "" };

const FILTERS: [string, PlainKey][] = [
  ["", "adminCodes.filter.all"],
  ["1", "adminCodes.filter.usable"],
  ["2", "adminCodes.filter.disabled"],
  ["3", "adminCodes.filter.used"],
  ["expired", "adminCodes.filter.expired"],
];

/** The status as a badge; "expired" is derived: enabled, past its expiry. */
function StatusBadge(props: { r: RedemptionView; now: number; t: Translator }) {
  const { status, expired_time } = props.r;
  const [key, tone]: [PlainKey, string] =
    status === REDEMPTION_STATUS.used
      ? ["adminCodes.status.used", "accent"]
      : status === REDEMPTION_STATUS.disabled
        ? ["adminCodes.status.disabled", "off"]
        : expired_time !== 0 && expired_time <= props.now
          ? ["adminCodes.status.expired", "warn"]
          : ["adminCodes.status.usable", "ok"];
  return (
    <span class={`badge ${tone}`} safe>
      {props.t.t(key)}
    </span>
  );
}

export function RedemptionRow(props: { r: RedemptionView; now: number; t: Translator }) {
  const { r, t: tr } = props;
  const { t } = tr;
  const used = r.status === REDEMPTION_STATUS.used;
  const redeemedBy = used ? `${r.used_username || t("adminCodes.deletedUser")} #${r.used_user_id}` : "—";
  const redeemedAt = used ? tr.dateTime(r.redeemed_time * 1000) : "—";
  return (
    <tr id={`redemption-${r.id}`}>
      <td class="num">{r.id}</td>
      <td class="name" safe>
        {r.name}
      </td>
      <td>
        <code safe>{r.key}</code>
      </td>
      <td class="num" safe>
        {usd(r.quota, false, tr)}
      </td>
      <td>
        <StatusBadge r={r} now={props.now} t={tr} />
      </td>
      <td safe>{tr.dateTime(r.created_time * 1000)}</td>
      <td safe>{r.expired_time === 0 ? t("common.never") : tr.dateTime(r.expired_time * 1000)}</td>
      <td safe>{redeemedBy}</td>
      <td safe>{redeemedAt}</td>
      <RowMenu t={tr}>
        {used ? (
          ""
        ) : (
          <button
            type="button"
            hx-put={`/admin/redemptions/${r.id}/status`}
            hx-vals={JSON.stringify({ status: r.status === REDEMPTION_STATUS.enabled ? 2 : 1 })}
            hx-target={`#redemption-${r.id}`}
            hx-swap="outerHTML"
            safe
          >
            {t(r.status === REDEMPTION_STATUS.enabled ? "adminCodes.disable" : "adminCodes.enable")}
          </button>
        )}
        <button
          type="button"
          class="danger"
          hx-delete={`/admin/redemptions/${r.id}`}
          hx-confirm={t("adminCodes.deleteConfirm", { id: String(r.id) })}
          hx-target={`#redemption-${r.id}`}
          hx-swap="outerHTML"
          safe
        >
          {t("adminCodes.delete")}
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "adminCodes.col.id",
  "adminCodes.col.name",
  "adminCodes.col.code",
  "adminCodes.col.amount",
  "adminCodes.col.status",
  "adminCodes.col.created",
  "adminCodes.col.expires",
  "adminCodes.col.redeemedBy",
  "adminCodes.col.redeemedAt",
];

export function RedemptionTable(props: {
  path: string;
  rows: RedemptionView[];
  now: number;
  total: number;
  page: number;
  size: number;
  keyword: string;
  status: string;
  t: Translator;
}) {
  const tr = props.t;
  const { t } = tr;
  const link = (more: Record<string, string | number | undefined>) =>
    `/admin/redemptions${qs({ keyword: props.keyword, status: props.status, ...more })}`;
  return (
    <AdminPage path={props.path} t={props.t}>
      <ListToolbar
        title={t("adminCodes.title")}
        search={{ action: "/admin/redemptions", placeholder: t("adminCodes.search"), value: props.keyword }}
        newUrl="/admin/redemptions/new"
        t={tr}
      >
        <button
          type="button"
          hx-delete="/admin/redemptions/invalid"
          hx-confirm={t("adminCodes.deleteInvalidConfirm")}
          hx-target="#admin-sink"
          safe
        >
          {t("adminCodes.deleteInvalid")}
        </button>
      </ListToolbar>
      <nav class="filters" aria-label={t("adminCodes.filter.label")}>
        {FILTERS.map(([value, label]) => (
          <a href={link({ status: value })} class={props.status === value ? "active" : ""} safe>
            {t(label)}
          </a>
        ))}
      </nav>
      <DataTable
        columns={[...COLUMNS.map((k) => t(k)), ""]}
        bodyId="redemption-rows"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {t("adminCodes.empty")}
            </p>
          )
        }
      >
        {props.rows.map((r) => (
          <RedemptionRow r={r} now={props.now} t={tr} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        summary={(f) => t("adminCodes.pager", f)}
        t={tr}
        link={(p) => link({ p })}
      />
      <DialogSlot />
      <CopyManualDialog prompt={t("adminCodes.copyManual")} t={tr} />
    </AdminPage>
  );
}

export function NewBatchDialog(props: { form: BatchForm; error?: string; t: Translator }) {
  const f = props.form;
  const tr = props.t;
  const { t } = tr;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post="/admin/redemptions" hx-target="#dialog-slot" autocomplete="off">
        <h2 safe>{t("adminCodes.new.title")}</h2>
        <label>
          <span safe>{t("adminCodes.new.name")}</span>
          <input name="name" required maxlength="20" value={f.name} />
        </label>
        <label>
          <span safe>{t("adminCodes.new.count")}</span>
          <input name="count" type="number" min="1" max="100" required value={f.count} />
        </label>
        <label>
          <span safe>{t("adminCodes.new.amount", { symbol: tr.currency.symbol })}</span>
          <input
            name="amount_usd"
            inputmode="decimal"
            required
            placeholder={t("adminCodes.new.placeholder")}
            value={f.amount_usd}
          />
        </label>
        <label>
          <span safe>{t("adminCodes.new.expires")}</span>
          <input name="expires_days" type="number" min="1" value={f.expires_days} />
        </label>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <DialogButtons submit={t("common.create")} t={tr} />
      </form>
    </dialog>
  );
}

/** Shown once, right after a batch is made: the full codes, to copy or download; never again. */
export function NewCodesDialog(props: { codes: string[]; csv: string; quota: number; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  return (
    <dialog data-autoopen class="form-dialog wide">
      <h2 safe>{t("adminCodes.made.title", { count: props.codes.length, amount: usd(props.quota, false, tr) })}</h2>
      <p safe>{t("adminCodes.made.body")}</p>
      <textarea id="new-codes" readonly rows="8" class="mono" safe>
        {props.codes.join("\n")}
      </textarea>
      <p class="buttons">
        <button type="button" class="primary" data-copy={props.codes.join("\n")} safe>
          {t("common.copy")}
        </button>
        <a
          class="button"
          download="codes.csv"
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(props.csv)}`}
          safe
        >
          {t("adminCodes.made.download")}
        </a>
      </p>
      <DoneButton t={tr} />
    </dialog>
  );
}
