/** @jsxImportSource @kitajs/html */
// /admin/redemptions: list and filter codes, make a batch (the full codes shown once in a dialog, to
// copy or download as CSV), enable/disable, delete, delete the invalid ones. The rules live in
// services/redemptions; amounts are typed in $ and days, turned into quota units and unix seconds here.
import {
  type BatchForm,
  EMPTY_BATCH,
  NewBatchDialog,
  NewCodesDialog,
  RedemptionRow,
  RedemptionTable,
} from "../../views/console/admin-redemptions";
import { usdToUnits } from "../core/money";
import { codesCsv } from "../core/redemption-codes";
import { invalidField, isUserError, keyed } from "../errors";
import { errorText, recognised } from "../i18n/errors";
import { readPage } from "../services/paging";
import {
  createRedemptions,
  deleteInvalidRedemptions,
  deleteRedemption,
  listRedemptions,
  setRedemptionStatus,
} from "../services/redemptions";
import { type AdminTable, num, oobNewRow } from "./admin-kit";
import { first, type Form } from "./route";

const echo = (f: Form): BatchForm => ({
  name: first(f.name),
  count: first(f.count),
  amount_usd: first(f.amount_usd),
  expires_days: first(f.expires_days),
});

/** "$10" or "10.5" → quota units (the service refuses 0 and below, naming quota). */
function units(text: string) {
  try {
    return usdToUnits(text.trim().replace(/^\$/, "") || "0");
  } catch (e) {
    throw invalidField("amount", recognised((e as Error).message));
  }
}

function expiry(days: string, now: number) {
  const d = num(days);
  if (d === undefined) return 0;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 1) throw invalidField("expires", keyed("error.code.days"));
  return now + d * 86_400;
}

export function adminRedemptionPages({ page, action, fragment }: AdminTable) {
  page("/admin/redemptions", { title: "Redemption codes", admin: true }, ({ ctx, query, path }) => {
    const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
    const keyword = query.keyword ?? "";
    const status = ["1", "2", "3", "expired"].includes(query.status ?? "") ? query.status! : "";
    const list = listRedemptions(ctx, paging, { keyword, status: status || undefined });
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
    }) as string;
  });
  fragment("/admin/redemptions/new", () => NewBatchDialog({ form: EMPTY_BATCH }) as string);

  action("POST", "/admin/redemptions", { admin: true }, ({ ctx, user, form, t }) => {
    try {
      const batch = createRedemptions(ctx, user, {
        name: first(form.name),
        count: num(form.count) ?? 1,
        quota: units(first(form.amount_usd)),
        expired_time: expiry(first(form.expires_days), ctx.now()),
      });
      const csv = codesCsv(batch.codes, batch.quota, batch.expired_time);
      const rows = listRedemptions(ctx, readPage({ p: "1", size: String(batch.codes.length) })).items;
      const oob = oobNewRow(
        "redemption-rows",
        rows.map((r) => RedemptionRow({ r, now: ctx.now() }) as string).join(""),
      );
      return {
        html: (NewCodesDialog({ codes: batch.codes, csv, quota: batch.quota }) as string) + oob,
        toast: `${batch.codes.length} codes created`,
      };
    } catch (e) {
      if (isUserError(e)) return { html: NewBatchDialog({ form: echo(form), error: errorText(e, t) }) as string };
      throw e;
    }
  });
  action("PUT", "/admin/redemptions/:id/status", { admin: true }, ({ ctx, params, form }) => {
    const r = setRedemptionStatus(ctx, { id: Number(params.id), status: num(form.status) });
    return { html: RedemptionRow({ r, now: ctx.now() }) as string, toast: r.status === 1 ? "Enabled" : "Disabled" };
  });
  action("DELETE", "/admin/redemptions/invalid", { admin: true }, ({ ctx }) => {
    const n = deleteInvalidRedemptions(ctx);
    return { toast: `${n} invalid codes deleted`, redirect: "/admin/redemptions" };
  });
  action("DELETE", "/admin/redemptions/:id", { admin: true }, ({ ctx, params }) => {
    deleteRedemption(ctx, Number(params.id));
    return { html: "", toast: "Deleted" };
  });
}
