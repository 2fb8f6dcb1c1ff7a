/** @jsxImportSource @kitajs/html */
// /topup: the Redeem box (a code credits the balance; any failure reads the same) and the history of
// top-ups: codes, admins' top-ups and adjustments, each with the balance after it ("—" on rows written
// before that was recorded). Admins see everyone's, with a filter by username. Words from the reader's
// catalog, amounts in their currency, dates in their time zone.
import { LOG_TYPE } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { qs } from "./admin-kit";
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

export function RedeemForm(props: { message?: { ok: boolean; text: string }; t: Translator }) {
  const m = props.message;
  const { t } = props.t;
  return (
    <form
      id="redeem-form"
      class="card stack"
      hx-post="/topup/redeem"
      hx-target="this"
      hx-swap="outerHTML"
      autocomplete="off"
    >
      <h2 safe>{t("topup.redeem.title")}</h2>
      <label>
        <span safe>{t("topup.redeem.code")}</span>
        <input name="key" required maxlength="200" placeholder={t("topup.redeem.placeholder")} spellcheck="false" />
      </label>
      {m ? (
        <p class={m.ok ? "alert ok" : "alert error"} role="alert" safe>
          {m.text}
        </p>
      ) : (
        ""
      )}
      <div class="buttons">
        <button type="submit" class="primary" safe>
          {t("topup.redeem.submit")}
        </button>
      </div>
    </form>
  );
}

export function BalanceLine(props: { quota: number; unlimited: boolean; oob?: boolean; t: Translator }) {
  return (
    <p id="topup-balance" hx-swap-oob={props.oob ? "true" : undefined} safe>
      {props.t.t("topup.balance", { balance: balance(props.quota, props.unlimited, props.t) })}
    </p>
  );
}

const KIND: Record<number, PlainKey> = { [LOG_TYPE.topup]: "topup.kind.topup", [LOG_TYPE.admin]: "topup.kind.admin" };

export type HistoryProps = {
  rows: TopUpRow[];
  total: number;
  page: number;
  size: number;
  /** admins: the username filter ("" = everyone) */
  user?: string;
  oob?: boolean;
  t: Translator;
};

export function TopUpHistory(props: HistoryProps) {
  const admin = props.user !== undefined;
  const tr = props.t;
  const { t } = tr;
  const columns = [
    t("topup.col.date", { tz: tr.tz }),
    ...(admin ? [t("topup.col.user")] : []),
    t("topup.col.kind"),
    t("topup.col.amount"),
    t("topup.col.balanceAfter"),
    t("topup.col.details"),
  ];
  const empty = (
    <p class="empty" safe>
      {t("topup.history.empty")}
    </p>
  );
  return (
    <section id="topup-history" class="stack" hx-swap-oob={props.oob ? "true" : undefined}>
      <div class="toolbar">
        <h2 safe>{t(admin ? "topup.history.everyone" : "topup.history.mine")}</h2>
        {admin ? (
          <form method="get" action="/topup" class="search">
            <input name="user" placeholder={t("topup.history.filter")} value={props.user} />
          </form>
        ) : (
          ""
        )}
      </div>
      <DataTable columns={columns} empty={props.rows.length === 0 && empty}>
        {props.rows.map((r) => (
          <tr>
            <td safe>{tr.dateTime(r.created_at * 1000)}</td>
            {admin ? <td safe>{r.username}</td> : ""}
            <td safe>{KIND[r.type] ? t(KIND[r.type]) : String(r.type)}</td>
            <td class="num" safe>
              {usd(r.quota, true, tr)}
            </td>
            <td class="num" safe>
              {r.balance_after === null ? "—" : usd(r.balance_after, false, tr)}
            </td>
            <td safe>{r.content}</td>
          </tr>
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        summary={(f) => t("topup.pager", f)}
        t={tr}
        link={(p) => `/topup${qs({ p, user: props.user })}`}
      />
    </section>
  );
}

export function TopUpPage(props: { quota: number; unlimited: boolean; history: HistoryProps; t: Translator }) {
  return (
    <>
      <div class="toolbar">
        <h1 safe>{props.t.t("topup.title")}</h1>
      </div>
      <BalanceLine quota={props.quota} unlimited={props.unlimited} t={props.t} />
      <RedeemForm t={props.t} />
      <TopUpHistory {...props.history} />
    </>
  );
}
