/** @jsxImportSource @kitajs/html */
// How a console page or action is declared. Pages need a session (else: /login) and, for admin
// pages, the admin role (else: a 403 page). Actions (htmx POST/PUT/DELETE) also need the same origin
// and the CSRF token; their body is read under the management body limit and deadline (413 / 408 as
// a toast); they answer an HTML fragment, with an HX-Trigger toast, or a redirect. Each call carries
// the reader's translator (console/language.ts): the layout is always in their language; a page's
// own words are, once the page passes `t` to its views; so are its refusals (i18n/errors.ts errorText).
import { Elysia } from "elysia";
import { USER_ROLE } from "../core/status";
import { type AppError, asAppError } from "../errors";
import { managementLimits } from "../http/management-limits";
import { requestClientIp } from "../http/client-ip";
import { readBodyBytes } from "../http/read-body";
import type { Ctx } from "../services/context";
import { LowBalanceBanner } from "../../views/console/alerts";
import { Layout } from "../../views/layout";
import { belowThreshold } from "../core/alerts";
import { consoleUser, csrfOk, sameOrigin, type ConsoleUser } from "./guard";
import type { Translator } from "../i18n";
import { errorText } from "../i18n/errors";
import { DialogError } from "../../views/console/admin-kit";
import { requestTranslator } from "./language";

export type PageCall = {
  ctx: Ctx;
  user: ConsoleUser;
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  path: string;
  /** the page the browser shows (htmx's HX-Current-URL; for a page, its own URL): an action that
   * changes a list redraws that page's footer */
  shown: URL;
  /** the reader's language */
  t: Translator;
};
export type Form = Record<string, string | string[]>;
/** `ip`: the client's address, through trusted proxies (http/client-ip.ts) */
export type ActionCall = PageCall & { form: Form; ip: string };
export type ActionReply = {
  html?: string;
  toast?: string;
  error?: string;
  redirect?: string;
  closeDialog?: boolean;
  /** a refusal for the open dialog's error line, out-of-band (admin-kit fromDialog) */
  refusal?: AppError;
};

/** htmx names the page a request came from; a plain request is its own page. */
export function shownUrl(request: Request): URL {
  const current = request.headers.get("hx-current-url");
  try {
    if (current) return new URL(current);
  } catch {}
  return new URL(request.url);
}

const html = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } });

/** What every console request hands its handler: who, what was asked, and in which language. */
export async function pageCall(
  ctx: Ctx,
  request: Request,
  user: ConsoleUser,
  at: Pick<PageCall, "query" | "params" | "path">,
): Promise<PageCall> {
  return { ctx, user, ...at, shown: shownUrl(request), t: await requestTranslator(ctx, request, user) };
}

export function forbiddenPage(user: ConsoleUser, path: string, tr: Translator) {
  const { t } = tr;
  return html(
    Layout({
      title: t("forbidden.title"),
      user,
      path,
      t: tr,
      children: (
        <section class="empty">
          <h1 safe>{t("forbidden.title")}</h1>
          <p safe>{t("forbidden.body")}</p>
        </section>
      ),
    }) as string,
    403,
  );
}

type BodyServer = Parameters<typeof readBodyBytes>[2];

/** Form fields, repeated keys as arrays (multi-selects); the body read within `managementLimits`. */
export async function readForm(ctx: Ctx, request: Request, server?: BodyServer): Promise<Form> {
  const type = request.headers.get("content-type") ?? "";
  const bytes = await readBodyBytes(request, managementLimits(ctx), server);
  if (type.includes("multipart/form-data"))
    return formFields(await new Response(bytes as BodyInit, { headers: { "content-type": type } }).formData());
  const text = new TextDecoder().decode(bytes);
  if (type.includes("application/json")) {
    try {
      return JSON.parse(text) as Form;
    } catch {
      return {};
    }
  }
  return formFields(new URLSearchParams(text));
}

function formFields(params: FormData | URLSearchParams): Form {
  const form: Form = {};
  for (const [k, v] of params.entries()) {
    const prev = form[k];
    form[k] = prev === undefined ? String(v) : Array.isArray(prev) ? [...prev, String(v)] : [prev, String(v)];
  }
  return form;
}

/** An HX-Trigger header's JSON: a header value may only hold Latin-1, so every other character (a
 * Chinese toast) is written as a JSON \u escape, which htmx's JSON.parse reads back as it was. */
export const triggerHeader = (events: Record<string, unknown>) =>
  JSON.stringify(events).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** A failed action or fragment: its message as an error toast in the reader's language, nothing
 * swapped (200 unless `status`). */
export const errorToast = (err: AppError, t: Translator, status = 200) =>
  html("", status, {
    "HX-Reswap": "none",
    "HX-Trigger": triggerHeader({ toast: { message: errorText(err, t), kind: "error" } }),
  });

const REFUSED = "refused: this request did not come from this console";

/** A route table for console pages: its routes go on `routes`, which the app takes with `.use` once
 * every page module has declared its pages (Elysia copies a plugin's routes when it is used). */
export function consoleTable(ctx: Ctx) {
  const routes = new Elysia();
  function page(
    path: string,
    /** the title: plain text, or from the reader's catalog */
    opts: { admin?: boolean; title: string | ((t: Translator) => string) },
    render: (call: PageCall) => string | Promise<string>,
  ) {
    routes.get(path, async ({ request, query, params }) => {
      const user = await consoleUser(ctx, request);
      if (!user)
        return Response.redirect(
          `/login?next=${encodeURIComponent(new URL(request.url).pathname + new URL(request.url).search)}`,
          302,
        );
      const call = await pageCall(ctx, request, user, { query, params, path });
      if (opts.admin && user.role !== USER_ROLE.admin) return forbiddenPage(user, path, call.t);
      await ctx.ledger.flushed();
      const body = await render(call);
      const me = ctx.snapshot.current.usersById.get(user.id);
      const banner =
        me && belowThreshold(me) ? LowBalanceBanner({ quota: me.quota, threshold: me.alertThreshold, t: call.t }) : "";
      const title = call.t.t("page.title", { title: typeof opts.title === "string" ? opts.title : opts.title(call.t) });
      const here = call.shown.pathname + call.shown.search;
      return html(Layout({ title, user, path, here, t: call.t, banner, children: body }) as string);
    });
  }

  function action(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    opts: { admin?: boolean },
    handle: (call: ActionCall) => ActionReply | Promise<ActionReply>,
  ) {
    routes.route(
      method,
      path,
      async ({ request, query, params, server }) => {
        const user = await consoleUser(ctx, request);
        if (!user) return html("", 401, { "HX-Redirect": "/login" });
        if (!sameOrigin(ctx, request)) return html(REFUSED, 403);
        const call = await pageCall(ctx, request, user, { query, params, path });
        let form: Form;
        try {
          form = await readForm(ctx, request, server ?? undefined);
        } catch (e) {
          const err = asAppError(e, `console ${method} ${path}`);
          return errorToast(err, call.t, err.status);
        }
        if (!csrfOk(ctx, user, request, form)) return html(REFUSED, 403);
        if (opts.admin && user.role !== USER_ROLE.admin) return html(call.t.t("error.adminsOnly"), 403);
        try {
          await ctx.ledger.flushed();
          const ip = requestClientIp(ctx, request, server);
          const r = await handle({ ...call, form, ip });
          const headers: Record<string, string> = {};
          const events: Record<string, unknown> = {};
          if (r.toast) events.toast = { message: r.toast, kind: "ok" };
          if (r.closeDialog) events["close-dialog"] = true;
          if (Object.keys(events).length) headers["HX-Trigger"] = triggerHeader(events);
          if (r.redirect) headers["HX-Redirect"] = r.redirect;
          const refusal = r.refusal ? (DialogError({ message: errorText(r.refusal, call.t) }) as string) : "";
          return html((r.html ?? "") + refusal, 200, headers);
        } catch (e) {
          return errorToast(asAppError(e, `console ${method} ${path}`), call.t);
        }
      },
      { parse: "none" }, // the body is read by readForm, within the management limits
    );
  }

  /** A fragment for htmx (a dialog, a row): a session is needed, no layout around it. */
  function fragment(path: string, render: (call: PageCall) => string | Promise<string>) {
    routes.get(path, async ({ request, query, params }) => {
      const user = await consoleUser(ctx, request);
      if (!user) return html("", 401, { "HX-Redirect": "/login" });
      const call = await pageCall(ctx, request, user, { query, params, path });
      try {
        return html(await render(call));
      } catch (e) {
        return errorToast(asAppError(e, `console GET ${path}`), call.t);
      }
    });
  }

  return { ctx, routes, page, action, fragment };
}

export type ConsoleTable = ReturnType<typeof consoleTable>;

export const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
export const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
