/** @jsxImportSource @kitajs/html */
// /topup: the Redeem box (a code credits the balance; any failure reads the same) and the history of
// top-ups: codes, admins' top-ups and adjustments, each with the balance after it ("—" on rows written
// before that was recorded). Admins see everyone's, with a filter by username.
import { LOG_TYPE } from "../../src/core/status";
import { qs, utc } from "./admin-kit";
import { DataTable, Pager } from "./kit";
import { balance, usd } from "./money";

export type TopUpRow = {
  id: number;
  created_at: number;
  type: number;
  username: string;
  quota: number;
  balance_after: number | null;
  content: string;
};

export function RedeemForm(props: { message?: { ok: boolean; text: string } }) {
  const m = props.message;
  return (
    <form
      id="redeem-form"
      class="card stack"
      hx-post="/topup/redeem"
      hx-target="this"
      hx-swap="outerHTML"
      autocomplete="off"
    >
      <h2>Redeem a code</h2>
      <label>
        Code
        <input name="key" required maxlength="200" placeholder="32 characters, as you received it" spellcheck="false" />
      </label>
      {m ? (
        <p class={m.ok ? "alert ok" : "alert error"} role="alert" safe>
          {m.text}
        </p>
      ) : (
        ""
      )}
      <div class="buttons">
        <button type="submit" class="primary">
          Redeem
        </button>
      </div>
    </form>
  );
}

export function BalanceLine(props: { quota: number; unlimited: boolean; oob?: boolean }) {
  return (
    <p id="topup-balance" hx-swap-oob={props.oob ? "true" : undefined} safe>
      {`Balance: ${balance(props.quota, props.unlimited)}`}
    </p>
  );
}

const KIND: Record<number, string> = { [LOG_TYPE.topup]: "Top-up", [LOG_TYPE.admin]: "Adjustment" };

export type HistoryProps = {
  rows: TopUpRow[];
  total: number;
  page: number;
  size: number;
  /** admins: the username filter ("" = everyone) */
  user?: string;
  oob?: boolean;
};

export function TopUpHistory(props: HistoryProps) {
  const admin = props.user !== undefined;
  const columns = ["Date (UTC)", ...(admin ? ["User"] : []), "Kind", "Amount", "Balance after", "Details"];
  return (
    <section id="topup-history" class="stack" hx-swap-oob={props.oob ? "true" : undefined}>
      <div class="toolbar">
        <h2>{admin ? "Top-ups of every user" : "Your top-ups"}</h2>
        {admin ? (
          <form method="get" action="/topup" class="search">
            <input name="user" placeholder="Filter by username" value={props.user} />
          </form>
        ) : (
          ""
        )}
      </div>
      <DataTable columns={columns} empty={props.rows.length === 0 && <p class="empty">No top-ups yet.</p>}>
        {props.rows.map((r) => (
          <tr>
            <td safe>{utc(r.created_at)}</td>
            {admin ? <td safe>{r.username}</td> : ""}
            <td safe>{KIND[r.type] ?? String(r.type)}</td>
            <td class="num" safe>
              {usd(r.quota, true)}
            </td>
            <td class="num" safe>
              {r.balance_after === null ? "—" : usd(r.balance_after)}
            </td>
            <td safe>{r.content}</td>
          </tr>
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        noun="entries"
        link={(p) => `/topup${qs({ p, user: props.user })}`}
      />
    </section>
  );
}

export function TopUpPage(props: { quota: number; unlimited: boolean; history: HistoryProps }) {
  return (
    <>
      <div class="toolbar">
        <h1>Top up</h1>
      </div>
      <BalanceLine quota={props.quota} unlimited={props.unlimited} />
      <RedeemForm />
      <TopUpHistory {...props.history} />
    </>
  );
}
