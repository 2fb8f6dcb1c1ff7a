/** @jsxImportSource @kitajs/html */
// Alerts in the console: the low-balance banner on every page of a user below their threshold, the
// alert settings card of /account (threshold in $, webhook and its secret, shown once when apiyi
// generated it), and the send log (the user's own on /account, everyone's on /admin/settings).
import { EN, type Translator } from "../../src/i18n";
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
export function LowBalanceBanner(props: { quota: number; threshold: number; t?: Translator }) {
  const t = props.t ?? EN;
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

/** The threshold as the field shows it: dollars without the "$" ("" when off). */
const thresholdText = (units: number) => (units > 0 ? usd(units).slice(1) : "");

export function AlertSettingsForm(props: { view: AlertSettingsView; error?: string; secret?: string }) {
  const v = props.view;
  return (
    <form id="alert-form" class="card stack" hx-post="/account/alerts" hx-target="this" hx-swap="outerHTML">
      <h2>Low-balance alert</h2>
      {props.error ? (
        <p class="alert error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
      {props.secret ? (
        <div class="stack">
          <p>Your webhook secret (shown this once; receivers check X-Webhook-Signature with it):</p>
          <KeyBox value={props.secret} id="webhook-secret" />
        </div>
      ) : (
        ""
      )}
      <label>
        Alert below this balance, in $ (empty or 0: off)
        <input name="threshold_usd" inputmode="decimal" value={thresholdText(v.quota_warning_threshold)} />
      </label>
      <label>
        Send the alert to
        <select name="notify_type">
          <option value="none" selected={v.notify_type !== "webhook"}>
            nowhere (the banner on these pages only)
          </option>
          <option value="webhook" selected={v.notify_type === "webhook"}>
            my webhook
          </option>
        </select>
      </label>
      <label>
        Webhook URL (a public address; POST JSON, signed)
        <input name="webhook_url" type="url" maxlength="2000" value={v.webhook_url} placeholder="https://…" />
      </label>
      <label>
        Webhook secret ({v.has_webhook_secret ? "set; empty keeps it" : "none yet; empty lets apiyi make one"})
        <input name="webhook_secret" type="password" autocomplete="off" minlength="16" maxlength="200" />
      </label>
      <label class="check">
        <input type="checkbox" name="regenerate_secret" value="1" /> Make a new secret (shown once)
      </label>
      <p class="muted small">At most one alert per period (the admin sets it); the banner shows while you are below.</p>
      <div class="buttons">
        <button type="submit" class="primary">
          Save alert
        </button>
      </div>
    </form>
  );
}

const when = (unix: number) => new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 19);

/** The last sends, newest first; `everyone` adds who each went to. */
export function AlertSendsTable(props: { rows: AlertSendView[]; everyone?: boolean }) {
  const columns = ["Time (UTC)", ...(props.everyone ? ["To"] : []), "Kind", "Host", "Status", "Attempts", "Last error"];
  return (
    <section class="card stack" id="alert-sends">
      <h2>{props.everyone ? "Alert sends (everyone's, last 50)" : "Your alert sends (last 50)"}</h2>
      <DataTable columns={columns} empty={props.rows.length ? undefined : <p class="muted">No alerts sent yet.</p>}>
        {props.rows.map((r) => (
          <tr>
            <td safe>{when(r.created_at)}</td>
            {props.everyone ? <td safe>{r.username ?? `admin (${r.subject})`}</td> : ""}
            <td safe>{r.kind}</td>
            <td safe>{`${r.destination} · ${r.host}`}</td>
            <td class={`alert-status ${r.status}`} safe>
              {r.status}
            </td>
            <td safe>{String(r.attempts)}</td>
            <td safe>{r.last_error}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
