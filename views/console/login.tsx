/** @jsxImportSource @kitajs/html */
// The sign-in page (and its error state): a plain form that works without JavaScript.
import { Layout } from "../layout";

export function LoginPage(props: { next: string; error?: string; username?: string; registerEnabled: boolean }) {
  return (
    <Layout title="Sign in · apiyi">
      <section class="card login">
        <h1>apiyi</h1>
        <p class="muted">Sign in to manage your API keys.</p>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Username
            <input name="username" autocomplete="username" required value={props.username ?? ""} autofocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit" class="primary wide">
            Sign in
          </button>
        </form>
        {props.registerEnabled ? (
          <p class="muted">
            No account? <a href="/register">Sign up</a>
          </p>
        ) : (
          ""
        )}
      </section>
    </Layout>
  );
}

/** Sign-up (only while the register_enabled setting is on). */
export function RegisterPage(props: { error?: string; username?: string }) {
  return (
    <Layout title="Sign up · apiyi">
      <section class="card login">
        <h1>Create an account</h1>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <form method="post" action="/register">
          <label>
            Username
            <input name="username" autocomplete="username" required value={props.username ?? ""} autofocus />
          </label>
          <label>
            Password (at least 8 characters)
            <input name="password" type="password" autocomplete="new-password" required minlength="8" />
          </label>
          <button type="submit" class="primary wide">
            Sign up
          </button>
        </form>
        <p class="muted">
          Have an account? <a href="/login">Sign in</a>
        </p>
      </section>
    </Layout>
  );
}
