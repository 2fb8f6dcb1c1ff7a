/** @jsxImportSource @kitajs/html */
// /account: balance, change password (services/users.changeOwnPassword; this session stays, the
// others end), rotating the management-API access token (services/auth; shown once), the low-balance
// alert settings (services/user-alerts; a generated webhook secret shown once) and the user's sends.
import { AccessTokenCard, AccessTokenDialog, AccountPage, PasswordForm } from "../../views/console/account";
import { AlertSendsTable, AlertSettingsForm } from "../../views/console/alerts";
import { usdToUnits } from "../core/money";
import { sha256Hex } from "../core/keys";
import { isUserError } from "../errors";
import { errorText } from "../i18n/errors";
import { rotateAccessToken } from "../services/auth";
import { alertSettingsView, recentSends, saveAlertSettings } from "../services/user-alerts";
import { changeOwnPassword, getUser } from "../services/users";
import { checked } from "./admin-kit";
import { type Form, first, type consoleTable } from "./route";

/** The alert form's fields → the /api/user/setting body (the threshold typed in $). */
function alertInput(form: Form): Record<string, unknown> | string {
  const text = first(form.threshold_usd).trim().replace(/^\$/, "");
  let threshold: number;
  try {
    threshold = text === "" ? 0 : usdToUnits(text);
  } catch {
    return "threshold: give an amount in $, e.g. 5 or 0.50";
  }
  const secret = first(form.webhook_secret);
  return {
    quota_warning_threshold: threshold,
    notify_type: first(form.notify_type) || "none",
    webhook_url: first(form.webhook_url).trim(),
    ...(secret ? { webhook_secret: secret } : {}),
    regenerate_secret: checked(form, "regenerate_secret"),
  };
}

export function accountPages({ page, action }: ReturnType<typeof consoleTable>) {
  page("/account", { title: "Account" }, ({ ctx, user }) =>
    AccountPage({
      me: getUser(ctx, user.id),
      alerts: (
        <>
          <AlertSettingsForm view={alertSettingsView(ctx, user.id)} />
          <AlertSendsTable rows={recentSends(ctx, user.id)} />
        </>
      ),
    }),
  );

  action("POST", "/account/alerts", {}, ({ ctx, user, form, t }) => {
    const input = alertInput(form);
    const view = () => alertSettingsView(ctx, user.id);
    if (typeof input === "string") return { html: AlertSettingsForm({ view: view(), error: input }) as string };
    try {
      const saved = saveAlertSettings(ctx, user, input);
      const secret = "webhook_secret" in saved ? saved.webhook_secret : undefined;
      return { html: AlertSettingsForm({ view: saved, secret }) as string, toast: "Alert saved" };
    } catch (e) {
      if (isUserError(e)) return { html: AlertSettingsForm({ view: view(), error: errorText(e, t) }) as string };
      throw e;
    }
  });

  action("POST", "/account/password", {}, async ({ ctx, user, form, t }) => {
    const password = first(form.password);
    if (password !== first(form.password_again))
      return { html: PasswordForm({ error: "the two new passwords differ" }) as string };
    try {
      await changeOwnPassword(
        ctx,
        user,
        { current_password: first(form.current_password), password },
        sha256Hex(user.sessionId),
      );
      return { html: PasswordForm({}) as string, toast: "Password changed" };
    } catch (e) {
      if (isUserError(e)) return { html: PasswordForm({ error: errorText(e, t) }) as string };
      throw e;
    }
  });

  action("POST", "/account/access-token", {}, ({ ctx, user }) => {
    const { access_token } = rotateAccessToken(ctx, user);
    return {
      html:
        (AccessTokenDialog({ token: access_token }) as string) + (AccessTokenCard({ has: true, oob: true }) as string),
      toast: "New access token created",
    };
  });
}
