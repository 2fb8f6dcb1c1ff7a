/** @jsxImportSource @kitajs/html */
// /admin/redemptions: list and filter codes, make a batch (the full codes shown once in a dialog, to
// copy or download as CSV), enable/disable, delete, delete the invalid ones. The rules live in
// services/redemptions; amounts are typed in the reader's currency and days, turned into quota units
// and unix seconds here. Every word is in the reader's language.
import {
  type BatchForm,
  EMPTY_BATCH,
  NewBatchDialog,
  NewCodesDialog,
  RedemptionRow,
  RedemptionTable,
} from "../../views/console/admin-redemptions";
import { codesCsv } from "../core/redemption-codes";
import { invalidField, isUserError } from "../errors";
import type { Translator } from "../i18n";
import { errorText } from "../i18n/errors";
import { readPage } from "../services/paging";
import {
  createRedemptions,
  deleteInvalidRedemptions,
  deleteRedemption,
  listRedemptions,
  setRedemptionStatus,
} from "../services/redemptions";
import { type AdminTable, num, oobNewRow } from "./admin-kit";
import { typedUnits } from "./money-input";
import { first, type Form } from "./route";

const echo = (f: Form): BatchForm => ({
  name: first(f.name),
  count: first(f.count),
  amount_usd: first(f.amount_usd),
  expires_days: first(f.expires_days),
});

/** An amount typed in the reader's currency → quota units (the service refuses 0, naming quota). */
const units = (t: Translator, text: string) => typedUnits(t, "amount", text.trim() || "0");

function expiry(t: Translator, days: string, now: number) {
  const d = num(days);
  if (d === undefined) return 0;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 1) throw invalidField("expires", t.t("adminCodes.badDays"));
  return now + d * 86_400;
}

export function adminRedemptionPages({ page, action, fragment }: AdminTable) {
  const opts = { title: ({ t }: Translator) => t("adminCodes.title"), admin: true };
  page("/admin/redemptions", opts, async ({ ctx, query, path, t }) => {
    const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
    const keyword = query.keyword ?? "";
    const status = ["1", "2", "3", "expired"].includes(query.status ?? "") ? query.status! : "";
    const list = await listRedemptions(ctx, paging, { keyword, status: status || undefined });
    const now = ctx.now();
    return RedemptionTable({
      path,
      rows: list.items,
      now,
      total: list.total,
      page: paging.p,
      size: paging.size,
      keyword,
      status,
      t,
    }) as string;
  });
  fragment("/admin/redemptions/new", ({ t }) => NewBatchDialog({ form: EMPTY_BATCH, t }) as string);

  action("POST", "/admin/redemptions", { admin: true }, async ({ ctx, user, form, t }) => {
    try {
      const batch = await createRedemptions(ctx, user, {
        name: first(form.name),
        count: num(form.count) ?? 1,
        quota: units(t, first(form.amount_usd)),
        expired_time: expiry(t, first(form.expires_days), ctx.now()),
      });
      const csv = codesCsv(batch.codes, batch.quota, batch.expired_time);
      const rows = (await listRedemptions(ctx, readPage({ p: "1", size: String(batch.codes.length) }))).items;
      const oob = oobNewRow(
        "redemption-rows",
        rows.map((r) => RedemptionRow({ r, now: ctx.now(), t }) as string).join(""),
      );
      return {
        html: (NewCodesDialog({ codes: batch.codes, csv, quota: batch.quota, t }) as string) + oob,
        toast: t.t("adminCodes.toast.created", { count: batch.codes.length }),
      };
    } catch (e) {
      if (isUserError(e)) return { html: NewBatchDialog({ form: echo(form), error: errorText(e, t), t }) as string };
      throw e;
    }
  });
  action("PUT", "/admin/redemptions/:id/status", { admin: true }, async ({ ctx, params, form, t }) => {
    const r = await setRedemptionStatus(ctx, { id: Number(params.id), status: num(form.status) });
    const toast = t.t(r.status === 1 ? "adminCodes.toast.enabled" : "adminCodes.toast.disabled");
    return { html: RedemptionRow({ r, now: ctx.now(), t }) as string, toast };
  });
  action("DELETE", "/admin/redemptions/invalid", { admin: true }, async ({ ctx, t }) => {
    const n = await deleteInvalidRedemptions(ctx);
    return { toast: t.t("adminCodes.toast.invalidDeleted", { count: n }), redirect: "/admin/redemptions" };
  });
  action("DELETE", "/admin/redemptions/:id", { admin: true }, async ({ ctx, params, t }) => {
    await deleteRedemption(ctx, Number(params.id));
    return { html: "", toast: t.t("adminCodes.toast.deleted") };
  });
}
