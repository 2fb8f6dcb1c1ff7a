/** @jsxImportSource @kitajs/html */
// /account: balance, change password (services/users.changeOwnPassword; this session stays, the
// others end), rotating the management-API access token (services/auth; shown once), the low-balance
// alert settings (services/user-alerts; a generated webhook secret shown once) and the user's sends.
// In the reader's language; the alert threshold is typed in their currency.
import {
  AccessTokenCard,
  AccessTokenDialog,
  AccountPage,
  PasswordForm as PasswordFormView,
} from "../../views/console/account";
import { DisplayForm } from "../../views/console/display-settings";
import { AlertSendsTable, AlertSettingsForm as AlertFormView } from "../../views/console/alerts";
import { sha256Hex } from "../core/keys";
import { isUserError } from "../errors";
import type { Translator } from "../i18n";
import { errorText } from "../i18n/errors";
import { rotateAccessToken } from "../services/auth";
import { alertSettingsView, recentSends, saveAlertSettings } from "../services/user-alerts";
import { changeOwnPassword, getUser } from "../services/users";
import { checked } from "./admin-kit";
import { displayView } from "./display";
import { typedUnits } from "./money-input";
import { type Form, first, type consoleTable } from "./route";

/** The alert form's fields → the /api/user/setting body (the threshold typed in the reader's
 * currency; `was`: the units the field showed, kept as they were when it is left untouched). */
function alertInput(form: Form, t: Translator, was: number): Record<string, unknown> | string {
  const text = first(form.threshold_usd).trim();
  let threshold: number;
  try {
    threshold = text === "" ? 0 : typedUnits(t, "threshold", text, was);
  } catch {
    return t.t("alerts.thresholdBad", { symbol: t.currency.symbol });
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
  page("/account", { title: ({ t }) => t("account.title") }, async ({ ctx, user, t }) =>
    AccountPage({
      me: await getUser(ctx, user.id),
      t,
      alerts: (
        <>
          <DisplayForm view={await displayView(ctx, user.id)} t={t} />
          <AlertFormView view={await alertSettingsView(ctx, user.id)} t={t} />
          <AlertSendsTable rows={await recentSends(ctx, user.id)} t={t} />
        </>
      ),
    }),
  );

  action("POST", "/account/alerts", {}, async ({ ctx, user, form, t }) => {
    // the form in the reader's language, whatever it says
    const AlertSettingsForm = (p: Omit<Parameters<typeof AlertFormView>[0], "t">) => AlertFormView({ ...p, t });
    const view = () => alertSettingsView(ctx, user.id);
    const input = alertInput(form, t, (await view()).quota_warning_threshold);
    if (typeof input === "string") return { html: AlertSettingsForm({ view: await view(), error: input }) as string };
    try {
      const saved = await saveAlertSettings(ctx, user, input);
      const secret = "webhook_secret" in saved ? saved.webhook_secret : undefined;
      return { html: AlertSettingsForm({ view: saved, secret }) as string, toast: t.t("alerts.saved") };
    } catch (e) {
      if (isUserError(e)) return { html: AlertSettingsForm({ view: await view(), error: errorText(e, t) }) as string };
      throw e;
    }
  });

  action("POST", "/account/password", {}, async ({ ctx, user, form, t }) => {
    const PasswordForm = (p: { error?: string }) => PasswordFormView({ ...p, t });
    const password = first(form.password);
    if (password !== first(form.password_again))
      return { html: PasswordForm({ error: t.t("account.password.differ") }) as string };
    try {
      await changeOwnPassword(
        ctx,
        user,
        { current_password: first(form.current_password), password },
        sha256Hex(user.sessionId),
      );
      return { html: PasswordForm({}) as string, toast: t.t("account.password.changed") };
    } catch (e) {
      if (isUserError(e)) return { html: PasswordForm({ error: errorText(e, t) }) as string };
      throw e;
    }
  });

  action("POST", "/account/access-token", {}, async ({ ctx, user, t }) => {
    const { access_token } = await rotateAccessToken(ctx, user);
    return {
      html:
        (AccessTokenDialog({ token: access_token, t }) as string) +
        (AccessTokenCard({ has: true, oob: true, t }) as string),
      toast: t.t("account.access.created"),
    };
  });
}
