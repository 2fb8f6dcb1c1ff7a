/** @jsxImportSource @kitajs/html */
// /account: balance and use (and when a budgeted balance comes back), the change-password form (errors
// shown in it), and the management-API access token (rotated on request, shown once in a dialog);
// below, the alert card and send log. Words from the reader's catalog, amounts in their currency, the
// reset time in their time zone.
import type { Children } from "@kitajs/html";
import type { PlainKey, Translator } from "../../src/i18n";
import { duration } from "./budget";
import { CopyManualDialog, DialogSlot, DoneButton, KeyBox, Rich } from "./kit";
import type { BudgetFields } from "./models";
import { balance } from "./money";

export type AccountView = {
  username: string;
  role: string;
  quota: number;
  used_quota: number;
  unlimited: boolean;
  request_count: number;
  has_access_token: boolean;
} & BudgetFields;

const PERIOD: Record<string, PlainKey> = { daily: "budget.daily", weekly: "budget.weekly", monthly: "budget.monthly" };
const ROLE: Record<string, PlainKey> = { admin: "account.role.admin", user: "account.role.user" };

/** Where the balance comes from: an admin's top-ups, or an allowance that comes back each period. */
function balanceNote(me: AccountView, tr: Translator): string {
  const { t } = tr;
  if (me.unlimited) return t("account.note.unlimited");
  if (!me.budget_period || me.period_resets_at === null || me.period_resets_in === null)
    return t("account.note.topups");
  const period = PERIOD[me.budget_period];
  return t("account.note.budget", {
    amount: tr.money(me.period_quota),
    period: period ? t(period) : me.budget_period,
    when: tr.dateTime(me.period_resets_at * 1000),
    tz: tr.tz,
    duration: duration(me.period_resets_in, tr),
  });
}

const code = (text: string) => (<code safe>{text}</code>) as string;
const BEARER = code("Authorization: Bearer …");

export function PasswordForm(props: { error?: string; t: Translator }) {
  const { t } = props.t;
  return (
    <form id="password-form" class="card stack" hx-post="/account/password" hx-target="this" hx-swap="outerHTML">
      <h2 safe>{t("account.password.title")}</h2>
      {props.error ? (
        <p class="alert error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
      <label>
        <span safe>{t("account.password.current")}</span>
        <input type="password" name="current_password" autocomplete="current-password" required />
      </label>
      <label>
        <span safe>{t("account.password.new")}</span>
        <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128" />
      </label>
      <label>
        <span safe>{t("account.password.again")}</span>
        <input
          type="password"
          name="password_again"
          autocomplete="new-password"
          required
          minlength="8"
          maxlength="128"
        />
      </label>
      <p class="muted small" safe>
        {t("account.password.note")}
      </p>
      <div class="buttons">
        <button type="submit" class="primary" safe>
          {t("account.password.submit")}
        </button>
      </div>
    </form>
  );
}

function BalanceCard(props: { me: AccountView; t: Translator }) {
  const { me } = props;
  const tr = props.t;
  const { t } = tr;
  return (
    <section class="card stack">
      <h2 safe>{t("account.balance")}</h2>
      <dl class="stats">
        <div>
          <dt safe>{t("account.balance")}</dt>
          <dd id="balance" safe>
            {balance(me.quota, me.unlimited, tr)}
          </dd>
        </div>
        <div>
          <dt safe>{t("account.used")}</dt>
          <dd safe>{tr.money(me.used_quota)}</dd>
        </div>
        <div>
          <dt safe>{t("account.calls")}</dt>
          <dd safe>{tr.num(me.request_count)}</dd>
        </div>
      </dl>
      <p class="muted small" id="balance-note" safe>
        {balanceNote(me, tr)}
      </p>
    </section>
  );
}

export function AccountPage(props: { me: AccountView; alerts?: Children; t: Translator }) {
  const { me } = props;
  const tr = props.t;
  const role = ROLE[me.role] ? tr.t(ROLE[me.role]) : me.role;
  return (
    <>
      <div class="toolbar">
        <h1 safe>{tr.t("account.title")}</h1>
        <span class="muted" safe>
          {`${me.username} · ${role}`}
        </span>
      </div>
      <div class="account-grid">
        <BalanceCard me={me} t={tr} />
        <PasswordForm t={tr} />
        <AccessTokenCard has={me.has_access_token} t={tr} />
      </div>
      {props.alerts ?? ""}
      <DialogSlot />
      <CopyManualDialog prompt={tr.t("copy.manual")} t={tr} />
    </>
  );
}

/** The access-token card; after a rotation it comes back out-of-band (`oob`) with its new wording. */
export function AccessTokenCard(props: { has: boolean; oob?: boolean; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  return (
    <section class="card stack" id="access-token-card" hx-swap-oob={props.oob ? "true" : undefined}>
      <h2 safe>{t("account.access.title")}</h2>
      <p>
        <Rich t={tr} k="account.access.about" parts={{ api: code("/api/…"), header: BEARER, sk: code("sk-") }} />
      </p>
      <p class="muted small" safe>
        {t(props.has ? "account.access.have" : "account.access.none")}
      </p>
      <div class="buttons">
        <button
          type="button"
          class="primary"
          hx-post="/account/access-token"
          hx-target="#dialog-slot"
          hx-confirm={props.has ? t("account.access.confirm") : undefined}
          safe
        >
          {t(props.has ? "account.access.rotate" : "account.access.create")}
        </button>
      </div>
    </section>
  );
}

/** Shown once after a rotation: the new access token, to copy. */
export function AccessTokenDialog(props: { token: string; t: Translator }) {
  const tr = props.t;
  return (
    <dialog data-autoopen class="form-dialog">
      <h2 safe>{tr.t("account.access.new")}</h2>
      <p>
        <Rich t={tr} k="account.access.copyNow" parts={{ header: BEARER }} />
      </p>
      <KeyBox value={props.token} id="access-token" t={tr} />
      <DoneButton t={tr} />
    </dialog>
  );
}
