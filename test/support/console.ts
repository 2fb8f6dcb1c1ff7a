// Test support: a signed-in console session over plain HTTP, as htmx drives it: pages and fragments
// read with the session cookie, actions sent form-encoded with the CSRF header and our own origin.
import { login } from "./server";

export type ConsoleReply = { status: number; text: string; headers: Headers };

export async function consoleSession(base: string, username: string, password: string) {
  const { cookie, csrf } = await login(base, username, password);

  async function page(path: string): Promise<ConsoleReply> {
    const res = await fetch(base + path, { headers: { cookie, "hx-request": "true" }, redirect: "manual" });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  async function act(
    method: string,
    path: string,
    form: Record<string, string | string[]> = {},
  ): Promise<ConsoleReply> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(base + path, {
      method,
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        "hx-request": "true",
        "x-csrf-token": csrf,
        origin: base,
      },
      body,
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  /** The toast an action's hx-trigger header carries, if any. */
  const toast = (r: ConsoleReply): string | undefined => {
    const t = r.headers.get("hx-trigger");
    return t ? JSON.parse(t).toast?.message : undefined;
  };

  return { cookie, csrf, page, act, toast };
}
