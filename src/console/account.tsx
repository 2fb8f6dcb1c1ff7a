/** @jsxImportSource @kitajs/html */
// /account: balance, change password (services/users.changeOwnPassword; this session stays, the
// others end), and rotating the management-API access token (services/auth; shown once).
import { AccessTokenCard, AccessTokenDialog, AccountPage, PasswordForm } from "../../views/console/account";
import { sha256Hex } from "../core/keys";
import { isUserError } from "../errors";
import { rotateAccessToken } from "../services/auth";
import { changeOwnPassword, getUser } from "../services/users";
import { first, type consoleTable } from "./route";

export function accountPages({ page, action }: ReturnType<typeof consoleTable>) {
  page("/account", { title: "Account" }, ({ ctx, user }) => AccountPage({ me: getUser(ctx, user.id) }) as string);

  action("POST", "/account/password", {}, async ({ ctx, user, form }) => {
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
      if (isUserError(e)) return { html: PasswordForm({ error: e.message }) as string };
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
