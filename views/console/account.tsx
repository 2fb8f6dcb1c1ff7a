/** @jsxImportSource @kitajs/html */
// /account: balance and use (and when a budgeted balance comes back), the change-password form (errors shown in it), and the management-API
// access token (rotated on request, shown once in a dialog); below, the alert card and send log.
import type { Children } from "@kitajs/html";
import { utc } from "./admin-kit";
import { duration } from "./budget";
import { CopyManualDialog, DialogSlot, DoneButton, KeyBox } from "./kit";
import type { BudgetFields } from "./models";
import { balance, usd } from "./money";

export type AccountView = {
  username: string;
  role: string;
  quota: number;
  used_quota: number;
  unlimited: boolean;
  request_count: number;
  has_access_token: boolean;
} & BudgetFields;

/** Where the balance comes from: an admin's top-ups, or an allowance that comes back each period. */
function balanceNote(me: AccountView): string {
  if (me.unlimited) return "Your calls are not limited by a balance.";
  if (!me.budget_period || me.period_resets_at === null || me.period_resets_in === null)
    return "An admin tops up your balance.";
  const when = `${utc(me.period_resets_at).slice(0, 16)} UTC, in ${duration(me.period_resets_in)}`;
  return `Your balance is set back to ${usd(me.period_quota)} ${me.budget_period}: next at ${when}. A top-up adds to the current period only.`;
}

export function PasswordForm(props: { error?: string }) {
  return (
    <form id="password-form" class="card stack" hx-post="/account/password" hx-target="this" hx-swap="outerHTML">
      <h2>Change password</h2>
      {props.error ? (
        <p class="alert error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
      <label>
        Current password
        <input type="password" name="current_password" autocomplete="current-password" required />
      </label>
      <label>
        New password (at least 8 characters)
        <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128" />
      </label>
      <label>
        Repeat the new password
        <input
          type="password"
          name="password_again"
          autocomplete="new-password"
          required
          minlength="8"
          maxlength="128"
        />
      </label>
      <p class="muted small">Your other sessions are signed out; this one stays.</p>
      <div class="buttons">
        <button type="submit" class="primary">
          Change password
        </button>
      </div>
    </form>
  );
}

export function AccountPage(props: { me: AccountView; alerts?: Children }) {
  const me = props.me;
  return (
    <>
      <div class="toolbar">
        <h1>Account</h1>
        <span class="muted" safe>
          {`${me.username} · ${me.role}`}
        </span>
      </div>
      <div class="account-grid">
        <section class="card stack">
          <h2>Balance</h2>
          <dl class="stats">
            <div>
              <dt>Balance</dt>
              <dd id="balance" safe>
                {balance(me.quota, me.unlimited)}
              </dd>
            </div>
            <div>
              <dt>Used</dt>
              <dd safe>{usd(me.used_quota)}</dd>
            </div>
            <div>
              <dt>Calls</dt>
              <dd safe>{String(me.request_count)}</dd>
            </div>
          </dl>
          <p class="muted small" id="balance-note" safe>
            {balanceNote(me)}
          </p>
        </section>
        <PasswordForm />
        <AccessTokenCard has={me.has_access_token} />
      </div>
      {props.alerts ?? ""}
      <DialogSlot />
      <CopyManualDialog what="it" />
    </>
  );
}

/** The access-token card; after a rotation it comes back out-of-band (`oob`) with its new wording. */
export function AccessTokenCard(props: { has: boolean; oob?: boolean }) {
  return (
    <section class="card stack" id="access-token-card" hx-swap-oob={props.oob ? "true" : undefined}>
      <h2>Access token</h2>
      <p>
        Scripts use it to manage your tokens through the management API (<code>/api/…</code>, header{" "}
        <code>Authorization: Bearer …</code>). It is not an <code>sk-</code> key for model calls.
      </p>
      <p class="muted small">
        {props.has
          ? "You have an access token. A new one replaces it: scripts using the old one stop working."
          : "You have no access token yet."}
      </p>
      <div class="buttons">
        <button
          type="button"
          class="primary"
          hx-post="/account/access-token"
          hx-target="#dialog-slot"
          hx-confirm={props.has ? "Replace your access token? Scripts using the current one stop working." : undefined}
        >
          {props.has ? "Rotate access token" : "Create access token"}
        </button>
      </div>
    </section>
  );
}

/** Shown once after a rotation: the new access token, to copy. */
export function AccessTokenDialog(props: { token: string }) {
  return (
    <dialog data-autoopen class="form-dialog">
      <h2>New access token</h2>
      <p>
        Copy it now: it is shown this once. Send it as <code>Authorization: Bearer …</code> to the management API.
      </p>
      <KeyBox value={props.token} id="access-token" />
      <DoneButton />
    </dialog>
  );
}
