/** @jsxImportSource @kitajs/html */
// Alerts in the console: the low-balance banner on every page of a user below their threshold, the
// alert settings card of /account (threshold in the reader's currency, webhook and its secret, shown
// once when apiyi generated it), and the send log (the user's own on /account, everyone's on
// /admin/settings). In the reader's language (English when a caller passes no translator).
import type { PlainKey, Translator } from "../../src/i18n";
import { DataTable, KeyBox } from "./kit";
import { usd } from "./money";

export type AlertSettingsView = {
  notify_type: string;
  quota_warning_threshold: number;
  webhook_url: string;
  has_webhook_secret: boolean;
};

export type AlertSendView = {
  kind: string;
  username: string | null;
  subject: string;
  destination: string;
  host: string;
  status: string;
  attempts: number;
  last_error: string;
  created_at: number;
};

/** Above every page while the balance is below the alert threshold (the layout's, in the reader's language). */
export function LowBalanceBanner(props: { quota: number; threshold: number; t: Translator }) {
  const t = props.t;
  const text = t.t("banner.lowBalance", {
    balance: usd(props.quota, false, t),
    threshold: usd(props.threshold, false, t),
  });
  return (
    <p class="alert warn banner" role="status" id="low-balance-banner" safe>
      {text}
    </p>
  );
}

/** The threshold as the field shows it: in the reader's currency, without the symbol ("" when off). */
const thresholdText = (units: number, t: Translator) => (units > 0 ? t.moneyValue(units) : "");
const URL_HINT = "https://…";

export function AlertSettingsForm(props: { view: AlertSettingsView; error?: string; secret?: string; t: Translator }) {
  const v = props.view;
  const tr = props.t;
  const { t } = tr;
  return (
    <form id="alert-form" class="card stack" hx-post="/account/alerts" hx-target="this" hx-swap="outerHTML">
      <h2 safe>{t("alerts.title")}</h2>
      {props.error ? (
        <p class="alert error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
      {props.secret ? (
        <div class="stack">
          <p safe>{t("alerts.secretShown")}</p>
          <KeyBox value={props.secret} id="webhook-secret" t={tr} />
        </div>
      ) : (
        ""
      )}
      <label>
        <span safe>{t("alerts.threshold", { symbol: tr.currency.symbol })}</span>
        <input name="threshold_usd" inputmode="decimal" value={thresholdText(v.quota_warning_threshold, tr)} />
      </label>
      <label>
        <span safe>{t("alerts.sendTo")}</span>
        <select name="notify_type">
          <option value="none" selected={v.notify_type !== "webhook"} safe>
            {t("alerts.sendTo.none")}
          </option>
          <option value="webhook" selected={v.notify_type === "webhook"} safe>
            {t("alerts.sendTo.webhook")}
          </option>
        </select>
      </label>
      <label>
        <span safe>{t("alerts.webhookUrl")}</span>
        <input name="webhook_url" type="url" maxlength="2000" value={v.webhook_url} placeholder={URL_HINT} />
      </label>
      <label>
        <span safe>{t(v.has_webhook_secret ? "alerts.secret.set" : "alerts.secret.none")}</span>
        <input name="webhook_secret" type="password" autocomplete="off" minlength="16" maxlength="200" />
      </label>
      <label class="check">
        <input type="checkbox" name="regenerate_secret" value="1" /> <span safe>{t("alerts.regenerate")}</span>
      </label>
      <p class="muted small" safe>
        {t("alerts.note")}
      </p>
      <div class="buttons">
        <button type="submit" class="primary" safe>
          {t("alerts.save")}
        </button>
      </div>
    </form>
  );
}

const KIND: Record<string, PlainKey> = {
  balance_low: "alerts.kind.balance_low",
  channel_disabled: "alerts.kind.channel_disabled",
  upstream_balance_low: "alerts.kind.upstream_balance_low",
  breaker_open: "alerts.kind.breaker_open",
};
const STATUS: Record<string, PlainKey> = {
  sending: "alerts.status.sending",
  delivered: "alerts.status.delivered",
  failed: "alerts.status.failed",
  suppressed: "alerts.status.suppressed",
};
/** a code's words, or the code itself when the catalog has none */
const say = (t: Translator["t"], words: Record<string, PlainKey>, code: string) =>
  Object.hasOwn(words, code) ? t(words[code]) : code;

/** The last sends, newest first; `everyone` adds who each went to. */
export function AlertSendsTable(props: { rows: AlertSendView[]; everyone?: boolean; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  const columns = [
    t("alerts.col.time", { tz: tr.tz }),
    ...(props.everyone ? [t("alerts.col.to")] : []),
    t("alerts.col.kind"),
    t("alerts.col.host"),
    t("alerts.col.status"),
    t("alerts.col.attempts"),
    t("alerts.col.lastError"),
  ];
  const empty = (
    <p class="muted" safe>
      {t("alerts.sends.empty")}
    </p>
  );
  return (
    <section class="card stack" id="alert-sends">
      <h2 safe>{t(props.everyone ? "alerts.sends.everyone" : "alerts.sends.mine")}</h2>
      <DataTable columns={columns} empty={props.rows.length ? undefined : empty}>
        {props.rows.map((r) => (
          <tr>
            <td safe>{tr.dateTime(r.created_at * 1000)}</td>
            {props.everyone ? <td safe>{r.username ?? t("alerts.sends.toAdmin", { subject: r.subject })}</td> : ""}
            <td safe>{say(t, KIND, r.kind)}</td>
            <td safe>{`${r.destination} · ${r.host}`}</td>
            <td class={`alert-status ${r.status}`} safe>
              {say(t, STATUS, r.status)}
            </td>
            <td safe>{tr.num(r.attempts)}</td>
            <td safe>{r.last_error}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
