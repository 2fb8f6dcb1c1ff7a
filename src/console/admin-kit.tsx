/** @jsxImportSource @kitajs/html */
// What the admin pages add to the console's route table: GET fragments and downloads for admins
// only (anonymous → sign in, users → 403, like admin pages), and the form helpers they share.
import { USER_ROLE } from "../core/status";
import { asAppError, isUserError } from "../errors";
import type { Ctx } from "../services/context";
import { consoleUser } from "./guard";
import { all, consoleTable, errorToast, first, pageCall, type ActionReply, type Form, type PageCall } from "./route";

const html = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } });

export function adminTable(ctx: Ctx) {
  const table = consoleTable(ctx);

  /** A GET answered with any Response, for admins only. */
  function get(path: string, handle: (call: PageCall) => Response | Promise<Response>) {
    table.routes.get(path, async ({ request, query, params }) => {
      const user = await consoleUser(ctx, request);
      if (!user) {
        if (request.headers.get("hx-request")) return html("", 401, { "HX-Redirect": "/login" });
        const url = new URL(request.url);
        return Response.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
      }
      if (user.role !== USER_ROLE.admin) return html("admins only", 403);
      await ctx.ledger.flushed();
      return handle(await pageCall(ctx, request, user, { query, params, path }));
    });
  }

  /** A fragment for htmx (a dialog, a list in a dialog), admins only. Errors become a toast. */
  function fragment(path: string, render: (call: PageCall) => string | Promise<string>) {
    get(path, async (call) => {
      try {
        return html(await render(call));
      } catch (e) {
        return errorToast(asAppError(e, `console GET ${path}`), call.t);
      }
    });
  }

  return { ...table, get, fragment };
}

export type AdminTable = ReturnType<typeof adminTable>;

/** A save from a dialog: a refusal (bad field, conflict, not found) is shown in the dialog's error
 * line out-of-band (console/route.tsx, in the reader's language), so the form keeps what was typed;
 * anything else goes to the action's toast. */
export async function fromDialog(save: () => ActionReply | Promise<ActionReply>): Promise<ActionReply> {
  try {
    return await save();
  } catch (e) {
    if (isUserError(e)) return { refusal: e };
    throw e;
  }
}

/** A number field: empty → undefined (the default or "keep"), digits → a number, anything else as
 * typed, so the service's validation names the field and says what it expects. */
export function num(v: string | string[] | undefined): number | string | undefined {
  const text = first(v).trim();
  if (text === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** A checkbox (or a switch with a hidden "0" before it): on when any of its values says so. */
export const checked = (f: Form, name: string) => all(f[name]).some((v) => v === "1" || v === "on" || v === "true");

/** Leaves out the keys whose value is undefined (a partial update keeps those fields). */
export const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A table row re-rendered in place from an action's reply (rows cannot stand alone: a template). */
export const oobRow = (row: string) => `<template>${row.replace("<tr ", '<tr hx-swap-oob="true" ')}</template>`;
/** A new row put into the table body `#tbodyId`: first (newest-first lists) or last. */
export const oobNewRow = (tbodyId: string, row: string, where: "afterbegin" | "beforeend" = "afterbegin") =>
  `<template><tbody hx-swap-oob="${where}:#${tbodyId}">${row}</tbody></template>`;
