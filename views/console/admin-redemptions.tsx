/** @jsxImportSource @kitajs/html */
// /admin/redemptions: the codes (masked: the full codes are shown once, in the dialog after a batch is
// made, to copy or download as CSV), who redeemed which and when, a status filter, enable/disable,
// delete, delete the invalid ones, and the New batch dialog.
import { REDEMPTION_STATUS } from "../../src/core/status";
import { AdminPage, qs, utc } from "./admin-kit";
import { CopyManualDialog, DataTable, DialogButtons, DialogSlot, DoneButton, ListToolbar, Pager, RowMenu } from "./kit";
import type { RedemptionView } from "./models";
import { usd } from "./money";

export type BatchForm = { name: string; count: string; amount_usd: string; expires_days: string };
export const EMPTY_BATCH: BatchForm = { name: "", count: "1", amount_usd: "", expires_days: "" };

const FILTERS: [string, string][] = [
  ["", "All"],
  ["1", "Usable"],
  ["2", "Disabled"],
  ["3", "Used"],
  ["expired", "Expired"],
];

/** The status as a badge; "expired" is derived: enabled, past its expiry. */
function StatusBadge(props: { r: RedemptionView; now: number }) {
  const { status, expired_time } = props.r;
  if (status === REDEMPTION_STATUS.used) return <span class="badge accent">used</span>;
  if (status === REDEMPTION_STATUS.disabled) return <span class="badge off">disabled</span>;
  if (expired_time !== 0 && expired_time <= props.now) return <span class="badge warn">expired</span>;
  return <span class="badge ok">usable</span>;
}

export function RedemptionRow(props: { r: RedemptionView; now: number }) {
  const r = props.r;
  const used = r.status === REDEMPTION_STATUS.used;
  const redeemedBy = used ? `${r.used_username || "deleted user"} #${r.used_user_id}` : "—";
  const redeemedAt = used ? utc(r.redeemed_time) : "—";
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
        {usd(r.quota)}
      </td>
      <td>
        <StatusBadge r={r} now={props.now} />
      </td>
      <td safe>{utc(r.created_time)}</td>
      <td safe>{r.expired_time === 0 ? "never" : utc(r.expired_time)}</td>
      <td safe>{redeemedBy}</td>
      <td safe>{redeemedAt}</td>
      <RowMenu>
        {used ? (
          ""
        ) : (
          <button
            type="button"
            hx-put={`/admin/redemptions/${r.id}/status`}
            hx-vals={JSON.stringify({ status: r.status === REDEMPTION_STATUS.enabled ? 2 : 1 })}
            hx-target={`#redemption-${r.id}`}
            hx-swap="outerHTML"
          >
            {r.status === REDEMPTION_STATUS.enabled ? "Disable" : "Enable"}
          </button>
        )}
        <button
          type="button"
          class="danger"
          hx-delete={`/admin/redemptions/${r.id}`}
          hx-confirm={`Delete code #${r.id}?`}
          hx-target={`#redemption-${r.id}`}
          hx-swap="outerHTML"
        >
          Delete
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS = ["ID", "Name", "Code", "Amount", "Status", "Created", "Expires", "Redeemed by", "Redeemed at", ""];

export function RedemptionTable(props: {
  path: string;
  rows: RedemptionView[];
  now: number;
  total: number;
  page: number;
  size: number;
  keyword: string;
  status: string;
}) {
  const link = (more: Record<string, string | number | undefined>) =>
    `/admin/redemptions${qs({ keyword: props.keyword, status: props.status, ...more })}`;
  return (
    <AdminPage path={props.path}>
      <ListToolbar
        title="Redemption codes"
        search={{ action: "/admin/redemptions", placeholder: "Name, id or a full code", value: props.keyword }}
        newUrl="/admin/redemptions/new"
      >
        <button
          type="button"
          hx-delete="/admin/redemptions/invalid"
          hx-confirm="Delete every used, disabled and expired code?"
          hx-target="#admin-sink"
        >
          Delete invalid
        </button>
      </ListToolbar>
      <nav class="filters" aria-label="Status">
        {FILTERS.map(([value, label]) => (
          <a href={link({ status: value })} class={props.status === value ? "active" : ""} safe>
            {label}
          </a>
        ))}
      </nav>
      <DataTable
        columns={COLUMNS}
        bodyId="redemption-rows"
        empty={props.rows.length === 0 && <p class="empty">No code matches — clear the filter, or click New.</p>}
      >
        {props.rows.map((r) => (
          <RedemptionRow r={r} now={props.now} />
        ))}
      </DataTable>
      <Pager page={props.page} size={props.size} total={props.total} noun="codes" link={(p) => link({ p })} />
      <DialogSlot />
      <CopyManualDialog what="the codes" />
    </AdminPage>
  );
}

export function NewBatchDialog(props: { form: BatchForm; error?: string }) {
  const f = props.form;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post="/admin/redemptions" hx-target="#dialog-slot" autocomplete="off">
        <h2>New redemption codes</h2>
        <label>
          Name (1–20 characters)
          <input name="name" required maxlength="20" value={f.name} />
        </label>
        <label>
          How many (1–100)
          <input name="count" type="number" min="1" max="100" required value={f.count} />
        </label>
        <label>
          Amount per code ($)
          <input name="amount_usd" inputmode="decimal" required placeholder="e.g. 10" value={f.amount_usd} />
        </label>
        <label>
          Expires after (days; empty: never)
          <input name="expires_days" type="number" min="1" value={f.expires_days} />
        </label>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <DialogButtons submit="Create" />
      </form>
    </dialog>
  );
}

/** Shown once, right after a batch is made: the full codes, to copy or download; never again. */
export function NewCodesDialog(props: { codes: string[]; csv: string; quota: number }) {
  return (
    <dialog data-autoopen class="form-dialog wide">
      <h2 safe>{`${props.codes.length} codes of ${usd(props.quota)}`}</h2>
      <p>Copy or download them now: only their last 4 characters are kept, they cannot be shown again.</p>
      <textarea id="new-codes" readonly rows="8" class="mono" safe>
        {props.codes.join("\n")}
      </textarea>
      <p class="buttons">
        <button type="button" class="primary" data-copy={props.codes.join("\n")}>
          Copy
        </button>
        <a class="button" download="codes.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(props.csv)}`}>
          Download CSV
        </a>
      </p>
      <DoneButton />
    </dialog>
  );
}
