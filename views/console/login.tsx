/** @jsxImportSource @kitajs/html */
// The sign-in page (and its error state): a plain form that works without JavaScript; sign-up beside
// it. Both in the visitor's language, with the language switch above them (the layout's).
import type { Translator } from "../../src/i18n";
import { Layout } from "../layout";

const ErrorLine = (props: { error?: string }) =>
  props.error ? (
    <p class="alert error" role="alert" safe>
      {props.error}
    </p>
  ) : (
    ""
  );

export function LoginPage(props: {
  t: Translator;
  next: string;
  error?: string;
  username?: string;
  registerEnabled: boolean;
}) {
  const { t } = props.t;
  const here = props.next === "/token" ? "/login" : `/login?next=${encodeURIComponent(props.next)}`;
  return (
    <Layout title={t("page.title", { title: t("login.title") })} t={props.t} here={here}>
      <section class="card login">
        <h1>apiyi</h1>
        <p class="muted" safe>
          {t("login.lead")}
        </p>
        <ErrorLine error={props.error} />
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            <span safe>{t("login.username")}</span>
            <input name="username" autocomplete="username" required value={props.username ?? ""} autofocus />
          </label>
          <label>
            <span safe>{t("login.password")}</span>
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit" class="primary wide" safe>
            {t("login.submit")}
          </button>
        </form>
        {props.registerEnabled ? (
          <p class="muted">
            <span safe>{t("login.noAccount")}</span>{" "}
            <a href="/register" safe>
              {t("login.signUp")}
            </a>
          </p>
        ) : (
          ""
        )}
      </section>
    </Layout>
  );
}

/** Sign-up (only while the register_enabled setting is on). */
export function RegisterPage(props: { t: Translator; error?: string; username?: string }) {
  const { t } = props.t;
  return (
    <Layout title={t("page.title", { title: t("register.title") })} t={props.t} here="/register">
      <section class="card login">
        <h1 safe>{t("register.heading")}</h1>
        <ErrorLine error={props.error} />
        <form method="post" action="/register">
          <label>
            <span safe>{t("login.username")}</span>
            <input name="username" autocomplete="username" required value={props.username ?? ""} autofocus />
          </label>
          <label>
            <span safe>{t("register.password")}</span>
            <input name="password" type="password" autocomplete="new-password" required minlength="8" />
          </label>
          <button type="submit" class="primary wide" safe>
            {t("register.submit")}
          </button>
        </form>
        <p class="muted">
          <span safe>{t("register.haveAccount")}</span>{" "}
          <a href="/login" safe>
            {t("register.signIn")}
          </a>
        </p>
      </section>
    </Layout>
  );
}
